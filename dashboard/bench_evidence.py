"""``park-safety bench --evidence``: how long an upload takes, and what an enterprise file full of photos costs.

- **upload**: a 12-megapixel phone photo (4000 × 3000 JPEG of photo-like detail and grain, 3–5 MB, with EXIF
  orientation, time and GPS) attached to a hazard by :func:`dashboard.services.attachments.attach` on a fresh
  SQLite database file, as a save does it: the checks, the decoding, the upright display copy and the thumbnail,
  the rows and the commit. Each run has a file of its own, copied from one small park made first; one upload
  before the runs is timed apart (the process's first loads the image codecs). Beside it, the examination alone
  (:func:`dashboard.services.attachment_files.examine`: checks and both copies), the rest being storing and
  committing. Target: 1.5 s on this 2-core machine.
- **the file**: the enterprise with the most hazards gets photos on its hazards (before and after), sign checks
  and inspections, 200 in all (``--photos``) unless it has them already (the database is built once and reused,
  like the other benchmarks' files). The dashboard is served (``dashboard/bench_pages.py``) and the enterprise's
  file on the Scorecards page is opened as a browser tab opens it: the page's messages over the websocket, then
  every picture the page shows fetched over HTTP with the session's cookie, six at a time as a browser does.
  Beside the file as it opens (each record tab shows the files of its first record that has some), each tab's
  heaviest gallery: the record with the most files picked in the tab. First (right after the server started,
  no picture read yet), cold (right after a write) and warm, with the server's own CPU time (what the page
  takes on an idle machine); the bytes are the websocket's and the pictures'. Targets, the README's for every
  page: warm <= 300 ms and <= 5 MB.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from itertools import cycle
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from dashboard.bench_pages import TARGET_BYTES, TARGET_WARM_MS, PageClient, PageRun, busiest_enterprise

TARGET_UPLOAD_S = 1.5
UPLOAD_SIZE = (4000, 3000)  # 12 megapixels: a phone's main camera
FILE_PHOTO_SIZE = (2048, 1536)  # the file's photos: 3 megapixels, so each display copy is the full 2048 px
FILE_TABLES = ("hazard", "sign_check", "inspection")
EVIDENCE_FILENAME = "bench-evidence.sqlite3"
BROWSER_CONNECTIONS = 6  # what a browser fetches from one host at once
Progress = Callable[[str], None]


class EvidenceBenchError(RuntimeError):
    """The benchmark could not run: no enterprise to attach to, a photo refused, or a view failed."""


# --- the photos -------------------------------------------------------------------------------------


def phone_photo(size: tuple[int, int], *, seed: int) -> bytes:
    """A JPEG as a phone saves it: ``size`` pixels stored sideways with EXIF orientation 6 (to be turned upright),
    the time and position it was taken, the device. Its pixels are smooth shapes at three scales and a sensor's
    grain, so it compresses like a photo (a 12-megapixel one to 3–5 MB) and its thumbnail has detail."""
    from PIL import ExifTags, Image
    from PIL.TiffImagePlugin import IFDRational

    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "HUAWEI", "Mate 60"
    exif[ExifTags.Base.Orientation] = 6
    taken = datetime(2026, 11, 2, 9, 30) + timedelta(minutes=seed)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (
        IFDRational(30), IFDRational(15), IFDRational(seed % 6000, 100))
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (
        IFDRational(120), IFDRational(9), IFDRational(seed % 6000, 100))
    out = BytesIO()
    _photo_pixels(size, seed).save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def _photo_pixels(size: tuple[int, int], seed: int) -> Any:
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    width, height = size
    total = np.full((height, width, 3), 128, dtype=np.int16)
    for cells, spread in ((8, 60), (48, 26), (320, 14)):  # walls and floor, objects, texture
        coarse = rng.normal(128, spread, size=(max(1, cells * height // width), cells, 3))
        layer = Image.fromarray(coarse.clip(0, 255).astype(np.uint8)).resize(size, Image.Resampling.BILINEAR)
        total += np.asarray(layer, dtype=np.int16) - 128
    total += rng.integers(-10, 11, size=(height, width, 1), dtype=np.int16)  # the sensor's grain
    return Image.fromarray(total.clip(0, 255).astype(np.uint8))


# --- the upload ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    wall_s: float
    cpu_s: float  # the process's CPU time: what it takes on an idle machine


@dataclass(frozen=True)
class UploadTiming:
    uploads: list[Timed]  # attach() and the commit, each on a fresh database file
    examinations: list[Timed]  # the examination alone (checks, decoding, both copies), right after each upload
    first_s: float  # the process's first upload (not among the runs)
    original_bytes: int
    display_bytes: int
    thumbnail_bytes: int

    @property
    def median_s(self) -> float:
        return statistics.median(u.wall_s for u in self.uploads)

    @property
    def max_s(self) -> float:
        return max(u.wall_s for u in self.uploads)

    @property
    def cpu_s(self) -> float:
        return statistics.median(u.cpu_s for u in self.uploads)

    @property
    def examine_s(self) -> float:
        return statistics.median(e.wall_s for e in self.examinations)

    @property
    def examine_cpu_s(self) -> float:
        return statistics.median(e.cpu_s for e in self.examinations)

    @property
    def store_s(self) -> float:
        """Storing and committing: each upload less the examination timed after it (the median of the runs)."""
        return max(0.0, statistics.median(u.wall_s - e.wall_s for u, e in zip(self.uploads, self.examinations,
                                                                                strict=True)))

    @property
    def store_cpu_s(self) -> float:
        return max(0.0, statistics.median(u.cpu_s - e.cpu_s for u, e in zip(self.uploads, self.examinations,
                                                                              strict=True)))

    @property
    def target_met(self) -> bool:
        return self.max_s <= TARGET_UPLOAD_S

    def as_json(self) -> dict[str, Any]:
        return {"median_s": round(self.median_s, 3), "max_s": round(self.max_s, 3), "cpu_s": round(self.cpu_s, 3),
                "examine_s": round(self.examine_s, 3), "examine_cpu_s": round(self.examine_cpu_s, 3),
                "store_s": round(self.store_s, 3), "store_cpu_s": round(self.store_cpu_s, 3),
                "first_s": round(self.first_s, 3), "runs_s": [round(u.wall_s, 3) for u in self.uploads],
                "width": UPLOAD_SIZE[0], "height": UPLOAD_SIZE[1], "original_bytes": self.original_bytes,
                "display_bytes": self.display_bytes, "thumbnail_bytes": self.thumbnail_bytes,
                "target_s": TARGET_UPLOAD_S, "target_met": self.target_met}


def time_upload(runs: int, progress: Progress | None = None) -> UploadTiming:
    """Attach a 12-megapixel photo to a hazard ``runs`` times, each on a fresh SQLite file, and time it; after each,
    the examination alone."""
    from dashboard.services.attachment_files import ExaminedFile, examine
    from dashboard.settings import get_settings

    say = progress or (lambda _line: None)
    photo = phone_photo(UPLOAD_SIZE, seed=1)
    limit = get_settings().attachment_max_bytes
    uploads: list[Timed] = []
    examinations: list[Timed] = []
    examined: ExaminedFile | None = None
    with tempfile.TemporaryDirectory(prefix="park-safety-upload-") as folder:
        say("  a small park for the uploads …")
        template, hazard_id = _small_park(Path(folder))
        first = _timed_attach(_copy_of(template, Path(folder) / "first.sqlite3"), hazard_id, photo)
        for run in range(runs):
            uploads.append(_timed_attach(_copy_of(template, Path(folder) / f"run-{run}.sqlite3"), hazard_id, photo))
            started, cpu = time.perf_counter(), time.process_time()
            examined = examine(photo, max_bytes=limit)
            examinations.append(Timed(time.perf_counter() - started, time.process_time() - cpu))
            say(f"  upload {run + 1}: {uploads[-1].wall_s:.2f} s (examining alone {examinations[-1].wall_s:.2f} s)")
    return UploadTiming(uploads=uploads, examinations=examinations, first_s=first.wall_s, original_bytes=len(photo),
                        display_bytes=len(examined.display or b"") if examined else 0,
                        thumbnail_bytes=len(examined.thumbnail or b"") if examined else 0)


def _small_park(folder: Path) -> tuple[Path, int]:
    """The demo park of one enterprise in a file of ``folder``; the file and its first hazard's id."""
    from dashboard.db import make_engine, upgrade
    from models import Hazard
    from seed import seed_demo_park

    path = folder / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        seed_demo_park(engine, enterprises=1)
        with Session(engine) as session:
            hazard_id = session.execute(select(func.min(col(Hazard.id)))).scalar()
    finally:
        engine.dispose()
    if hazard_id is None:
        raise EvidenceBenchError("the small park has no hazard to attach a photo to")
    return path, int(hazard_id)


