"""Load in a real browser: ten sessions sign in together (the demo users in turn) and keep clicking through
the pages of their role for ``PARK_SAFETY_LOAD_SECONDS`` (60 by default) against one server, while a staff
session saves safety signs on the Records page. No session sees an exception, a page error or a refused
sign-in, every save the staff user saw confirmed is in the database exactly once, and the page times are
printed (with or without ``-s``) and written to ``load-<backend>.json`` in the screenshots folder:

    load (sqlite): N page views in 60 s by 10 sessions, p50 X ms, p95 Y ms, max Z ms; staff saved K records

A page time runs from the click on a sidebar link until the new page's title is shown and the app is idle
again, by the browser's own clock (a save's: until its success message is shown and the app is idle). Nobody
pauses between pages, so the figures are those of a server kept busy by ten people at once.

Playwright's async API drives the eleven browser contexts of one Chromium in one asyncio loop.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import text

from dashboard.auth_routes import COOKIE as SESSION_COOKIE
from dashboard.auth_routes import SESSION_PATH
from dashboard.db import make_engine
from dashboard.navigation import PAGES, PageSpec, pages_for
from models.enums import Role
from tests.e2e.conftest import Screenshots, backend_of
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, IDLE, SETTLED

SECONDS = float(os.environ.get("PARK_SAFETY_LOAD_SECONDS", "60"))
SESSIONS = 10
USERS = ("committee", "finance", "admin", "staff")  # the browsing sessions sign in as these in turn
STEP_TIMEOUT_MS = 60_000  # one page or save; a slower one is an error
SIGN_IN_TIMEOUT_MS = 120_000  # eleven people signing in at once, before the clock starts
# Loose bounds: they catch a server that hangs or fails, not one sharing a busy 2-core machine.
P95_BOUND_MS = 30_000
MIN_VIEWS = max(2, round(3 * SECONDS / 60))  # per browsing session: three pages a minute
STAFF_PAUSE_MS = 1_000  # the staff user's pause between two saves
SAVED = re.compile(r"已保存记录 (\d+) 号")
SUCCESS = "[data-testid='stAlertContentSuccess']"
REFUSED = "[data-testid='stAlertContentError']"
VIEWPORT = {"width": 1280, "height": 900}

# Done: the browser is on ``path``, an element matching ``selector`` shows a text it did not show before the
# click (the new page's title, the new success message), and the app is idle. The app's state alone is not
# enough: when the browser is starved of CPU the whole run's messages arrive at once and the state is drawn
# "not running" throughout, never "running". Returns the page's clock when done.
DONE = """
([path, selector, before, idle]) => {
  if (location.pathname !== path || !document.querySelector(idle)) return false;
  const shown = Array.from(document.querySelectorAll(selector), (element) => element.innerText.trim());
  return shown.some((text) => text !== "" && !before.includes(text)) ? performance.now() : false;
}
"""
# for a failure's message: where the browser is, the app's state, the texts the selector shows
STATE = """
(selector) => ({path: location.pathname, shown: Array.from(document.querySelectorAll(selector), (e) => e.innerText),
                state: document.querySelector("[data-testid='stApp']")?.getAttribute('data-test-script-state')})
