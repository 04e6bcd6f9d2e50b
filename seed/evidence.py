"""The demo park's evidence (issue 15): photos and documents drawn here with Pillow, nothing downloaded.

- a publicity board (安全生产公示牌) as its latest check saw it, on some sign checks: posts and a blue board
  lettered with the enterprise's name, its safety lead and phone (cracked when the check found it damaged;
  the bare posts when it was missing);
- a hazard scene at the stage ``found`` (整改前) on some open hazards — an exit blocked by boxes, a leaking
  drum, an electrical cabinet left open — and the same scene put right at the stage ``rectified`` (整改后) on
  some hazards awaiting verification and some verified ones, major hazards first;
- a signed inspection sheet (PDF) as the evidence of some park inspections.

The photos carry what a phone's would: EXIF time, position (the enterprise's, a few metres off) and device,
and the time-and-place stamp of the watermark cameras inspectors use (水印相机). Each file goes through the
upload's own checks and copies (``services/attachment_files.examine``) and becomes the rows ``attach``
would write (``services/attachments.attachment_row``, ``stored_copies``), so its hashes, copies and claims
are real; the rows are loaded with the rest of the park, in its transaction, without audit rows (the seed
writes none). Same seed and as-of date, same files, byte for byte. About 40 files of 800 × 600 px: some
0.6 s of the seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational

from dashboard.fonts import FontMissing, cjk_font_file
from dashboard.services.attachment_files import examine
from dashboard.services.attachments import attachment_row, stored_copies
from models.attachment import AttachmentStage
from seed.bulk import BulkLoader, table_columns
from seed.timeline import Timeline

PHOTO_SIZE = (800, 600)
SHEET_SIZE = (620, 877)  # A4 at 75 dpi
OPEN_HAZARDS = 8  # a photo as found
AWAITING_VERIFICATION = 4  # as found and as rectified: the pair the verifier looks at
VERIFIED_HAZARDS = 6  # as found and as rectified
BOARDS = 8
INSPECTION_SHEETS = 3

_CHEMICAL = frozenset({"hazardous_chemicals", "dust_explosion", "confined_space"})
_ELECTRICAL = frozenset({"electrical", "machinery", "special_equipment", "work_at_height"})
_Font = ImageFont.FreeTypeFont | None


@dataclass(frozen=True)
class _Evidence:
    """One file to attach: the record, the stage, when it was uploaded (the day, and minutes after 08:00 in the
    park), its name and bytes."""

    table: str
    record_id: int
    stage: AttachmentStage
    day: date
    minutes: int
    name: str
    data: bytes


def attach_evidence(loader: BulkLoader, *, timeline: Timeline, rng: random.Random, uploader: str) -> None:
    """Draw the demo park's photos and sheets for records already loaded, and load them as attachments."""
    loader.flush()
    next_id = int(loader.scalar("SELECT coalesce(max(id), 0) FROM attachment")) + 1
    columns = table_columns("attachment")
    for number, evidence in enumerate(_evidence(loader, timeline, rng), start=next_id):
        file = examine(evidence.data, max_bytes=len(evidence.data))
        row = attachment_row(table=evidence.table, record_id=evidence.record_id, stage=evidence.stage,
                             name=evidence.name, file=file, uploaded_by=uploader,
                             uploaded_at=timeline.stamp(evidence.day, evidence.minutes))
        row.id = number
        loader.add("attachment", tuple(getattr(row, column).value if column == "stage" else getattr(row, column)
                                       for column in columns))
        for kind, data, media_type in stored_copies(file):
            loader.add("attachment_blob", (number, kind.value, media_type, data))


