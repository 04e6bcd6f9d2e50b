"""``park-safety attach``, ``attachments`` and ``attachment get``, on each database: a photo attached is listed
with its fingerprint, a bad file is refused with the pages' message and nothing stored, and a copy written out
is the one asked for (the original byte for byte, or the display copy without its EXIF)."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import ExifTags, Image
from sqlalchemy import Engine

from dashboard.cli import main
from models import Hazard
from tests.records import data_revision, row_counts

STORED = ("attachment", "attachment_blob", "audit_log")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def lines(result: Result) -> list[str]:
    assert "Traceback" not in result.output
    return [line for line in result.output.splitlines() if line.strip()]


def photo(path: Path, colour: tuple[int, int, int] = (200, 60, 40)) -> Path:
    """A small JPEG that says where it was taken (its EXIF names the camera and the time)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Huawei"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:03:02 09:30:00"
    out = BytesIO()
    Image.new("RGB", (48, 32), colour).save(out, "JPEG", exif=exif, quality=90)
    path.write_bytes(out.getvalue())
    return path


def listed(db_url: str, table: str, record_id: int) -> list[dict[str, object]]:
    result = run("attachments", table, str(record_id), "--format", "json", "--database-url", db_url)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def test_a_photo_attached_is_listed_with_its_fingerprint(db_url: str, hazard: Hazard, tmp_path: Path) -> None:
    after = photo(tmp_path / "after.jpg")
    result = run("attach", "hazard", str(hazard.id), str(after), "--stage", "rectified", "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert lines(result)[0].startswith(f"Attached 1 file to hazard {hazard.id} (")
    before = photo(tmp_path / "before.jpg", colour=(40, 60, 200))
    assert run("attach", "hazard", str(hazard.id), str(before), "--database-url", db_url).exit_code == 0

    rows = listed(db_url, "hazard", hazard.id or 0)
    assert [(r["stage"], r["original_name"], r["media_type"], r["uploaded_by"]) for r in rows] == [
        ("rectified", "after.jpg", "image/jpeg", "system"), ("found", "before.jpg", "image/jpeg", "system")]
    data = after.read_bytes()
    assert (rows[0]["bytes"], rows[0]["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert rows[0]["claimed_taken_at"] == "2026-03-02T09:30:00"
    assert str(rows[0]["uploaded_at"]).endswith("+00:00")

    text = run("attachments", "hazard", str(hazard.id), "--database-url", db_url)
    assert lines(text)[0].split("\t") == ["id", "stage", "media_type", "bytes", "sha256", "uploaded_by",
                                          "uploaded_at", "claimed_taken_at", "original_name"]
    assert lines(text)[1].split("\t")[:5] == [str(rows[0]["id"]), "rectified", "image/jpeg", str(len(data)),
                                              hashlib.sha256(data).hexdigest()]


def test_a_bad_file_is_refused_with_its_message_and_nothing_is_stored(
    db_url: str, engine: Engine, hazard: Hazard, tmp_path: Path
) -> None:
    good = photo(tmp_path / "good.jpg")
    fake = tmp_path / "fake.jpg"
    fake.write_text("<html><script>alert(1)</script></html>")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    before = (row_counts(engine, *STORED), data_revision(engine))

    result = run("attach", "hazard", str(hazard.id), str(good), str(fake), str(empty), "--database-url", db_url)

    assert result.exit_code == 1
    assert lines(result) == [
        "“fake.jpg” is not a photo (JPEG, PNG, WebP or HEIC) or a PDF document, whatever its name says; only those "
        "can be attached.",
        "“empty.png” is empty (0 bytes); nothing to attach.",
        "park-safety: error: 2 problems; nothing was attached",
    ]
    assert (row_counts(engine, *STORED), data_revision(engine)) == before
    assert listed(db_url, "hazard", hazard.id or 0) == []


def test_a_file_over_the_limit_is_refused_by_its_size_before_it_is_read(
    db_url: str, engine: Engine, hazard: Hazard, tmp_path: Path
) -> None:
    """A 4 GB file (sparse: it takes no disk) is refused with its size; had it been read, the command would have
    held 4 GB of memory, and tracemalloc's peak says it held none of it."""
    good = photo(tmp_path / "good.jpg")
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as handle:
        handle.truncate(4 * 1024**3)
    before = (row_counts(engine, *STORED), data_revision(engine))

    tracemalloc.start()
    try:
        result = run("attach", "hazard", str(hazard.id), str(good), str(huge), "--database-url", db_url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert result.exit_code == 1
    assert lines(result) == [
        "“huge.jpg” is 4,096 MB; a file attached to a record can be at most 15 MB.",
        "park-safety: error: 1 problem; nothing was attached",
    ]
    assert peak < 64 * 1024 * 1024, peak
    assert (row_counts(engine, *STORED), data_revision(engine)) == before


@pytest.mark.parametrize(("arguments", "message"), [
    (("hazard", "{id}", "--stage", "evidence"),
     "Stage must be one of found, rectified; “evidence” is not."),
    (("hazard", "999999"), "Record 999999 does not exist."),
    (("enterprise", "{id}"), "Record must be one of hazard, sign_check, inspection, accident, enforcement, "
                             "training; “enterprise” is not."),
])
def test_a_wrong_stage_or_record_is_refused_in_the_services_words(
    db_url: str, engine: Engine, hazard: Hazard, tmp_path: Path, arguments: tuple[str, ...], message: str
) -> None:
    table, record_id, *options = (a.replace("{id}", str(hazard.id)) for a in arguments)
    result = run("attach", table, record_id, str(photo(tmp_path / "p.jpg")), *options, "--database-url", db_url)
    assert result.exit_code == 1
    assert lines(result)[0] == message
    assert row_counts(engine, "attachment")["attachment"] == 0


def test_the_problems_are_listed_in_chinese_when_asked(db_url: str, hazard: Hazard, tmp_path: Path) -> None:
    empty = tmp_path / "空白.jpg"
    empty.write_bytes(b"")
    result = run("attach", "hazard", str(hazard.id), str(empty), "--language", "zh", "--database-url", db_url)
    assert result.exit_code == 1
    assert lines(result)[0] == "“空白.jpg”是空文件(0 字节),无法作为附件。"


def test_get_writes_the_original_byte_for_byte_and_the_display_copy_without_exif(
    db_url: str, hazard: Hazard, tmp_path: Path
) -> None:
    sent = photo(tmp_path / "before.jpg")
    assert run("attach", "hazard", str(hazard.id), str(sent), "--database-url", db_url).exit_code == 0
    attachment_id = str(listed(db_url, "hazard", hazard.id or 0)[0]["id"])

    original = tmp_path / "original.jpg"
    result = run("attachment", "get", attachment_id, "--out", str(original), "--original", "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert lines(result) == [f"Wrote {original} ({len(sent.read_bytes()):,} bytes, image/jpeg)."]
    assert hashlib.sha256(original.read_bytes()).hexdigest() == hashlib.sha256(sent.read_bytes()).hexdigest()

    shown = tmp_path / "shown.jpg"
    assert run("attachment", "get", attachment_id, "--out", str(shown), "--database-url", db_url).exit_code == 0
    with Image.open(shown) as image:
        assert (image.format, image.size) == ("JPEG", (48, 32))
        assert not image.getexif()
    assert shown.read_bytes() != sent.read_bytes()


def test_get_of_an_unknown_attachment_is_a_one_line_error(db_url: str, tmp_path: Path) -> None:
    result = run("attachment", "get", "424242", "--out", str(tmp_path / "x.jpg"), "--database-url", db_url)
    assert result.exit_code == 1
    assert lines(result) == ["park-safety: error: id: Record 424242 does not exist."]
    assert not (tmp_path / "x.jpg").exists()
