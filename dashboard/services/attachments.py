"""Evidence on records (issue 15): photos and PDF documents attached to a hazard (整改前 found, 整改后 rectified)
or as the evidence of a sign check, an inspection, an accident, a training or an enforcement.

Stored in the database (``models/attachment.py``), not in files beside it: an attachment is written in the same
transaction as everything else the save writes, so a save that fails, or an upload abandoned half-way, leaves
nothing behind, and a record deleted takes its files with it (``services/writes.delete_audited``); every app
server of one PostgreSQL database sees the same files with no shared disk to mount; and ``park-safety db
backup`` / ``restore`` and the Settings page's download carry them with the records. Rejected: a folder of
files named by their SHA-256 (a second thing to back up and keep in step, and orphans when a transaction
rolls back after the file was written) and an object store (a service the park would have to run).

Every file is checked first (``services/attachment_files.py``: its type from its content, its size, its
pixels, a photo's copies and claims, a PDF's pages) and then all are stored, or none. Who may do what:
staff and administrators attach (``edit_records``); every role sees a photo's display copy and thumbnail,
which carry no metadata; only the park's roles that handle the records and their oversight (administrator,
staff, committee: ``view_original_files``) get a file as it was uploaded, whose EXIF may say where and with
what it was taken; a file is removed by its uploader or by an administrator (``remove_others_files``),
with a reason. docs/security.md names the tests that hold each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, case, delete, func, select
from sqlmodel import Session, col

from dashboard.clock import in_park_time, now
from dashboard.services.attachment_files import PDF, ExaminedFile, FileRefused, examine, megabytes
from dashboard.services.audit import record_audit, snapshot
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.record_tables import record_table
from dashboard.services.revision import bump_revision
from dashboard.settings import get_settings
from models import Attachment, AttachmentBlob, AttachmentCopy, AttachmentStage
from models.validation import FieldProblem, RecordInvalid

ATTACHABLE: dict[str, tuple[AttachmentStage, ...]] = {
    "hazard": (AttachmentStage.found, AttachmentStage.rectified),
    "sign_check": (AttachmentStage.evidence,),
    "inspection": (AttachmentStage.evidence,),
    "accident": (AttachmentStage.evidence,),
    "enforcement": (AttachmentStage.evidence,),
    "training": (AttachmentStage.evidence,),
}
"""The record tables files are attached to, and the stages each has."""
FILES_PER_STAGE = 12
"""At most this many live files on one record at one stage (the before and after sets of a hazard each)."""


T = TypeVar("T")


@dataclass(frozen=True)
class FileCopy:
    """One copy of an attachment as it is served: its bytes and their media type."""

    data: bytes
    media_type: str


@dataclass(frozen=True)
class RecordThumbnail:
    """The picture a list of records shows for one of them: the thumbnail of one live attachment (a photo's, or
    the first page of a PDF's), with the attachment's stage and when the server received the file."""

    record_id: int
    attachment_id: int
    stage: AttachmentStage
    uploaded_at: datetime  # in the park's time zone
    thumbnail: FileCopy


def attach(
    *, session: Session, actor: Actor, table: str, record_id: int, stage: AttachmentStage | str,
    files: Sequence[tuple[str, bytes]],
) -> list[Attachment]:
    """Attach ``files`` (name as uploaded, bytes) to the record ``record_id`` of ``table`` at ``stage``: all of
    them, or none. Every problem is reported at once, each naming its file (``files[2]``, counting from 1);
    the caller commits."""
    require(actor, Permission.edit_records)
    stage = _stage_of(table, stage)
    _lock_record(session, table, record_id)
    if not files:
        raise RecordInvalid([FieldProblem("files", "required")])
    examined, problems = _examine_all(files)
    problems.extend(_too_many(live_count(session, table, record_id, stage), len(files)))
    if problems:
        raise RecordInvalid(problems)
    return _store_all(session, actor=actor, table=table, record_id=record_id, stage=stage, files=files,
                      examined=examined)


def create_with_files(
    *, session: Session, actor: Actor, table: str, stage: AttachmentStage | str,
    files: Sequence[tuple[str, bytes]], create: Callable[[], T],
) -> tuple[T, list[Attachment]]:
    """A new record of ``table`` and ``files`` attached to it at ``stage``, in one transaction: both, or neither.
    ``create`` writes the record (a write service called with this session and actor) and returns it. The files
    are examined before the record is written, so one refusal names the record's problems and every file's
    (``files[2]``, as :func:`attach` names them); with no files this is ``create()``. The caller commits."""
    require(actor, Permission.edit_records)
    stage = _stage_of(table, stage)
    examined, problems = _examine_all(files)
    problems.extend(_too_many(0, len(files)))
    try:
        record = create()
    except RecordInvalid as invalid:
        raise RecordInvalid([*invalid.problems, *problems]) from None
    if problems:
        raise RecordInvalid(problems)
    if not files:
        return record, []
    record_id = int(getattr(record, "id", None) or 0)  # every record table's key, set once it is inserted
    return record, _store_all(session, actor=actor, table=table, record_id=record_id, stage=stage, files=files,
                              examined=examined)


def attachments_of(session: Session, table: str, record_id: int) -> list[Attachment]:
    """The record's live attachments (not removed), in the order they were uploaded."""
    return list(session.execute(
        select(Attachment).where(col(Attachment.entity) == table, col(Attachment.entity_id) == record_id,
                                 col(Attachment.removed_at).is_(None))
        .order_by(col(Attachment.id))
    ).scalars())


def attachment_counts(session: Session, table: str, record_ids: Iterable[int]) -> dict[int, int]:
    """How many live attachments each of ``record_ids`` has (0 for none), in one query: for a list of records."""
    ids = sorted(set(record_ids))
    if not ids:
        return {}
    counted = {int(record_id): int(count) for record_id, count in session.execute(
        select(col(Attachment.entity_id), func.count())
        .where(col(Attachment.entity) == table, col(Attachment.entity_id).in_(ids),
               col(Attachment.removed_at).is_(None))
        .group_by(col(Attachment.entity_id))
    ).all()}
    return {record_id: counted.get(record_id, 0) for record_id in ids}


def latest_thumbnails(
    session: Session, table: str, record_ids: Iterable[int], *, stages: Sequence[AttachmentStage],
    received_before: datetime | None = None,
) -> dict[int, RecordThumbnail]:
    """For each of ``record_ids`` that has one, the thumbnail of its latest live attachment (not removed) at the
    first of ``stages`` it has any at: ``(rectified, found)`` gives a hazard's latest photo after rectification,
    or, before there is one, its latest photo as found. Latest by when the server received the file (then by
    id); ``received_before`` (an instant) leaves out the files received from then on. A file without a
    thumbnail (a PDF whose first page could not be drawn) is passed over for the one before it.

    One query for the whole list, reading the thumbnails' bytes and no other copy's; every role may see a
    thumbnail (it carries no metadata: :func:`read_copy`)."""
    ids = sorted({int(record_id) for record_id in record_ids})
    if not ids or not stages:
        return {}
    thumbnail = and_(col(AttachmentBlob.attachment_id) == col(Attachment.id),
                     col(AttachmentBlob.kind) == AttachmentCopy.thumbnail)
    preference = case(*((col(Attachment.stage) == stage, rank) for rank, stage in enumerate(stages)),
                      else_=len(stages))
    conditions = [col(Attachment.entity) == table, col(Attachment.entity_id).in_(ids),
                  col(Attachment.stage).in_(list(stages)), col(Attachment.removed_at).is_(None)]
    if received_before is not None:
        conditions.append(col(Attachment.uploaded_at) < received_before)
    ranked = (
        select(col(Attachment.id).label("attachment_id"), col(Attachment.entity_id).label("record_id"),
               col(Attachment.stage).label("stage"), col(Attachment.uploaded_at).label("uploaded_at"),
               func.row_number().over(partition_by=col(Attachment.entity_id),
                                      order_by=(preference, col(Attachment.uploaded_at).desc(),
                                                col(Attachment.id).desc())).label("place"))
        .join(AttachmentBlob, thumbnail)  # only files that have a thumbnail; their bytes are read below
        .where(*conditions)
        .subquery("ranked")
    )
    rows = session.execute(
        select(ranked.c.attachment_id, ranked.c.record_id, ranked.c.stage, ranked.c.uploaded_at,
               col(AttachmentBlob.data), col(AttachmentBlob.media_type))
        .join(AttachmentBlob, and_(col(AttachmentBlob.attachment_id) == ranked.c.attachment_id,
                                   col(AttachmentBlob.kind) == AttachmentCopy.thumbnail))
        .where(ranked.c.place == 1)
    ).all()
    return {int(row.record_id): RecordThumbnail(
        record_id=int(row.record_id), attachment_id=int(row.attachment_id), stage=AttachmentStage(row.stage),
        uploaded_at=in_park_time(row.uploaded_at), thumbnail=FileCopy(row.data, row.media_type),
    ) for row in rows}


def live_count(session: Session, table: str, record_id: int, stage: AttachmentStage) -> int:
    """How many live attachments (not removed) the record has at ``stage``."""
    return int(session.execute(
        select(func.count()).select_from(Attachment)
        .where(col(Attachment.entity) == table, col(Attachment.entity_id) == record_id,
               col(Attachment.stage) == stage, col(Attachment.removed_at).is_(None))
    ).scalar_one())


def read_copy(session: Session, actor: Actor, attachment_id: int, kind: AttachmentCopy | str) -> FileCopy | None:
    """One copy of a live attachment, as it is served: the ``original`` only to a role that may view originals;
    a removed attachment is refused with who removed it, when and why. A PDF's display copy is the document
    itself (it is shown whole); None for a copy the attachment does not have (a PDF whose first page could
    not be drawn has no thumbnail). Every role of the park may see every record today, so every role gets the
    display copy and the thumbnail; issue 16 narrows that for the enterprises' accounts."""
    kind = AttachmentCopy(kind)
    if kind == AttachmentCopy.original:
        require(actor, Permission.view_original_files)
    attachment = _live(session, attachment_id)
    if kind == AttachmentCopy.display and attachment.media_type == PDF:
        kind = AttachmentCopy.original
    blob = session.get(AttachmentBlob, (attachment_id, kind))
    return None if blob is None else FileCopy(blob.data, blob.media_type)


def remove_attachment(*, session: Session, actor: Actor, attachment_id: int, reason: str) -> Attachment:
    """Remove a file attached by mistake: by its uploader, or by an administrator; with a reason. Its copies are
    deleted (it is gone from every later view); its row stays, and the audit trail keeps who removed it, when,
    why and the file's SHA-256. The caller commits."""
    require(actor, Permission.edit_records)
    attachment = _live(session, attachment_id)
    if attachment.uploaded_by != actor.username:
        require(actor, Permission.remove_others_files)
    reason = (reason or "").strip()
    if not reason:
        raise RecordInvalid([FieldProblem("reason", "required")])
    before = snapshot(attachment)
    attachment.removed_at, attachment.removed_by, attachment.removed_reason = now(), actor.username, reason
    session.add(attachment)
    session.execute(delete(AttachmentBlob).where(col(AttachmentBlob.attachment_id) == attachment_id))
    session.flush()
    record_audit(session, actor=actor, action="remove", entity="attachment", entity_id=attachment_id,
                 before=before, after=snapshot(attachment))
    bump_revision(session)
    return attachment


def delete_attachments_of(session: Session, *, actor: Actor, table: str, record_id: int) -> int:
    """Delete every attachment of a record that is being deleted, row and copies, each audited with what was
    known of it (its SHA-256 among that); the number deleted. Called by ``services/writes.delete_audited``,
    so no file outlives its record."""
    if table not in ATTACHABLE:
        return 0
    rows = list(session.execute(
        select(Attachment).where(col(Attachment.entity) == table, col(Attachment.entity_id) == record_id)
    ).scalars())
    if not rows:
        return 0
    ids = [row.id for row in rows]
    session.execute(delete(AttachmentBlob).where(col(AttachmentBlob.attachment_id).in_(ids)))
    for row in rows:
        record_audit(session, actor=actor, action="delete", entity="attachment", entity_id=row.id,
                     before=snapshot(row), after={"reason": f"its {table} {record_id} was deleted"})
        session.delete(row)
    session.flush()
    return len(rows)


# --- the steps of attaching ---------------------------------------------------------------------


def _stage_of(table: str, stage: AttachmentStage | str) -> AttachmentStage:
    """``stage`` as one of the stages of ``table``, which must take attachments; refused with those allowed."""
    record_table(table, among=ATTACHABLE)
    allowed = ATTACHABLE[table]
    if str(getattr(stage, "value", stage)) not in allowed:
        raise RecordInvalid([FieldProblem("stage", "not_one_of", {
            "value": str(getattr(stage, "value", stage)), "allowed": ", ".join(s.value for s in allowed)})])
    return AttachmentStage(stage)


def _lock_record(session: Session, table: str, record_id: int) -> None:
    """The record must exist; on PostgreSQL its row is locked until the commit, so two uploads to one record
    cannot both pass the count, nor the record be deleted under them (SQLite writes one at a time anyway)."""
    if session.get(record_table(table).table, record_id, with_for_update=True) is None:
        raise RecordInvalid([FieldProblem("id", "unknown_reference", {"value": record_id})])


def oversized(sizes: Sequence[tuple[str, int]]) -> list[FieldProblem]:
    """The files over the attachment limit, by their sizes alone (a caller holding files on disk asks before reading
    them), in the words ``attach`` would use."""
    limit = get_settings().attachment_max_bytes
    return [FieldProblem(f"files[{number}]", "attachment_too_large",
                         {"value": shown_name(name), "size": megabytes(size), "limit": megabytes(limit)})
            for number, (name, size) in enumerate(sizes, start=1) if size > limit]


def _examine_all(files: Sequence[tuple[str, bytes]]) -> tuple[list[ExaminedFile], list[FieldProblem]]:
    limit = get_settings().attachment_max_bytes
    examined: list[ExaminedFile] = []
    problems: list[FieldProblem] = []
    for number, (name, data) in enumerate(files, start=1):
        try:
            examined.append(examine(data, max_bytes=limit))
        except FileRefused as refused:
            problems.append(FieldProblem(f"files[{number}]", refused.code, {"value": shown_name(name),
                                                                             **refused.params}))
    return examined, problems


def _too_many(count: int, adding: int) -> list[FieldProblem]:
    """The problem of ``adding`` files to a stage that has ``count``, when that makes more than allowed."""
    if count + adding <= FILES_PER_STAGE:
        return []
    return [FieldProblem("files", "attachment_too_many", {"limit": FILES_PER_STAGE, "count": count,
                                                          "value": adding, "total": count + adding})]


def _store_all(
    session: Session, *, actor: Actor, table: str, record_id: int, stage: AttachmentStage,
    files: Sequence[tuple[str, bytes]], examined: Sequence[ExaminedFile],
) -> list[Attachment]:
    stored = [_store(session, actor=actor, table=table, record_id=record_id, stage=stage, name=name, file=file)
              for (name, _), file in zip(files, examined, strict=True)]
    bump_revision(session)
    return stored


def _store(
    session: Session, *, actor: Actor, table: str, record_id: int, stage: AttachmentStage, name: str,
    file: ExaminedFile,
) -> Attachment:
    attachment = attachment_row(table=table, record_id=record_id, stage=stage, name=name, file=file,
                                uploaded_by=actor.username, uploaded_at=now())
    with session.begin_nested():
        session.add(attachment)
        session.flush()
        session.add_all(AttachmentBlob(attachment_id=int(attachment.id or 0), kind=kind, media_type=media_type,
                                       data=data) for kind, data, media_type in stored_copies(file))
        session.flush()
    record_audit(session, actor=actor, action="attach", entity="attachment", entity_id=attachment.id,
                 after=snapshot(attachment))
    return attachment


def attachment_row(
    *, table: str, record_id: int, stage: AttachmentStage, name: str, file: ExaminedFile, uploaded_by: str,
    uploaded_at: datetime,
) -> Attachment:
    """What is known of an examined file attached to a record (the row, without an id): for :func:`attach`, and
    for the demo seed, which loads the same rows in bulk."""
    return Attachment(
        entity=table, entity_id=record_id, stage=stage, media_type=file.media_type, bytes=len(file.original),
        sha256=file.sha256, original_name=shown_name(name), uploaded_by=uploaded_by, uploaded_at=uploaded_at,
        claimed_taken_at=file.claims.taken_at, claimed_gps=file.claims.gps, page_count=file.page_count,
        width=file.width, height=file.height,
    )


def stored_copies(file: ExaminedFile) -> list[tuple[AttachmentCopy, bytes, str]]:
    """The copies an examined file is stored as, each (kind, bytes, media type): the original, and a photo's
    display copy and thumbnail (a PDF's first page as its thumbnail, when it could be drawn)."""
    copies: list[tuple[AttachmentCopy, bytes | None, str]] = [
        (AttachmentCopy.original, file.original, file.media_type),
        (AttachmentCopy.display, file.display, "image/jpeg"),
        (AttachmentCopy.thumbnail, file.thumbnail, "image/jpeg"),
    ]
    return [(kind, data, media_type) for kind, data, media_type in copies if data is not None]


def _live(session: Session, attachment_id: int) -> Attachment:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise RecordInvalid([FieldProblem("id", "unknown_reference", {"value": attachment_id})])
    if attachment.removed_at is not None:
        raise RecordInvalid([FieldProblem("id", "attachment_removed", _removal(attachment))])
    return attachment


def _removal(attachment: Attachment) -> dict[str, Any]:
    """Who removed the attachment, on which day in the park, and why."""
    removed_on = in_park_time(attachment.removed_at or now()).date().isoformat()
    return {"removed_by": attachment.removed_by, "removed_on": removed_on, "reason": attachment.removed_reason}


def shown_name(name: str) -> str:
    """A file's name as shown beside it: the last part of what the browser or the command line gave (no folder),
    without control characters, at most 255 characters."""
    last = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(ch for ch in last if ch.isprintable()).strip()
    return printable[:255] or "file"