def _copy_of(template: Path, path: Path) -> Path:
    """A fresh database file with ``template``'s contents (SQLite's online backup: its write-ahead log included)."""
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return path


def _timed_attach(path: Path, hazard_id: int, photo: bytes) -> Timed:
    """Seconds to attach ``photo`` to the hazard as a save does, one write transaction committed: the wall time
    and the process's CPU time."""
    from dashboard.db import make_engine, session_scope, writing
    from dashboard.services.attachments import attach
    from dashboard.services.permissions import SYSTEM

    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect():  # the connection pool's first connection is not the upload's cost
            pass
        started, cpu = time.perf_counter(), time.process_time()
        with session_scope(writing(engine)) as session:
            attach(session=session, actor=SYSTEM, table="hazard", record_id=hazard_id, stage="found",
                   files=[("IMG_20261102_093000.jpg", photo)])
        return Timed(time.perf_counter() - started, time.process_time() - cpu)
    finally:
        engine.dispose()


# --- the enterprise's file full of photos -----------------------------------------------------------

Slot = tuple[str, int, str]  # a record's table, its id and the stage of its files


@dataclass(frozen=True)
class FilePhotos:
    enterprise_id: int
    by_table: dict[str, int]  # live photos on the enterprise's records, by table
    heaviest: dict[str, tuple[int, int]]  # table: (the record with the most files, how many)
    added: int  # photos attached by this run (0 when the file had them)

    @property
    def photos(self) -> int:
        return sum(self.by_table.values())