"""


@dataclass
class Tally:
    """What one browser session saw."""

    name: str
    page_ms: list[float] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # the page each time in page_ms is of
    errors: list[str] = field(default_factory=list)
    attempted: list[str] = field(default_factory=list)  # the staff's markers, in the order saved
    saved: dict[str, int] = field(default_factory=dict)  # marker -> the record id the success message named


@dataclass
class Run:
    """One load run: the server, this run's marker prefix, where screenshots of failures go, and the clock."""

    url: str
    marker: str
    screenshots: Screenshots
    backend: str
    start: asyncio.Event = field(default_factory=asyncio.Event)
    stop_at: float = 0.0

    def going(self) -> bool:
        return time.monotonic() < self.stop_at

    async def failed(self, page: Any, tally: Tally, what: str) -> None:
        """Keep ``what`` as the session's error, with a screenshot of its page."""
        name = f"load-{self.backend}-{re.sub(r'[^a-z0-9]+', '-', tally.name)}-{len(tally.errors)}.png"
        shot = self.screenshots.folder / name
        try:
            await page.screenshot(path=str(shot), full_page=True)
            self.screenshots.taken.append(shot)
            what += f" (screenshot {shot})"
        except Exception:  # a page that is gone takes no screenshot
            pass
        tally.errors.append(what)


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _path(page: PageSpec) -> str:
    """The URL path of a page in the sidebar: the default (first) page is the site's root."""
    return "/" if page is PAGES[0] else f"/{page.url_path}"


async def _settle(page: Any) -> None:
    """As ``settle``: the script has finished and no rerun has started for half a second."""
    await page.wait_for_function(SETTLED, arg=[IDLE, 500, uuid.uuid4().hex], polling=50, timeout=STEP_TIMEOUT_MS)


async def _timed_run(page: Any, path: str, selector: str, action: Callable[[], Awaitable[None]]) -> float:
    """Do ``action`` (a click) and wait until the run it starts is done (see DONE); its time in ms."""
    before = await page.locator(selector).all_inner_texts()
    clicked_at = float(await page.evaluate("performance.now()"))
    await action()
    try:
        done = await page.wait_for_function(DONE, arg=[path, selector, [text.strip() for text in before], IDLE],
                                            polling=100, timeout=STEP_TIMEOUT_MS)
    except Exception as error:
        state = await page.evaluate(STATE, selector)
        raise AssertionError(f"{type(error).__name__}: {error}; before the click {before}, now {state}") from error
    return float(await done.json_value()) - clicked_at


async def _exception_shown(run: Run, page: Any, tally: Tally, where: str) -> None:
    exceptions = page.locator("[data-testid='stException']")
    if await exceptions.count():
        await run.failed(page, tally, f"{where}: exception shown: {(await exceptions.first.inner_text())[:300]}")


async def _sign_in(run: Run, browser: Any, name: str, username: str) -> tuple[Any, Tally]:
    """A new browser context signed in as ``username`` through the sign-in form: its page, and its tally
    (with an error when the sign-in was refused)."""
    tally = Tally(name)
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = await context.new_page()
    page.on("pageerror", lambda error: tally.errors.append(f"{name}: page error: {error}"))
    await page.goto(run.url)
    await _settle(page)
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(DEMO_PASSWORD)
    # the page hands the session's token to the server, which sets the cookie a new page load signs in with: its
    # answer is waited for from before the click (so that one given at once is not missed), for the sign-in's time
    cookie_set = asyncio.ensure_future(page.wait_for_event(
        "response", lambda answer: answer.url.endswith(SESSION_PATH) and answer.ok, timeout=SIGN_IN_TIMEOUT_MS))
    try:
        await page.get_by_role("button", name="登录").click()
        # signed in (the sign-out button shows), or refused (the form stays, with an error under it)
        signed_in = page.get_by_role("button", name="退出登录")
        refused = page.get_by_test_id("stForm").locator("xpath=following::*[@data-testid='stAlertContentError']")
        try:
            await signed_in.or_(refused).first.wait_for(timeout=SIGN_IN_TIMEOUT_MS)
        except PlaywrightTimeout:
            await run.failed(page, tally, f"{name}: neither signed in nor refused in {SIGN_IN_TIMEOUT_MS} ms")
            return page, tally
        await _settle(page)
        await _exception_shown(run, page, tally, f"{name} signing in")
        if not await signed_in.count():
            shown = " / ".join(await refused.all_inner_texts()) or "not signed in"
            await run.failed(page, tally, f"{name} signing in as {username}: {shown}")
            return page, tally
        try:
            await cookie_set
        except PlaywrightTimeout:
            await run.failed(page, tally, f"{name}: signed in, but no session cookie in {SIGN_IN_TIMEOUT_MS} ms")
            return page, tally
        if not any(cookie["name"] == SESSION_COOKIE for cookie in await context.cookies()):
            await run.failed(page, tally, f"{name}: signed in, but the server's answer set no session cookie")
        return page, tally
    finally:
        cookie_set.cancel()  # nothing once it is done