def _evidence(loader: BulkLoader, timeline: Timeline, rng: random.Random) -> Iterator[_Evidence]:
    for hazard_id, category, found_on, _, firm, lat, lon in _hazards(loader, "status IN ('open', 'rectifying')",
                                                                      "h.found_on", OPEN_HAZARDS):
        yield _photo("hazard", hazard_id, AttachmentStage.found, found_on,
                     _scene(category, False, rng), firm, lat, lon, rng)
    for status, order, limit in (("rectified", "h.rectified_on", AWAITING_VERIFICATION),
                                 ("verified", "h.verified_on", VERIFIED_HAZARDS)):
        for hazard_id, category, found_on, rectified_on, firm, lat, lon in _hazards(
                loader, f"status = '{status}'", order, limit):
            yield _photo("hazard", hazard_id, AttachmentStage.found, found_on,
                         _scene(category, False, rng), firm, lat, lon, rng)
            yield _photo("hazard", hazard_id, AttachmentStage.rectified, rectified_on,
                         _scene(category, True, rng), firm, lat, lon, rng)
    for check_id, checked_on, condition, firm, lead, phone, lat, lon in loader.rows(
            "SELECT c.id, c.checked_on, c.condition, e.name, e.safety_lead, e.phone, e.lat, e.lon "
            "FROM sign_check c JOIN safety_sign s ON s.id = c.safety_sign_id "
            "JOIN enterprise e ON e.id = s.enterprise_id "
            "WHERE s.kind = 'publicity_board' AND c.checked_on = s.last_checked_on "
            f"ORDER BY c.checked_on DESC, c.id DESC LIMIT {BOARDS}"):
        yield _photo("sign_check", check_id, AttachmentStage.evidence, _day(checked_on),
                     _board(str(firm), str(lead), str(phone), str(condition), rng), str(firm), lat, lon, rng)
    for inspection_id, inspected_on, inspector, notes, firm in loader.rows(
            "SELECT i.id, i.inspected_on, i.inspector, i.notes, e.name FROM inspection i "
            "JOIN enterprise e ON e.id = i.enterprise_id WHERE i.tier = 'park' "
            f"ORDER BY i.inspected_on DESC, i.id DESC LIMIT {INSPECTION_SHEETS}"):
        day = _day(inspected_on)
        yield _Evidence("inspection", int(inspection_id), AttachmentStage.evidence, day, rng.randint(480, 600),
                        f"园区督查记录表_{day.isoformat()}.pdf",
                        _sheet(str(firm), day, str(inspector), str(notes or ""), rng))


def _hazards(loader: BulkLoader, status: str, latest_first: str, limit: int
             ) -> list[tuple[int, str, date, date, str, float, float]]:
    """Hazards in ``status``, major ones first, then the latest by ``latest_first``."""
    rows = loader.rows(
        "SELECT h.id, h.category, h.found_on, h.rectified_on, e.name, e.lat, e.lon "
        f"FROM hazard h JOIN enterprise e ON e.id = h.enterprise_id WHERE h.{status} "
        f"ORDER BY CASE WHEN h.severity = 'major' THEN 0 ELSE 1 END, {latest_first} DESC, h.id LIMIT {limit}")
    return [(int(hid), str(category), _day(found), _day(rectified or found), str(firm), float(lat), float(lon))
            for hid, category, found, rectified, firm, lat, lon in rows]