def ensure_file_photos(engine: Engine, photos: int, progress: Progress | None = None) -> FilePhotos:
    """Make sure the enterprise with the most hazards has at least ``photos`` photos on its hazards, sign checks
    and inspections, attaching what is missing (each record's stage filled as :func:`plan_photos` says)."""
    from dashboard.db import session_scope, writing
    from dashboard.services.attachments import FILES_PER_STAGE, attach, live_count
    from dashboard.services.permissions import SYSTEM
    from models import AttachmentStage

    say = progress or (lambda _line: None)
    enterprise_id = busiest_enterprise(engine)
    if enterprise_id is None:
        raise EvidenceBenchError("the database has no enterprise to put photos in")
    with Session(engine) as session:
        slots = _slots(session, enterprise_id)
        room = {slot: FILES_PER_STAGE - live_count(session, slot[0], slot[1], AttachmentStage(slot[2]))
                for slot in slots}
        have = sum(_live_photos(session, slots).values())
    plan = plan_photos(slots, room, photos - have)
    if plan:
        say(f"  attaching {sum(plan.values())} photos of {FILE_PHOTO_SIZE[0]} × {FILE_PHOTO_SIZE[1]} px to "
            f"enterprise {enterprise_id}'s records (once: the database keeps them) …")
    done = 0
    for (table, record_id, stage), count in plan.items():
        files = [(f"IMG_{have + done + n:04d}.jpg", phone_photo(FILE_PHOTO_SIZE, seed=have + done + n))
                 for n in range(count)]
        with session_scope(writing(engine)) as session:
            attach(session=session, actor=SYSTEM, table=table, record_id=record_id, stage=stage, files=files)
        if (done + count) // 20 > done // 20:
            say(f"    {done + count} of {sum(plan.values())}")
        done += count
    with Session(engine) as session:
        live = _live_photos(session, slots)
    by_table = Counter[str]()
    heaviest: dict[str, tuple[int, int]] = {}
    for (table, record_id), count in live.items():
        by_table[table] += count
        if count > heaviest.get(table, (0, 0))[1]:
            heaviest[table] = (record_id, count)
    return FilePhotos(enterprise_id, dict(by_table), heaviest, done)