async def _browse(run: Run, page: Any, role: Role, tally: Tally) -> None:
    """Click through the role's pages in sidebar order until the time is up, timing each page."""
    pages = pages_for(role)
    index = 0
    await run.start.wait()
    try:
        while run.going():
            index = (index + 1) % len(pages)
            path = _path(pages[index])
            link = page.locator(f"[data-testid='stSidebarNav'] a[href='{run.url}{path}']")
            tally.page_ms.append(await _timed_run(page, path, "h1", link.click))
            tally.paths.append(path)
            await _exception_shown(run, page, tally, f"{tally.name} on {path}")
    except Exception as error:  # a timeout or a lost page: this session's error; the others go on
        await run.failed(page, tally, f"{tally.name} going to {_path(pages[index])}: {type(error).__name__}: {error}")


async def _open_records(run: Run, page: Any, tally: Tally, enterprise_id: int) -> None:
    """The Records page for the enterprise, on its safety signs tab."""
    try:
        await page.goto(f"{run.url}/records?enterprise={enterprise_id}")
        await page.get_by_role("tab", name="安全标志").click()
        await _settle(page)
    except Exception as error:
        await run.failed(page, tally, f"{tally.name} opening the Records page: {type(error).__name__}: {error}")


async def _save_signs(run: Run, page: Any, tally: Tally) -> None:
    """Save a new safety sign, located at a marker of its own, again and again until the time is up; keep the
    record id each success message names."""
    tab = page.get_by_role("tab", name="安全标志")
    location = page.locator(".st-key-safety_sign-location input")
    submit = page.locator(".st-key-safety_sign-_submit button")
    await run.start.wait()
    try:
        while run.going():
            if await tab.get_attribute("aria-selected") != "true":
                await tab.click()
                await _settle(page)
            marker = f"{run.marker}-{len(tally.attempted) + 1}"
            await location.fill(marker)
            tally.attempted.append(marker)
            tally.page_ms.append(await _timed_run(page, "/records", f"{SUCCESS}, {REFUSED}", submit.click))
            await _exception_shown(run, page, tally, f"{tally.name} saving {marker}")
            messages = await page.locator(f"{SUCCESS}, {REFUSED}").all_inner_texts()
            confirmed = [int(found.group(1)) for found in map(SAVED.search, messages) if found]
            if len(confirmed) != 1:
                await run.failed(page, tally, f"{tally.name} saving {marker}: success messages {messages!r}")
            else:
                tally.saved[marker] = confirmed[0]
            await page.wait_for_timeout(STAFF_PAUSE_MS)
    except Exception as error:
        await run.failed(page, tally, f"{tally.name} saving: {type(error).__name__}: {error}")


