"""Evidence on records (附件, issue 15) as the pages show it: a record's gallery (thumbnails, opened large in a
dialog; a PDF as a download with its first page), the uploader beside a saved record and the one in each create
form of the Records page (the files saved with the new record, in its save), removal with a reason, the counts
of a list of records, and a hazard's before/after pair (整改前 / 整改后).

Every write goes through ``signed_in.save`` (the user, and so the permission, is read when the write runs);
the service's problems are kept by the uploader and shown under it, each naming its file. Thumbnails and
display copies carry no metadata and every role may see them, so they are cached by the files alone, not by user
nor data revision, a gallery's thumbnails as one entry (a file's copies never change; a removed file leaves the
cached list of the record, keyed by the data revision).
Streamlit's own upload limit (``server.maxUploadSize``, dashboard/.streamlit/config.toml) is the attachment
limit (``attachment_max_bytes``), and the server guard grants upload URLs only on the pages that upload here
(``server_guard.UPLOADS``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from sqlmodel import Session
from streamlit.delta_generator import DeltaGenerator

from dashboard.i18n import current_language, format_int, label, t
from dashboard.services.attachment_files import PDF
from dashboard.services.attachments import (
    ATTACHABLE,
    FileCopy,
    attach,
    attachment_counts,
    attachments_of,
    create_with_files,
    read_copy,
    remove_attachment,
)
from dashboard.services.permissions import Actor, Permission, PermissionDenied
from dashboard.services.sign_in import CurrentUser
from dashboard.settings import get_settings
from dashboard.views.data import database_key, engine
from dashboard.views.forms_common import draw_problems, key, plain
from dashboard.views.signed_in import on_click, save
from models import Attachment
from models.enums import AttachmentStage
from models.validation import FieldProblem, RecordInvalid

R = TypeVar("R")
FILE_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif", "pdf"]
"""What the uploader offers to pick (the service reads each file's type from its content anyway)."""
MEGABYTE = 1024 * 1024
K = "evidence."
COLUMNS = 4
"""Thumbnails a row across the page; half as many in half its width (a hazard's before and after, side by side),
where four would leave each tile a few characters wide and cut its buttons' names short."""


# --- reads ------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=128)
def _attachments(url: str, revision: int, table: str, record_id: int) -> list[Attachment]:
    with Session(engine()) as session:
        rows = attachments_of(session, table, record_id)
        session.expunge_all()
    return rows


@st.cache_data(show_spinner=False, max_entries=64)
def _counts(url: str, revision: int, table: str, record_ids: tuple[int, ...]) -> dict[int, int]:
    with Session(engine()) as session:
        return attachment_counts(session, table, record_ids)


@st.cache_data(show_spinner=False, max_entries=512)
def _copy(url: str, attachment_id: int, kind: str, _actor: Actor) -> FileCopy | None:
    """A thumbnail or display copy (every role may see them; no metadata): the same for every user."""
    with Session(engine()) as session:
        return _readable_copy(session, _actor, attachment_id, kind)


@st.cache_data(show_spinner=False, max_entries=64)
def _thumbnails(url: str, attachment_ids: tuple[int, ...], _actor: Actor) -> dict[int, FileCopy | None]:
    """A gallery's thumbnails (every role may see them; no metadata), read in one session and kept as one entry:
    a gallery of 24 files is one cache lookup a run, not 24 (each a hash of its arguments and a copy of its value).
    At most 64 galleries of at most 24 thumbnails of about 20 KB: some 30 MB."""
    with Session(engine()) as session:
        return {attachment_id: _readable_copy(session, _actor, attachment_id, "thumbnail")
                for attachment_id in attachment_ids}


def _readable_copy(session: Session, actor: Actor, attachment_id: int, kind: str) -> FileCopy | None:
    try:
        return read_copy(session, actor, attachment_id, kind)
    except RecordInvalid:  # removed since the list was read
        return None


def load_attachments(table: str, record_id: int) -> list[Attachment]:
    """The record's live files, in the order they were uploaded (cached until the next write)."""
    return _attachments(*database_key(), table, record_id)


def load_counts(table: str, record_ids: Iterable[int]) -> dict[int, int]:
    """How many files each record of a list has: one query for the list."""
    return _counts(*database_key(), table, tuple(sorted({int(i) for i in record_ids})))


def _shown_copy(actor: Actor, attachment_id: int, kind: str) -> FileCopy | None:
    # keyed by the URL alone: a file's copies never change, so no read of the data revision
    return _copy(get_settings().effective_database_url, attachment_id, kind, actor)


def _shown_thumbnails(actor: Actor, files: Sequence[Attachment]) -> dict[int, FileCopy | None]:
    return _thumbnails(get_settings().effective_database_url, tuple(int(a.id or 0) for a in files), actor)


# --- words ------------------------------------------------------------------------------------------


def _park_time(at: datetime | None) -> str:
    if at is None:
        return "—"
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite gives the stored UTC back without a zone
    return at.astimezone(ZoneInfo(get_settings().timezone)).strftime("%Y-%m-%d %H:%M")


def _size(size: int) -> str:
    return f"{size / MEGABYTE:,.1f} MB" if size >= MEGABYTE // 10 else f"{max(1, round(size / 1024))} KB"


def describe(attachment: Attachment, actor: Actor) -> str:
    """A file's caption: its stage, name and size, who uploaded it and when the server received it; for the
    park's roles (who may see originals) what the photo claims of itself, when and where it was taken."""
    lines = [f"{label('attachment_stage', attachment.stage)} · {plain(attachment.original_name)}",
             t("evidence.uploaded", who=plain(attachment.uploaded_by), when=_park_time(attachment.uploaded_at),
               size=_size(attachment.bytes))]
    if attachment.media_type == PDF and attachment.page_count:
        lines.append(t("evidence.pages", pages=format_int(attachment.page_count)))
    if actor.may(Permission.view_original_files):
        if attachment.claimed_taken_at is not None:
            lines.append(t("evidence.claimed_time", when=attachment.claimed_taken_at.strftime("%Y-%m-%d %H:%M")))
        if attachment.claimed_gps:
            lines.append(t("evidence.claimed_gps", where=plain(attachment.claimed_gps)))
    return "  \n".join(lines)


# --- the gallery ------------------------------------------------------------------------------------


def _large(attachment_id: int, caption: str, alt: str) -> None:
    """The display copy of a photo, in a dialog opened by a click on its thumbnail's button."""
    user = _user()
    shown = _shown_copy(user.actor, attachment_id, "display") if user is not None else None
    if shown is None:
        st.warning(t("evidence.gone"))
        return
    st.image(shown.data, width="stretch", alt=alt)
    st.caption(caption)


def _open_large(attachment_id: int, caption: str, alt: str) -> None:
    st.dialog(t("evidence.large_title"), width="large")(_large)(attachment_id, caption, alt)


def _alt(attachment: Attachment) -> str:
    """An image's text alternative (its stage and its file's name), for a screen reader: a picture alone says
    neither."""
    return f"{label('attachment_stage', attachment.stage)} · {attachment.original_name}"


def _user() -> CurrentUser | None:
    from dashboard.views.session import current_user

    return current_user()


def _may_remove(attachment: Attachment, actor: Actor) -> bool:
    return actor.may(Permission.edit_records) and (attachment.uploaded_by == actor.username
                                                   or actor.may(Permission.remove_others_files))


def _tile(attachment: Attachment, thumbnail: FileCopy | None, user: CurrentUser, *, page: str, base: str,
          removable: bool) -> None:
    actor = user.actor
    attachment_id = int(attachment.id or 0)
    caption = describe(attachment, actor)
    box = st.container(border=True)
    if thumbnail is not None:
        box.image(thumbnail.data, width="stretch", alt=_alt(attachment))
    else:
        box.markdown(":material/picture_as_pdf:" if attachment.media_type == PDF else ":material/draft:")
    box.caption(caption)
    # each button as wide as the row: side by side in a wide tile, one above the other, each whole, in a narrow one
    buttons = box.container(horizontal=True, gap="small")
    if attachment.media_type == PDF:
        buttons.download_button(
            t("evidence.download"), key=f"{base}.{attachment_id}.download", icon=":material/download:",
            file_name=attachment.original_name, mime=PDF, on_click="ignore", width="stretch",
            data=on_click(lambda who: _document(attachment_id, who), page=page))
    elif buttons.button(t("evidence.open"), key=f"{base}.{attachment_id}.open", icon=":material/zoom_in:",
                        width="stretch"):
        _open_large(attachment_id, caption, _alt(attachment))
    if removable and _may_remove(attachment, actor):
        with buttons.popover(t("evidence.remove"), icon=":material/delete:", width="stretch"):
            reason_key = f"{base}.{attachment_id}.reason"
            st.text_input(t("evidence.remove_reason"), key=reason_key, max_chars=500,
                          placeholder=t("evidence.remove_reason_hint"))
            st.button(t("evidence.remove_confirm"), key=f"{base}.{attachment_id}.remove", type="primary",
                      on_click=_remove, args=(attachment_id, attachment.original_name, reason_key, base))


def _document(attachment_id: int, actor: Actor) -> bytes:
    with Session(engine()) as session:
        shown = read_copy(session, actor, attachment_id, "display")
    return b"" if shown is None else shown.data


def _remove(attachment_id: int, name: str, reason_key: str, base: str) -> None:
    reason = str(st.session_state.get(reason_key) or "")
    try:
        save(lambda s, actor: remove_attachment(session=s, actor=actor, attachment_id=attachment_id, reason=reason))
    except PermissionDenied:
        st.session_state[base + "._problems"] = ("not_removed", [("records.denied", {})])
        return
    except RecordInvalid as refused:
        st.session_state[base + "._problems"] = ("not_removed", list(refused.problems))
        return
    st.session_state.pop(reason_key, None)
    st.session_state[base + "._flash"] = ("removed", {"name": name})


def gallery(table: str, record_id: int, user: CurrentUser, *, stage: AttachmentStage | None = None,
            page: str = "records", base: str | None = None, empty: bool = True, removable: bool = True,
            columns: int = COLUMNS) -> list[Attachment]:
    """A record's files (of one stage, or all) as thumbnails, each opened large (a photo) or downloaded (a
    PDF from ``page``), with a remove button for whoever may remove it when ``removable``; the files shown.
    What a removal did is shown by :func:`evidence_notes` of the file's stage."""
    base = base or f"{K}{table}.{record_id}"
    files = [a for a in load_attachments(table, record_id) if stage is None or a.stage == stage]
    if not files:
        if empty:
            st.caption(t("evidence.none"))
        return files
    thumbnails = _shown_thumbnails(user.actor, files)
    spots = st.columns(columns)
    for index, attachment in enumerate(files):
        with spots[index % columns]:
            _tile(attachment, thumbnails.get(int(attachment.id or 0)), user, page=page,
                  base=f"{base}.{attachment.stage}", removable=removable)
    return files


# --- attaching --------------------------------------------------------------------------------------


def file_picker(stage: AttachmentStage | str, *, base: str, where: DeltaGenerator | None = None) -> int:
    """The uploader of photos and PDFs at ``stage``: several at once, of the types and at most the size the service
    takes. Its key is ``base`` and a number that :func:`empty_picker` moves on (a file uploader cannot be emptied
    otherwise); the number of files picked in it."""
    files_key = f"{base}.files.{int(st.session_state.get(base + '._nonce', 0))}"
    limit = get_settings().attachment_max_bytes
    (where or st).file_uploader(
        t("evidence.attach", stage=label("attachment_stage", stage)), type=FILE_TYPES, accept_multiple_files=True,
        key=files_key, max_upload_size=-(-limit // MEGABYTE),
        help=t("evidence.attach_help", limit=format_int(-(-limit // MEGABYTE))))
    return len(_picked(base))


def _picked(base: str) -> list[Any]:
    nonce = int(st.session_state.get(base + "._nonce", 0))
    return list(st.session_state.get(f"{base}.files.{nonce}") or [])


def picked_files(base: str) -> list[tuple[str, bytes]]:
    """The files picked in the uploader of ``base`` (:func:`file_picker`), as the service takes them: each
    (name as uploaded, bytes)."""
    return [(str(f.name), f.getvalue()) for f in _picked(base)]


def empty_picker(base: str) -> None:
    """Empty the uploader of ``base``: it is drawn anew, with no files, on the next run (one already empty is
    left as it is)."""
    if _picked(base):
        st.session_state[base + "._nonce"] = int(st.session_state.get(base + "._nonce", 0)) + 1


def _attach(table: str, record_id: int, stage: str, base: str) -> None:
    files = picked_files(base)
    try:
        stored = save(lambda s, actor: attach(session=s, actor=actor, table=table, record_id=record_id, stage=stage,
                                              files=files))
    except PermissionDenied:
        st.session_state[base + "._problems"] = ("not_attached", [("records.denied", {})])
        return
    except RecordInvalid as refused:
        st.session_state[base + "._problems"] = ("not_attached", list(refused.problems))
        return
    empty_picker(base)
    st.session_state[base + "._flash"] = ("attached", {"count": len(stored)})


# --- files saved with a new record ---------------------------------------------------------------

FILES = "files"
"""The field a create form's files are refused under (each file as ``files[2]``, kept under it)."""


def _new_files(form: str) -> str:
    return key(form, "_new")


def new_record_stage(table: str) -> AttachmentStage:
    """The stage of the files saved with a new record: a hazard's are found (整改前), any other record's evidence."""
    return ATTACHABLE[table][0]


def new_record_files(form: str, table: str, *, where: DeltaGenerator | None = None) -> int:
    """A create form's uploader, for a record that takes files: the files saved with the new record, and under
    it the problems the form's last save found with them, each naming its file; how many are picked."""
    if table not in ATTACHABLE:
        return 0
    box = where or st.container()
    picked = file_picker(new_record_stage(table), base=_new_files(form), where=box)
    draw_problems(form, FILES, where=box)
    return picked


def empty_new_files(form: str) -> None:
    """Empty a create form's uploader (the form is cleared, or its record saved)."""
    empty_picker(_new_files(form))


def save_new(form: str, table: str, create: Callable[[Session, Actor], R]) -> tuple[R, int]:
    """Save a new record of ``table`` (``create`` calls its write service) with the files picked in its form's
    uploader: in one ``signed_in.save``, so the record and its files are written by the user signed in then,
    in one transaction, or nothing is. The record, and how many files were saved with it; a refusal raises as
    ``save`` does, the files' problems among the record's, and the files stay picked."""
    if table not in ATTACHABLE:
        return save(create), 0
    files = picked_files(_new_files(form))
    record, stored = save(lambda s, actor: create_with_files(
        session=s, actor=actor, table=table, stage=new_record_stage(table), files=files,
        create=lambda: create(s, actor)))
    empty_new_files(form)
    return record, len(stored)


def evidence_notes(table: str, record_id: int, stage: AttachmentStage | str) -> None:
    """What the last attach or remove on the record's ``stage`` did."""
    _notes(f"{K}{table}.{record_id}.{AttachmentStage(stage)}")


# What a callback keeps is worded when drawn (a callback runs before the run sets the user's language).
_WORDS: dict[str, Callable[..., str]] = {
    "attached": lambda **p: t("evidence.attached", **p),
    "removed": lambda **p: t("evidence.removed", **p),
    "not_attached": lambda: t("evidence.not_attached"),
    "not_removed": lambda: t("evidence.not_removed"),
}


def _notes(base: str) -> None:
    """What the last attach or remove here did: a success, or the problems, each naming its file."""
    flash = st.session_state.pop(base + "._flash", None)
    if flash:
        name, params = flash
        st.success(_WORDS[name](**{k: plain(v) if isinstance(v, str) else v for k, v in params.items()}),
                   icon=":material/check_circle:")
    refusal: tuple[str, Sequence[FieldProblem | tuple[str, dict[str, Any]]]] | None = st.session_state.pop(
        base + "._problems", None)
    if refusal:
        heading, found = refusal
        language = current_language()
        lines = [_WORDS[heading]()] + [
            "- " + plain(note.text(language) if isinstance(note, FieldProblem) else t(note[0], **note[1]))
            for note in found]
        st.error("\n".join(lines), icon=":material/block:")


def uploader(table: str, record_id: int, stage: AttachmentStage | str, *, base: str | None = None) -> None:
    """Attach photos or PDFs to a saved record at ``stage``; the service's problems are shown under it."""
    stage = AttachmentStage(stage)
    base = base or f"{K}{table}.{record_id}.{stage}"
    picked = file_picker(stage, base=base)
    _notes(base)
    if picked:
        nonce = int(st.session_state.get(base + "._nonce", 0))
        st.button(t("evidence.attach_button", count=picked), key=f"{base}.attach.{nonce}", type="primary",
                  icon=":material/attach_file:", on_click=_attach, args=(table, record_id, stage.value, base))


def evidence_panel(table: str, record_id: int, user: CurrentUser, *, title: str | None = None) -> None:
    """A saved record's files, stage by stage, and (for a role that edits records) an uploader beside each."""
    if table not in ATTACHABLE:
        return
    st.markdown(f"###### {title or t('evidence.heading', id=record_id)}")
    may_attach = user.actor.may(Permission.edit_records)
    for stage in ATTACHABLE[table]:
        base = f"{K}{table}.{record_id}.{stage}"
        if len(ATTACHABLE[table]) > 1:
            st.markdown(f"**{label('attachment_stage', stage)}**")
        gallery(table, record_id, user, stage=stage, base=f"{K}{table}.{record_id}")
        if may_attach:
            uploader(table, record_id, stage, base=base)
        else:
            _notes(base)


def with_counts(table: str, frame: pd.DataFrame, shown: pd.DataFrame, config: dict[str, Any]) -> None:
    """Add the number of files of each listed record (one query for the list) to a list's shown frame."""
    if table not in ATTACHABLE or frame.empty:
        return
    counts = load_counts(table, (int(i) for i in frame["id"]))
    shown["files"] = [counts.get(int(i), 0) for i in frame["id"]]
    config["files"] = st.column_config.NumberColumn(t("evidence.count"), format="%d", width="small")


def picked_record_evidence(table: str, picked: object) -> None:
    """The files of the record picked in a Records list (``picked``, its id), with the uploader."""
    user = _user()
    if table not in ATTACHABLE or user is None or not isinstance(picked, int):
        return
    with st.container(border=True):
        evidence_panel(table, picked, user)


def hazard_photos(hazard_id: int, user: CurrentUser, *, base: str) -> None:
    """A hazard's files beside its details (the worklist): before and after side by side; for a role that edits
    records, an uploader for the photos after rectification (整改后), which is where they are taken."""
    left, right = st.columns(2)
    for where, stage in ((left, AttachmentStage.found), (right, AttachmentStage.rectified)):
        with where:
            st.markdown(f"**{label('attachment_stage', stage)}**")
            gallery("hazard", hazard_id, user, stage=stage, base=base, columns=COLUMNS // 2)
            stage_base = f"{base}.{stage}"
            if stage == AttachmentStage.rectified and user.actor.may(Permission.edit_records):
                uploader("hazard", hazard_id, stage, base=stage_base)
            else:
                _notes(stage_base)


def before_after(hazard_id: int, user: CurrentUser) -> None:
    """The hazard's latest photo before rectification beside its latest after, at display size: what a
    verifier looks at first."""
    files = [a for a in load_attachments("hazard", hazard_id) if a.media_type != PDF]
    left, right = st.columns(2)
    for where, stage in ((left, AttachmentStage.found), (right, AttachmentStage.rectified)):
        latest = [a for a in files if a.stage == stage]
        where.markdown(f"**{label('attachment_stage', stage)}**")
        if not latest:
            where.info(t("evidence.no_photo", stage=label("attachment_stage", stage)), icon=":material/no_photography:")
            continue
        shown = _shown_copy(user.actor, int(latest[-1].id or 0), "display")
        if shown is not None:
            where.image(shown.data, width="stretch", alt=_alt(latest[-1]))
        where.caption(describe(latest[-1], user.actor))