def plan_photos(slots: Sequence[Slot], room: dict[Slot, int], photos: int) -> dict[Slot, int]:
    """Where ``photos`` more photos go: first as many as a record's stage holds on the first record of each table
    (both stages of the first hazard: the heaviest galleries), then one at a time round the others, two hazards
    for every sign check and inspection, until they are placed or every stage is full."""
    plan: Counter[Slot] = Counter()
    left = max(0, photos)

    def place(slot: Slot, count: int) -> None:
        nonlocal left
        count = min(count, room.get(slot, 0) - plan[slot], left)
        if count > 0:
            plan[slot] += count
            left -= count

    by_table = {table: [slot for slot in slots if slot[0] == table] for table in FILE_TABLES}
    for table_slots in by_table.values():
        for slot in table_slots:
            if slot[1] == table_slots[0][1]:
                place(slot, left)
    rounds = {table: cycle(table_slots) for table, table_slots in by_table.items() if table_slots}
    turns = [table for table in ("hazard", "hazard", "sign_check", "inspection") if table in rounds]
    while left > 0 and any(room.get(slot, 0) > plan[slot] for slot in slots):
        for table in turns:
            place(next(rounds[table]), 1)
    return {slot: count for slot, count in plan.items() if count}


def _slots(session: Session, enterprise_id: int) -> list[Slot]:
    """Where the enterprise's photos may go: each hazard as found (and as rectified, once it was), each check of
    its signs, each inspection; hazards with a rectification first, so the first hazard has both stages."""
    from models import Hazard, Inspection, SafetySign, SignCheck

    hazards = session.execute(
        select(col(Hazard.id), col(Hazard.rectified_on)).where(col(Hazard.enterprise_id) == enterprise_id)
        .order_by(col(Hazard.rectified_on).is_(None), col(Hazard.id))).all()
    checked = session.execute(
        select(col(SignCheck.id), col(SignCheck.safety_sign_id), col(SignCheck.checked_on))
        .join(SafetySign, col(SafetySign.id) == col(SignCheck.safety_sign_id))
        .where(col(SafetySign.enterprise_id) == enterprise_id).order_by(col(SignCheck.id))).all()
    latest = {sign_id: check_id for check_id, sign_id, _ in sorted(checked, key=lambda c: (c[2], c[0]))}
    # each sign's last check first: the file shows the photos of a sign's last check
    checks = sorted((int(check_id) for check_id, _, _ in checked), key=lambda i: (i not in latest.values(), i))
    inspections = session.execute(
        select(col(Inspection.id)).where(col(Inspection.enterprise_id) == enterprise_id)
        .order_by(col(Inspection.id))).scalars()
    slots: list[Slot] = []
    for hazard_id, rectified_on in hazards:
        slots.append(("hazard", int(hazard_id), "found"))
        if rectified_on is not None:
            slots.append(("hazard", int(hazard_id), "rectified"))
    slots += [("sign_check", int(i), "evidence") for i in checks]
    slots += [("inspection", int(i), "evidence") for i in inspections]
    return slots


def _live_photos(session: Session, slots: Iterable[Slot]) -> Counter[tuple[str, int]]:
    """The live photos (not PDFs) on the records of ``slots``, by (table, record id)."""
    from models import Attachment

    records: dict[str, set[int]] = {}
    for table, record_id, _ in slots:
        records.setdefault(table, set()).add(record_id)
    counted: Counter[tuple[str, int]] = Counter()
    for table, ids in records.items():
        for record_id, count in session.execute(
            select(col(Attachment.entity_id), func.count())
            .where(col(Attachment.entity) == table, col(Attachment.entity_id).in_(sorted(ids)),
                   col(Attachment.removed_at).is_(None), col(Attachment.media_type).like("image/%"))
            .group_by(col(Attachment.entity_id))
        ).all():
            counted[(table, int(record_id))] = int(count)
    return counted


