"""What the evidence browser tests share (issue 15): a major hazard awaiting verification with its photo as
found, a phone's photo of it put right (made here with Pillow), and the steps of the hazard worklist on the
Records page: find the hazard, upload a photo after rectification, wait for a photo to load, fetch what the
server serves for it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any
from urllib.parse import urljoin

from PIL import ExifTags, Image, ImageDraw
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from dashboard.db import make_engine
from dashboard.i18n import CATALOGS
from dashboard.services.attachments import attach
from dashboard.services.hazard_workflow import transition_hazard
from dashboard.services.permissions import Actor
from dashboard.services.records import record_inspection
from models import Enterprise, Hazard
from models.enums import AttachmentStage, EnterpriseStatus, HazardStatus, Role
from tests.e2e.conftest import shown_text
from tests.e2e.server import settle
from tests.photos import phone_exif

ZH = CATALOGS["zh"]
WAIT_MS = 60_000  # a 12-megapixel photo is decoded and copied twice while another suite may share the 2 cores
STAFF = Actor("staff", Role.staff)  # the demo park's staff account, who signs in in the browser too
PHONE_SIZE = (4000, 3000)  # as the sensor stores it: sideways, with EXIF Orientation 6
TAKEN_AT = datetime(2026, 11, 17, 9, 30)
WALL, FLOOR = (214, 208, 196), (118, 122, 120)
IMAGE = "[data-testid='stImage'] img"
TILE = "[data-testid='stVerticalBlock']"  # a container: a thumbnail's tile is the innermost holding it
PHOTOS = "[data-testid='stExpander']"  # a hazard's photos and documents, beside its details
LOADED = "img => img.complete && img.naturalWidth > 0"


@dataclass(frozen=True)
class AwaitingVerification:
    """A major hazard put right and awaiting verification (已整改待验收), with one photo as found (整改前) and
    none after: the only unclosed hazard of its enterprise, so the worklist's search by the credit code shows it
    alone."""

    hazard_id: int
    uscc: str
    found_photo: str  # its file name


def a_major_hazard_awaiting_verification(database_url: str, today: date) -> AwaitingVerification:
    """Written through the services as the demo park's staff member: an inspection ten days ago that found a
    major hazard (an exit blocked), rectified yesterday, and the inspector's photo of it as found."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            unclosed = select(Hazard.enterprise_id).where(col(Hazard.status) != HazardStatus.verified)
            enterprise = session.exec(
                select(Enterprise).where(Enterprise.status == EnterpriseStatus.operating,
                                         col(Enterprise.id).not_in(unclosed))
                .order_by(col(Enterprise.id))).first()
            assert enterprise is not None, "every operating enterprise of the demo park has an unclosed hazard"
            _, (hazard,) = record_inspection(session=session, actor=STAFF, inspection={
                "enterprise_id": enterprise.id, "inspected_on": today - timedelta(days=10), "tier": "park",
                "inspector": "园区安监站 李工", "notes": "消防通道检查",
            }, hazards=[
                {"category": "fire", "severity": "major", "description": "二号车间安全出口被纸箱堵塞",
                 "responsible_person": "王设备", "measures": "清空通道，地面划设禁止占用标线", "funds_yuan": 3000,
                 "deadline": today + timedelta(days=20), "contingency_plan": "整改期间开放东侧备用出口"},
            ])
            session.flush()
            hazard = transition_hazard(session=session, actor=STAFF, hazard_id=int(hazard.id or 0),
                                       version=hazard.version, transition="rectify", today=today,
                                       rectified_on=today - timedelta(days=1))
            found_photo = f"IMG_{today - timedelta(days=10):%Y%m%d}_093012.jpg"
            attach(session=session, actor=STAFF, table="hazard", record_id=int(hazard.id or 0),
                   stage=AttachmentStage.found, files=[(found_photo, inspectors_photo())])
            session.commit()
            return AwaitingVerification(int(hazard.id or 0), enterprise.uscc, found_photo)
    finally:
        engine.dispose()


