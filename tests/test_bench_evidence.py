"""``park-safety bench --evidence`` times an upload of a 12-megapixel photo and opens an enterprise's file full of
photos as a browser would, and says so in its figures. (The times are the command's business; these tests check
what it measures, where it puts the photos, and that the page sends thumbnails, not the photos as uploaded.)"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard.bench_evidence import Slot, plan_photos

HAZARD_FOUND: list[Slot] = [("hazard", i, "found") for i in (1, 2, 3)]
SLOTS: list[Slot] = [("hazard", 1, "found"), ("hazard", 1, "rectified"), ("hazard", 2, "found"),
                     ("hazard", 3, "found"), ("sign_check", 7, "evidence"), ("sign_check", 8, "evidence"),
                     ("inspection", 9, "evidence")]
EMPTY = {slot: 12 for slot in SLOTS}


@pytest.mark.parametrize(("photos", "room", "expected"), [
    # the first record of each table is filled first: both stages of the first hazard
    (30, EMPTY, {("hazard", 1, "found"): 12, ("hazard", 1, "rectified"): 12, ("sign_check", 7, "evidence"): 6}),
    # then the others, one at a time, two hazards for a sign check and an inspection
    (44, EMPTY, {("hazard", 1, "found"): 12, ("hazard", 1, "rectified"): 12, ("sign_check", 7, "evidence"): 12,
                 ("inspection", 9, "evidence"): 8}),
    # a record that has files already takes only what its stage still holds
    (14, {**EMPTY, ("hazard", 1, "found"): 2, ("hazard", 1, "rectified"): 0},
     {("hazard", 1, "found"): 2, ("sign_check", 7, "evidence"): 12}),
    # no photos to add: nothing
    (0, EMPTY, {}),
])
def test_the_first_record_of_each_table_gets_a_full_gallery(photos: int, room: dict[Slot, int],
                                                             expected: dict[Slot, int]) -> None:
    assert plan_photos(SLOTS, room, photos) == expected


def test_the_rest_go_round_the_records_two_hazards_for_each_sign_check_and_inspection() -> None:
    room = {slot: 12 if slot[1] == 1 or slot[1] in (7, 9) else 3 for slot in SLOTS}  # firsts full; others take 3
    plan = plan_photos(SLOTS, {**room, ("hazard", 1, "found"): 0, ("hazard", 1, "rectified"): 0,
                               ("sign_check", 7, "evidence"): 0, ("inspection", 9, "evidence"): 0}, 5)
    assert plan == {("hazard", 2, "found"): 2, ("hazard", 3, "found"): 2, ("sign_check", 8, "evidence"): 1}


def test_photos_beyond_every_stage_s_room_are_left_out() -> None:
    plan = plan_photos(HAZARD_FOUND, {slot: 2 for slot in HAZARD_FOUND}, 100)
    assert plan == {slot: 2 for slot in HAZARD_FOUND}


@pytest.mark.slow  # it makes a 12-megapixel photo, attaches photos, serves the dashboard and opens the file
def test_bench_evidence_times_the_upload_and_the_file_full_of_photos(fresh_park: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "bench", "--evidence", "--runs", "1", "--photos", "12",
         "--format", "json", "--database-url", fresh_park],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    upload = figures["upload"]
    assert {"median_s", "max_s", "cpu_s", "examine_s", "examine_cpu_s", "store_s", "store_cpu_s", "first_s", "runs_s",
            "original_bytes", "display_bytes", "thumbnail_bytes", "target_s", "target_met"} <= upload.keys()
    assert (upload["width"], upload["height"]) == (4000, 3000) and 3_000_000 <= upload["original_bytes"] <= 5_500_000
    assert len(upload["runs_s"]) == 1 and upload["median_s"] > 0

    file = figures["file"]
    assert file["photos"] >= 12 and file["added"] > 0
    views = file["views"]
    page = f"scorecards?enterprise={file['enterprise']}"
    assert views[0]["view"] == page and views[0]["first_ms"] > 0
    assert any(view["view"].startswith(f"{page} · hazard #") for view in views[1:])  # the heaviest gallery, picked
    for view in views:
        assert {"cold_ms", "warm_ms", "cold_cpu_ms", "warm_cpu_ms", "pictures_ms", "websocket_bytes", "pictures",
                "picture_bytes", "bytes", "targets_met"} <= view.keys()
        assert view["bytes"] == view["websocket_bytes"] + view["picture_bytes"]
    picked = next(view for view in views[1:] if " · hazard #" in view["view"])
    assert picked["pictures"] >= 8  # the pictures the page shows were fetched as a browser fetches them ...
    assert max(view["largest_picture"] for view in views) < 100_000  # ... thumbnails, not the photos as uploaded