# --- opening the file -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewTiming:
    view: str  # the file as it opens, or a tab's heaviest gallery picked
    first_ms: float | None  # the first open after the server started (no picture read yet); the file only
    cold_ms: float  # medians: until the page's script finished
    warm_ms: float
    cold_cpu_ms: float  # means: the server's own CPU time for the page and its pictures, what it takes when idle
    warm_cpu_ms: float
    pictures_ms: float  # median: fetching every picture of the page after it, six at a time (warm)
    websocket_bytes: int
    pictures: int
    picture_bytes: int
    largest_picture: int

    @property
    def bytes(self) -> int:
        return self.websocket_bytes + self.picture_bytes

    @property
    def targets_met(self) -> dict[str, bool]:
        return {"warm_ms": self.warm_ms <= TARGET_WARM_MS, "bytes": self.bytes <= TARGET_BYTES}

    def as_json(self) -> dict[str, Any]:
        return {"view": self.view, "first_ms": None if self.first_ms is None else round(self.first_ms, 1),
                "cold_ms": round(self.cold_ms, 1), "warm_ms": round(self.warm_ms, 1),
                "cold_cpu_ms": round(self.cold_cpu_ms, 1), "warm_cpu_ms": round(self.warm_cpu_ms, 1),
                "pictures_ms": round(self.pictures_ms, 1), "websocket_bytes": self.websocket_bytes,
                "pictures": self.pictures, "picture_bytes": self.picture_bytes,
                "largest_picture": self.largest_picture, "bytes": self.bytes,
                "targets_met": self.targets_met}


@dataclass(frozen=True)
class _Opened:
    script_ms: float
    websocket_bytes: int
    pictures_ms: float
    picture_sizes: list[int]
    cpu_ms: float  # the server's, for the page and its pictures


def time_file_views(engine: Engine, file: FilePhotos, runs: int, language: str,
                    progress: Progress | None = None) -> tuple[list[ViewTiming], float]:
    """Serve ``engine``'s database and open the enterprise's file (and each tab's heaviest gallery) first, cold
    and warm; the timings, and the server's peak memory in MB."""
    from dashboard.bench_pages import demo_admin_token, peak_rss_of, served

    say = progress or (lambda _line: None)
    page = f"scorecards?enterprise={file.enterprise_id}"
    token = demo_admin_token(engine)
    views: list[ViewTiming] = []
    with served(engine.url.render_as_string(hide_password=False)) as (url, pid):
        client = PageClient(url, token, language)
        try:
            _check(client.open(""), "")  # the server's first run imports the libraries
            first = _open(client, pid, token, page, {})
            pick_ids = _gallery_pickers(client.messages)
            views.append(_time_view(client, pid, token, engine, page, page, {}, runs, first.script_ms))
            say(_line(views[-1]))
        finally:
            client.close()
        for table, (record_id, count) in file.heaviest.items():
            widget = pick_ids.get(table)
            if widget is None:  # the page shows no gallery of this table
                continue
            row_id = _sign_of(engine, record_id) if table == "sign_check" else record_id  # a sign's row shows its
            client = PageClient(url, token, language)                                    # last check's files
            try:
                views.append(_time_view(client, pid, token, engine, f"{page} · {table} #{record_id} ({count} files)",
                                        page, {widget: f"#{row_id}"}, runs, None))
                say(_line(views[-1]))
            finally:
                client.close()
        peak = peak_rss_of(pid)
    return views, peak


def _sign_of(engine: Engine, check_id: int) -> int:
    from models import SignCheck

    with Session(engine) as session:
        return int(session.execute(select(col(SignCheck.safety_sign_id)).where(col(SignCheck.id) == check_id))
                   .scalar_one())


