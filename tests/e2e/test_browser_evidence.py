"""Evidence in a real browser (issue 15): a staff member uploads a phone's photo of a major hazard put right
through the hazard worklist on the Records page; its thumbnail shows upright and the server serves it without
the photo's GPS position; then, to verify the hazard, they look at the photo as found beside the photo after
rectification, and verify it (the rule ``verify_needs_photo``, on by default, lets a major hazard be verified
once it has its photo after rectification)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from PIL import Image
from playwright.sync_api import expect

from models.enums import HazardStatus
from tests.e2e.conftest import Screenshots, backend_of, shown_text, signed_in
from tests.e2e.evidence import (
    IMAGE,
    PHOTOS,
    WAIT_MS,
    ZH,
    a_major_hazard_awaiting_verification,
    has_gps,
    hazard_status,
    loaded,
    open_in_worklist,
    phone_photo,
    served_bytes,
    thumbnail,
    upload_after_rectification,
    upright,
)
from tests.e2e.server import settle

PHOTO_NAME = "IMG_20261117_093000.jpg"
TALL = {"width": 1400, "height": 4200}  # the worklist, the hazard, its photos and the verifier's pair, all in view
# the verifier's pair: the photos drawn outside the hazard's gallery (an expander of thumbnails)
PAIR_IMAGE = f"{IMAGE}:not({PHOTOS} img)"


def test_a_phone_photo_uploaded_in_the_worklist_shows_upright_without_its_position_and_beside_the_photo_as_found(
    served: tuple[str, str], browser: Any, screenshots: Screenshots, today: date
) -> None:
    url, database_url = served
    backend = backend_of(database_url)
    hazard = a_major_hazard_awaiting_verification(database_url, today)
    photo = phone_photo()
    assert has_gps(photo)
    context, page = signed_in(browser, url, "staff", TALL)
    worklist = open_in_worklist(page, url, hazard)
    loaded(thumbnail(worklist, hazard.found_photo))  # the photo as found, in the hazard's gallery

    # --- the upload: the thumbnail shows, upright, and what the server serves for it has no position ---
    upload_after_rectification(page, worklist, PHOTO_NAME, photo)
    uploaded = thumbnail(worklist, PHOTO_NAME)
    width, height = loaded(uploaded)
    assert 0 < width < height, f"the thumbnail is {width} × {height}: not upright"
    shown = served_bytes(context, uploaded)
    assert not has_gps(shown), "the served thumbnail carries the photo's GPS position"
    assert upright(shown), "the served thumbnail is not upright"
    with Image.open(BytesIO(shown)) as picture:
        assert picture.size == (width, height)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshots.take(worklist.locator(PHOTOS), f"{backend}-evidence-thumbnail")

    # --- verification: the photo as found beside the photo after, above the form that verifies ---
    worklist.get_by_role("button", name=ZH["worklist.do.verify"], exact=True).click()
    settle(page)
    confirm = worklist.get_by_role("button", name=ZH["worklist.confirm.verify"], exact=True)
    confirm.wait_for(timeout=WAIT_MS)
    pair = worklist.locator(PAIR_IMAGE)
    expect(pair).to_have_count(2, timeout=WAIT_MS)
    (found_width, found_height), (after_width, after_height) = loaded(pair.nth(0)), loaded(pair.nth(1))
    assert found_width > found_height, "the photo as found (landscape) is not on the left"
    assert after_width < after_height, "the photo after rectification (portrait) is not on the right"
    for image in (pair.nth(0), pair.nth(1)):
        assert not has_gps(served_bytes(context, image))
        image_box, confirm_box = image.bounding_box(), confirm.bounding_box()
        assert image_box is not None and confirm_box is not None
        assert image_box["y"] + image_box["height"] <= confirm_box["y"], "a photo of the pair is below the button"
    for image, stage, name in ((pair.nth(0), "found", hazard.found_photo), (pair.nth(1), "rectified", PHOTO_NAME)):
        expect(image).to_have_attribute("alt", f"{ZH[f'enum.attachment_stage.{stage}']} · {name}")
    screenshots.take(page, f"{backend}-evidence-before-after-page")
    # the verifier's view: the hazard's action buttons, the pair, the form
    top = worklist.get_by_role("button", name=ZH["worklist.do.verify"], exact=True).bounding_box()
    form = worklist.locator("[data-testid='stForm']").bounding_box()
    assert top is not None and form is not None
    screenshots.take(page, f"{backend}-evidence-before-after", clip={
        "x": form["x"] - 16, "y": top["y"] - 16, "width": form["width"] + 32,
        "height": form["y"] + form["height"] - top["y"] + 32})

    confirm.click()
    settle(page)
    expect(worklist.get_by_text(shown_text("worklist.flash.verify", id=hazard.hazard_id))).to_be_visible(
        timeout=WAIT_MS)
    expect(worklist.get_by_text(ZH["enum.hazard_status.verified"], exact=True)).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    assert hazard_status(database_url, hazard.hazard_id) == HazardStatus.verified
    screenshots.take(page, f"{backend}-evidence-verified")
    context.close()