def _day(value: Any) -> date:
    """A date as either database gives it back to the loader (SQLite: its ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --- a phone's photo -------------------------------------------------------------------------------


def _photo(table: str, record_id: int, stage: AttachmentStage, day: date, picture: Image.Image, firm: str,
           lat: float, lon: float, rng: random.Random) -> _Evidence:
    """``picture`` as a phone saves it: stamped with the time and place, JPEG with EXIF time, position, device."""
    minutes = rng.randint(30, 500)
    taken = datetime(day.year, day.month, day.day, 8) + timedelta(minutes=minutes)
    lat, lon = lat + rng.uniform(-0.0004, 0.0004), lon + rng.uniform(-0.0004, 0.0004)
    _watermark(picture, taken, firm, lat, lon)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "HUAWEI"
    exif[ExifTags.Base.Model] = "Mate 60"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", _dms(lat)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", _dms(lon)
    out = BytesIO()
    picture.save(out, "JPEG", quality=82, exif=exif)
    return _Evidence(table, record_id, stage, day, minutes + rng.randint(3, 60), f"IMG_{taken:%Y%m%d_%H%M%S}.jpg",
                     out.getvalue())


def _dms(degrees: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    whole = int(degrees)
    minutes = int((degrees - whole) * 60)
    seconds = round(((degrees - whole) * 60 - minutes) * 60 * 100)
    return IFDRational(whole), IFDRational(minutes), IFDRational(seconds, 100)


def _watermark(picture: Image.Image, taken: datetime, firm: str, lat: float, lon: float) -> None:
    draw = ImageDraw.Draw(picture)
    width, height = picture.size
    draw.rectangle((0, height - 64, width, height), fill=(20, 20, 20))
    _text(draw, (16, height - 60), f"{taken:%Y-%m-%d %H:%M}", 24, (255, 210, 60))
    _text(draw, (16, height - 30), f"{firm}  {lat:.4f}°N {lon:.4f}°E", 18, (235, 235, 235))


# --- the scenes ----------------------------------------------------------------------------------------


def _scene(category: str, rectified: bool, rng: random.Random) -> Image.Image:
    """A workshop corner with a hazard of ``category`` as found, or put right."""
    picture = Image.new("RGB", PHOTO_SIZE, (214, 208, 196))
    draw = ImageDraw.Draw(picture)
    floor = 380 + rng.randint(-20, 20)
    draw.rectangle((0, floor, PHOTO_SIZE[0], PHOTO_SIZE[1]), fill=(128, 132, 130))
    for x in range(-400, PHOTO_SIZE[0] + 400, 160):  # the floor's joints, in perspective
        draw.line((PHOTO_SIZE[0] // 2 + (x - PHOTO_SIZE[0] // 2) // 3, floor, x, PHOTO_SIZE[1]), fill=(110, 114, 112),
                  width=2)
    if category in _CHEMICAL:
        _drums(draw, floor, rectified, rng)
    elif category in _ELECTRICAL:
        _cabinet(draw, floor, rectified, rng)
    else:
        _exit(draw, floor, rectified, rng)
    return picture


def _exit(draw: ImageDraw.ImageDraw, floor: int, rectified: bool, rng: random.Random) -> None:
    left = 300 + rng.randint(-60, 60)
    draw.rectangle((left, floor - 250, left + 170, floor), fill=(90, 110, 120), outline=(60, 60, 60), width=4)
    draw.line((left + 85, floor - 250, left + 85, floor), fill=(60, 60, 60), width=3)
    draw.rectangle((left + 10, floor - 310, left + 160, floor - 265), fill=(0, 150, 70))
    _text(draw, (left + 28, floor - 306), "安全出口", 28, (255, 255, 255))
    if rectified:  # the way kept clear: yellow hatching, no boxes
        for x in range(left - 20, left + 190, 24):
            draw.line((x, floor + 8, x + 20, floor + 60), fill=(235, 190, 30), width=6)
        return
    for row in range(3):
        for column in range(3 - row):
            x = left - 40 + column * 90 + row * 45 + rng.randint(-6, 6)
            y = floor + 40 - (row + 1) * 80
            draw.rectangle((x, y, x + 85, y + 78), fill=(170, 120, 70), outline=(110, 75, 40), width=3)
            draw.line((x, y + 39, x + 85, y + 39), fill=(200, 170, 110), width=4)


def _drums(draw: ImageDraw.ImageDraw, floor: int, rectified: bool, rng: random.Random) -> None:
    left = 170 + rng.randint(-40, 40)
    if rectified:
        draw.rectangle((left - 20, floor + 10, left + 420, floor + 70), outline=(235, 190, 30), width=8)
    for number in range(3):
        x = left + number * 140
        if not rectified and number == 2:  # knocked over, leaking
            draw.rounded_rectangle((x - 10, floor + 20, x + 170, floor + 100), radius=20, fill=(30, 80, 170))
            draw.ellipse((x + 120, floor + 80, x + 330, floor + 150), fill=(55, 60, 40))
            continue
        draw.rounded_rectangle((x, floor - 160, x + 110, floor + 40), radius=14, fill=(30, 80, 170))
        for band in (floor - 110, floor - 30):
            draw.line((x, band, x + 110, band), fill=(20, 55, 120), width=5)
        draw.polygon(((x + 30, floor - 90), (x + 55, floor - 130), (x + 80, floor - 90)), fill=(250, 200, 0))


def _cabinet(draw: ImageDraw.ImageDraw, floor: int, rectified: bool, rng: random.Random) -> None:
    left = 320 + rng.randint(-60, 60)
    draw.rectangle((left, floor - 290, left + 200, floor - 10), fill=(200, 200, 190), outline=(90, 90, 90), width=4)
    if rectified:
        draw.polygon(((left + 100, floor - 250), (left + 60, floor - 180), (left + 140, floor - 180)),
                     fill=(250, 200, 0), outline=(20, 20, 20))
        _text(draw, (left + 48, floor - 160), "当心触电", 26, (20, 20, 20))
        draw.rectangle((left + 170, floor - 160, left + 182, floor - 120), fill=(80, 80, 80))
        return
    draw.polygon(((left, floor - 290), (left - 120, floor - 250), (left - 120, floor - 30), (left, floor - 10)),
                 fill=(185, 185, 175), outline=(90, 90, 90))  # the door, open
    draw.rectangle((left + 15, floor - 275, left + 185, floor - 25), fill=(50, 50, 50))
    for number, colour in enumerate(((200, 40, 40), (230, 190, 20), (40, 140, 60), (40, 80, 200))):
        x = left + 40 + number * 35
        draw.line((x, floor - 200, x + rng.randint(-40, 40), floor + 30 + number * 10), fill=colour, width=6)


def _board(firm: str, lead: str, phone: str, condition: str, rng: random.Random) -> Image.Image:
    """The enterprise's publicity board outside its gate, as the check found it."""
    picture = Image.new("RGB", PHOTO_SIZE, (170, 205, 235))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 420, PHOTO_SIZE[0], PHOTO_SIZE[1]), fill=(120, 150, 90))
    left, top = 120 + rng.randint(-30, 30), 70 + rng.randint(-20, 20)
    for x in (left + 60, left + 500):
        draw.rectangle((x, top + 200, x + 18, 470), fill=(150, 150, 150))
    if condition == "missing":
        return picture
    draw.rectangle((left, top, left + 580, top + 320), fill=(20, 80, 170), outline=(235, 235, 235), width=8)
    _text(draw, (left + 150, top + 18), "安全生产公示牌", 40, (255, 255, 255))
    lines = (f"企业名称:{firm}", f"安全负责人:{lead}", f"应急联系电话:{phone}", "安全生产 人人有责")
    for number, line in enumerate(lines):
        _text(draw, (left + 36, top + 92 + number * 52), line, 26, (255, 255, 255))
    if condition == "damaged":
        x, y = left + rng.randint(200, 400), top
        points = [(x, y)]
        while y < top + 320:
            x, y = x + rng.randint(-30, 30), y + rng.randint(20, 50)
            points.append((x, min(y, top + 320)))
        draw.line(points, fill=(30, 30, 30), width=5)
        draw.rectangle((left + 380, top + 200, left + 560, top + 300), fill=(120, 150, 190))  # faded by the sun
    return picture