def _time_view(client: PageClient, pid: int, token: str, engine: Engine, view: str, page: str,
               choices: dict[str, str], runs: int, first_ms: float | None) -> ViewTiming:
    from dashboard.bench_pages import move_revision

    _open(client, pid, token, page, choices)  # this tab's session is made and has drawn the view once
    cold: list[_Opened] = []
    warm: list[_Opened] = []
    for _ in range(runs):
        move_revision(engine)
        cold.append(_open(client, pid, token, page, choices))
        warm.append(_open(client, pid, token, page, choices))
    sizes = max((opened.picture_sizes for opened in cold + warm), key=sum)
    return ViewTiming(
        view=view, first_ms=first_ms, cold_ms=statistics.median(o.script_ms for o in cold),
        warm_ms=statistics.median(o.script_ms for o in warm),
        cold_cpu_ms=statistics.fmean(o.cpu_ms for o in cold), warm_cpu_ms=statistics.fmean(o.cpu_ms for o in warm),
        pictures_ms=statistics.median(o.pictures_ms for o in warm),
        websocket_bytes=max(o.websocket_bytes for o in cold + warm), pictures=len(sizes),
        picture_bytes=sum(sizes), largest_picture=max(sizes, default=0))


def _open(client: PageClient, pid: int, token: str, page: str, choices: dict[str, str]) -> _Opened:
    """Open ``page`` with ``choices`` picked, then fetch every picture it shows, as the browser does."""
    cpu = cpu_ms_of(pid)
    run = _check(client.open(page, choices), page)
    started = time.perf_counter()
    sizes = fetch_pictures(client.url, token, picture_urls(client.messages))
    return _Opened(run.elapsed_ms, run.bytes, (time.perf_counter() - started) * 1000, sizes, cpu_ms_of(pid) - cpu)


def cpu_ms_of(pid: int) -> float:
    """The CPU time (user and system, every thread) a running process has had, in ms (Linux ``/proc``; 0 where
    there is none). Its clock ticks are 10 ms: the figures are means of several runs."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _check(run: PageRun, page: str) -> PageRun:
    if run.exceptions:
        raise EvidenceBenchError(f"{page or 'the default page'} failed: {run.exceptions[0]}")
    return run


def picture_urls(messages: Iterable[Any]) -> list[str]:
    """The addresses of the pictures (``st.image``) among a page's messages, in the order drawn."""
    return [image.url for element in _elements(messages) if element.WhichOneof("type") == "imgs"
            for image in element.imgs.imgs]


def _gallery_pickers(messages: Iterable[Any]) -> dict[str, str]:
    """The widget ids of the file's record pickers (``views/scorecards._files``, keyed by table), by table."""
    found: dict[str, str] = {}
    for element in _elements(messages):
        if element.WhichOneof("type") == "selectbox":
            found.update({table: element.selectbox.id for table in FILE_TABLES
                          if element.selectbox.id.endswith(f"scorecards.files.{table}")})
    return found


def _elements(messages: Iterable[Any]) -> Iterator[Any]:
    """The elements a page's messages (``ForwardMsg``) draw."""
    for forward in messages:
        if forward.WhichOneof("type") == "delta" and forward.delta.WhichOneof("type") == "new_element":
            yield forward.delta.new_element


def fetch_pictures(url: str, token: str, paths: Sequence[str]) -> list[int]:
    """Fetch ``paths`` from the dashboard at ``url`` with the session's cookie, six at a time; their sizes."""
    from dashboard.auth_routes import COOKIE

    def fetch(path: str) -> int:
        request = urllib.request.Request(url + (path if path.startswith("/") else f"/{path}"),
                                         headers={"Cookie": f"{COOKIE}={token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return len(response.read())

    if not paths:
        return []
    with ThreadPoolExecutor(BROWSER_CONNECTIONS) as pool:
        return list(pool.map(fetch, paths))


def _line(view: ViewTiming) -> str:
    first = f"first {view.first_ms:.0f} ms, " if view.first_ms is not None else ""
    return (f"  {view.view}: {first}cold {view.cold_ms:.0f} ms, warm {view.warm_ms:.0f} ms (server CPU "
            f"{view.cold_cpu_ms:.0f} ms, {view.warm_cpu_ms:.0f} ms), {view.pictures} "
            f"pictures {view.picture_bytes:,} bytes, {view.bytes:,} bytes in all")


def load_average() -> tuple[float, float, float] | None:
    """The machine's load average (1, 5, 15 minutes), printed beside the figures; None where there is none."""
    try:
        return os.getloadavg()
    except OSError:
        return None