async def _load(run: Run, enterprise_id: int) -> tuple[list[Tally], Tally, float]:
    """Sign everyone in at once, open the staff's form, then let all work for SECONDS: the browsing sessions'
    tallies, the staff's, and the seconds they worked (0 when not everyone got signed in)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            roles = [Role(USERS[n % len(USERS)]) for n in range(SESSIONS)]
            opened = await asyncio.gather(
                *(_sign_in(run, browser, f"session {n + 1} ({role.value})", role.value)
                  for n, role in enumerate(roles)),
                _sign_in(run, browser, "staff saving", "staff"))
            browsing, (staff_page, staff) = opened[:SESSIONS], opened[SESSIONS]
            await _open_records(run, staff_page, staff, enterprise_id)
            if any(tally.errors for _, tally in opened):  # not everyone got in: there is no load to measure
                return [tally for _, tally in browsing], staff, 0.0
            work = [asyncio.create_task(_browse(run, page, role, tally))
                    for (page, tally), role in zip(browsing, roles, strict=True)]
            work.append(asyncio.create_task(_save_signs(run, staff_page, staff)))
            began = time.monotonic()
            run.stop_at = began + SECONDS
            run.start.set()
            await asyncio.gather(*work)
            return [tally for _, tally in browsing], staff, time.monotonic() - began
        finally:
            await browser.close()


def _operating_enterprise(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT min(id) FROM enterprise WHERE status <> 'closed'")).scalar_one()
    finally:
        engine.dispose()
    assert found is not None, "the demo park has no operating enterprise"
    return int(found)


def _signs_marked(database_url: str, marker: str) -> dict[str, list[int]]:
    """The safety signs whose location starts with ``marker``: location -> the ids of those rows."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, location FROM safety_sign WHERE location LIKE :prefix"),
                                      {"prefix": f"{marker}-%"}).all()
    finally:
        engine.dispose()
    found: dict[str, list[int]] = {}
    for row_id, location in rows:
        found.setdefault(str(location), []).append(int(row_id))
    return found


def test_ten_sessions_browse_while_staff_save_and_nothing_is_lost(
    served: tuple[str, str], screenshots: Screenshots, capsys: pytest.CaptureFixture[str]
) -> None:
    url, database_url = served
    backend = backend_of(database_url)
    marker = f"load-{uuid.uuid4().hex[:8]}"
    enterprise_id = _operating_enterprise(database_url)

    async def load() -> tuple[list[Tally], Tally, float]:
        run = Run(url, marker, screenshots, backend)
        return await asyncio.wait_for(_load(run, enterprise_id), timeout=SECONDS + 300)

    browsing, staff, worked = asyncio.run(load())

    views = [ms for tally in browsing for ms in tally.page_ms]
    by_path: dict[str, list[float]] = {}
    for tally in browsing:
        for path, ms in zip(tally.paths, tally.page_ms, strict=True):
            by_path.setdefault(path, []).append(ms)
    figures = {
        "backend": backend, "seconds": round(worked, 1), "sessions": SESSIONS, "page_views": len(views),
        "p50_ms": round(_percentile(views, 0.50)) if views else None,
        "p95_ms": round(_percentile(views, 0.95)) if views else None,
        "max_ms": round(max(views)) if views else None,
        "views_per_session": {tally.name: len(tally.page_ms) for tally in browsing},
        "p95_ms_by_page": {path: round(_percentile(times, 0.95)) for path, times in sorted(by_path.items())},
        "staff_saved": len(staff.saved), "staff_tried": len(staff.attempted),
        "staff_save_p95_ms": round(_percentile(staff.page_ms, 0.95)) if staff.page_ms else None,
        "errors": [error for tally in [*browsing, staff] for error in tally.errors],
    }
    report = screenshots.folder / f"load-{backend}.json"
    report.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    with capsys.disabled():
        print(f"\nload ({backend}): {len(views)} page views in {SECONDS:g} s by {SESSIONS} sessions, "
              f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms; "
              f"staff saved {len(staff.saved)} records (p95 save {figures['staff_save_p95_ms']} ms); "
              f"the last done after {worked:.0f} s; {report}")

    assert figures["errors"] == []
    assert all(len(tally.page_ms) >= MIN_VIEWS for tally in browsing), figures["views_per_session"]
    assert _percentile(views, 0.95) < P95_BOUND_MS, figures
    assert staff.saved, figures

    stored = _signs_marked(database_url, marker)
    # every save the staff user saw confirmed is there, once, under the id the message named
    assert {saved: stored.get(saved) for saved in staff.saved} == {saved: [i] for saved, i in staff.saved.items()}
    assert all(len(ids) == 1 for ids in stored.values()), stored  # nothing was written twice
    assert set(stored) <= set(staff.attempted)