def _sheet(firm: str, day: date, inspector: str, notes: str, rng: random.Random) -> bytes:
    """The signed inspection sheet of a park inspection, one page of PDF."""
    page = Image.new("RGB", SHEET_SIZE, (252, 252, 248))
    draw = ImageDraw.Draw(page)
    _text(draw, (130, 50), "园区安全生产综合督查记录表", 28, (20, 20, 20))
    rows = (("被检查单位", firm), ("检查日期", day.isoformat()), ("检查人员", inspector), ("检查情况", notes))
    top = 120
    for label, value in rows:
        height = 200 if label == "检查情况" else 50
        draw.rectangle((50, top, 570, top + height), outline=(40, 40, 40), width=2)
        draw.line((170, top, 170, top + height), fill=(40, 40, 40), width=2)
        _text(draw, (62, top + 14), label, 18, (20, 20, 20))
        for number, start in enumerate(range(0, len(value), 20)):
            _text(draw, (182, top + 14 + number * 26), value[start:start + 20], 18, (20, 20, 20))
        top += height
    _text(draw, (62, top + 40), "被检查单位负责人(签字):", 18, (20, 20, 20))
    x, y = 300, top + 52
    points = [(x, y)]
    for _ in range(12):  # a signature, in blue ink
        x, y = x + rng.randint(6, 16), y + rng.randint(-14, 14)
        points.append((x, y))
    draw.line(points, fill=(20, 40, 150), width=3)
    out = BytesIO()
    signed = datetime(day.year, day.month, day.day, 9).timetuple()  # UTC: 17:00 in the park
    page.save(out, "PDF", resolution=75, quality=80, title="园区安全生产综合督查记录表", creationDate=signed,
              modDate=signed)  # Pillow's default is the time of saving: the same seed would not give the same file
    return out.getvalue()


# --- lettering -----------------------------------------------------------------------------------------


def _text(draw: ImageDraw.ImageDraw, at: tuple[int, int], text: str, size: int, fill: tuple[int, int, int]) -> None:
    """``text`` in Noto Sans CJK; left out where the machine has no CJK font (the shapes alone are drawn)."""
    font = _font(size)
    if font is not None:
        draw.text(at, text, font=font, fill=fill)


@cache
def _font(size: int) -> _Font:
    try:
        path = cjk_font_file()
    except FontMissing:
        return None
    return ImageFont.truetype(str(path), size, index=_simplified_face(path))


@cache
def _simplified_face(path: Path) -> int:
    """The face of a font collection (.ttc) with the simplified Chinese glyphs (Noto's: SC); 0 otherwise."""
    for index in range(8):
        try:
            family = ImageFont.truetype(str(path), 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith(" SC"):
            return index
    return 0