def hazard_status(database_url: str, hazard_id: int) -> HazardStatus:
    """The hazard's status as the database holds it."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            hazard = session.get(Hazard, hazard_id)
            assert hazard is not None
            return HazardStatus(hazard.status)
    finally:
        engine.dispose()


# --- photos, made here ---------------------------------------------------------------------------------


def workshop_exit(*, blocked: bool, size: tuple[int, int]) -> Image.Image:
    """A workshop's emergency exit, upright: a wall above a grey floor, the door with its green sign; boxes piled
    in front of it (blocked), or the floor before it marked in yellow (put right)."""
    width, height = size
    picture = Image.new("RGB", size, WALL)
    draw = ImageDraw.Draw(picture)
    floor = height * 13 // 20
    draw.rectangle((0, floor, width, height), fill=FLOOR)
    unit = width // 16
    left, right = width // 2 - 2 * unit, width // 2 + 2 * unit
    draw.rectangle((left, floor - 6 * unit, right, floor), fill=(90, 110, 120), outline=(60, 60, 60), width=unit // 8)
    draw.line((width // 2, floor - 6 * unit, width // 2, floor), fill=(60, 60, 60), width=unit // 10)
    draw.rectangle((left + unit // 4, floor - 7 * unit, right - unit // 4, floor - 6 * unit - unit // 5),
                   fill=(0, 150, 70))
    draw.rectangle((left + unit, floor - 7 * unit + unit // 5, left + unit + unit // 2, floor - 6 * unit - unit // 2),
                   fill=(255, 255, 255))
    if blocked:
        rng = random.Random(15)
        for row in range(3):
            for column in range(4 - row):
                x = left - unit + column * 2 * unit + row * unit + rng.randint(-unit // 8, unit // 8)
                y = floor + unit - (row + 1) * 2 * unit
                draw.rectangle((x, y, x + 2 * unit - 6, y + 2 * unit - 4), fill=(170, 120, 70), outline=(110, 75, 40),
                               width=unit // 12)
        return picture
    for x in range(left - unit, right + unit, unit // 2):  # the way kept clear: yellow hatching
        draw.line((x, floor + unit // 4, x + unit // 2, floor + 2 * unit), fill=(235, 190, 30), width=unit // 6)
    return picture


def inspectors_photo() -> bytes:
    """The exit as the inspection found it, blocked: a landscape JPEG of 1600 × 1200 px."""
    out = BytesIO()
    workshop_exit(blocked=True, size=(1600, 1200)).save(out, "JPEG", quality=85)
    return out.getvalue()


def phone_photo() -> bytes:
    """The exit put right, as a phone held upright takes it: 4000 × 3000 px stored sideways with EXIF Orientation 6
    (turn 90° clockwise to show), the time it was taken, where (GPS) and the device; a little sensor noise, so the
    file is a few megabytes as a phone's is."""
    upright = workshop_exit(blocked=False, size=(PHONE_SIZE[1], PHONE_SIZE[0]))
    noise = Image.effect_noise(PHONE_SIZE[::-1], 24).convert("RGB")
    upright = Image.blend(upright, noise, 0.08)
    out = BytesIO()
    upright.transpose(Image.Transpose.ROTATE_90).save(out, "JPEG", quality=90,
                                                      exif=phone_exif(TAKEN_AT, make="HUAWEI"))  # 4000 wide, 3000 high
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    """Whether a JPEG's EXIF holds any GPS tag."""
    with Image.open(BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def upright(data: bytes) -> bool:
    """Whether a copy of the photo shows it upright: taller than wide, the wall at the top and the floor at the
    bottom (turned the wrong way, the floor would be at the top or a side)."""
    with Image.open(BytesIO(data)) as image:
        picture = image.convert("L")
        width, height = picture.size
        top, bottom = picture.getpixel((width // 8, height // 20)), picture.getpixel((width // 8, height * 19 // 20))
    assert isinstance(top, int) and isinstance(bottom, int)
    return height > width and top > bottom + 40


# --- the worklist ---------------------------------------------------------------------------------------


def open_in_worklist(page: Any, url: str, hazard: AwaitingVerification) -> Any:
    """Open the Records page's hazard worklist (its first tab) and find the hazard by its enterprise's credit
    code; the open tab, once the hazard's details show."""
    page.goto(f"{url}/records")
    settle(page)
    worklist = page.locator("[role='tabpanel']:visible")
    search = worklist.get_by_role("textbox", name=ZH["worklist.search"], exact=True)
    search.wait_for(timeout=WAIT_MS)
    search.fill(hazard.uscc)
    search.press("Enter")
    settle(page)
    expect(worklist.get_by_text(ZH["worklist.detail.title"].format(id=hazard.hazard_id), exact=True)).to_be_visible(
        timeout=WAIT_MS)
    return worklist


def upload_after_rectification(page: Any, worklist: Any, name: str, data: bytes) -> None:
    """Pick the photo in the uploader for photos after rectification (整改后) and upload it; returns once the page
    says it is uploaded."""
    stage = ZH["enum.attachment_stage.rectified"]
    uploader = worklist.locator("[data-testid='stFileUploader']",
                                has_text=ZH["evidence.attach"].format(stage=stage))
    uploader.locator("input[type='file']").set_input_files(files=[{"name": name, "mimeType": "image/jpeg",
                                                                   "buffer": data}])
    button = worklist.get_by_role("button", name=ZH["evidence.attach_button"].format(count=1))
    button.wait_for(timeout=WAIT_MS)
    settle(page)
    button.click()
    settle(page)
    expect(worklist.get_by_text(shown_text("evidence.attached", count=1))).to_be_visible(timeout=WAIT_MS)


def thumbnail(worklist: Any, name: str) -> Any:
    """A file's thumbnail in the hazard's photos (an expander), by its text alternative (its stage and name)."""
    return worklist.locator(PHOTOS).get_by_role("img", name=name)


def tile(worklist: Any, name: str) -> Any:
    """A file's tile in the hazard's photos (its thumbnail, caption and buttons), by the file's name."""
    return worklist.locator(PHOTOS).locator(TILE).filter(has=worklist.page.get_by_role("img", name=name)).last


def loaded(image: Any) -> tuple[int, int]:
    """Wait until the img element has loaded a picture; its natural width and height."""
    image.wait_for(timeout=WAIT_MS)
    image.page.wait_for_function(LOADED, arg=image.element_handle(), timeout=WAIT_MS)
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    return int(width), int(height)


def served_bytes(context: Any, image: Any) -> bytes:
    """The bytes the server serves for the img element, fetched with the browser's cookies."""
    source = image.get_attribute("src")
    assert source, "the image has no src"
    answer = context.request.get(urljoin(image.page.url, source))
    assert answer.ok, f"{source}: {answer.status}"
    return bytes(answer.body())
