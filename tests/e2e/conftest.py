"""Browser tests: ``park-safety serve`` on a free port with a fresh demo park, driven by Playwright in
Debian's Chromium (``/usr/bin/chromium``; Playwright never downloads a browser here).

Each module's server runs twice: over a fresh SQLite file, and over a fresh PostgreSQL database on the
server ``PARK_SAFETY_TEST_DATABASE_URL`` names (skipped when it is unset). ``serve`` migrates the empty
database and seeds the demo park into it.

Screenshots go to one folder (``PARK_SAFETY_SCREENSHOTS``, or a folder under pytest's temporary
directory); the end of the run prints where.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from dashboard.auth_routes import COOKIE as SESSION_COOKIE
from dashboard.auth_routes import SESSION_PATH
from dashboard.i18n import CATALOGS
from tests.conftest import PG_ADMIN_URL, _pg_admin, _pg_url
from tests.e2e.server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_PASSWORD,
    IDLE,
    ServerDidNotStart,
    serve_dashboard,
    server_answers,
    settle,
)

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "EXCEPTION", "IDLE", "NAV_LINK", "VIEWPORT", "Screenshots", "backend_of",
           "fresh_pg_database", "shown_text", "signed_in"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def clock_starts_with_the_test() -> None:
    """Here the app's clock runs on from where it started, test after test: a served dashboard's clock starts
    where this process's clock is when the server starts (``serve_dashboard``), and the two must agree while
    the module's tests run (a delay written into the database here is read by the server)."""


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty database ``park_safety_e2e_<hex>`` on the test server (its URL); dropped afterwards,
    with any connection still open to it. Skips the test when ``PARK_SAFETY_TEST_DATABASE_URL`` is unset."""
    if not PG_ADMIN_URL:
        pytest.skip("PARK_SAFETY_TEST_DATABASE_URL is not set")
    name = f"park_safety_e2e_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _pg_url(name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def backend_of(database_url: str) -> str:
    """Which backend a ``served`` database URL is on: "sqlite" or "postgresql"."""
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@pytest.fixture(scope="module", params=BACKENDS, ids=BACKENDS)
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The dashboard served on a free port over a fresh demo park, on each backend: (its URL, the database URL)."""
    data_dir = tmp_path_factory.mktemp(f"served-{request.param}")
    try:
        if request.param == "sqlite":
            with serve_dashboard(data_dir) as url:
                yield url, f"sqlite:///{data_dir / 'park-safety.sqlite3'}"
        else:
            with fresh_pg_database() as database_url, serve_dashboard(data_dir, database_url=database_url) as url:
                yield url, database_url
    except ServerDidNotStart as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def server_url(served: tuple[str, str]) -> str:
    """The served dashboard's URL."""
    return served[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- screenshots --------------------------------------------------------------------------------


@dataclass
class Screenshots:
    """The folder every browser test puts its screenshots in, and the ones taken in this run."""

    folder: Path
    taken: list[Path] = field(default_factory=list)

    def take(self, target: Any, name: str, *, full_page: bool = True, clip: dict[str, float] | None = None) -> bytes:
        """Save a screenshot of ``target`` (a Playwright page or locator) as ``<name>.png``; its PNG bytes. Of a
        page, ``clip`` (x, y, width, height) takes one part of it."""
        path = self.folder / f"{name}.png"
        if hasattr(target, "goto"):  # a page
            png = target.screenshot(path=str(path), full_page=full_page and clip is None, clip=clip)
        else:
            png = target.screenshot(path=str(path))
        self.taken.append(path)
        return bytes(png)


SCREENSHOTS = pytest.StashKey[Screenshots]()


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Screenshots:
    """Where the browser tests' screenshots go: ``PARK_SAFETY_SCREENSHOTS`` when set, else a temporary folder."""
    chosen = os.environ.get("PARK_SAFETY_SCREENSHOTS", "").strip()
    folder = Path(chosen).resolve() if chosen else tmp_path_factory.mktemp("browser-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    shots = Screenshots(folder)
    request.config.stash[SCREENSHOTS] = shots
    return shots


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test here serves the app (and most drive Chromium): slow, so the quick loop
    (``pytest -m "not slow"``) leaves them to the full run."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    shots = config.stash.get(SCREENSHOTS, None)
    if shots is not None and shots.taken:
        terminalreporter.write_line(f"browser screenshots: {shots.folder}")


# --- signing in ---------------------------------------------------------------------------------

VIEWPORT = {"width": 1400, "height": 2600}  # tall: the main area scrolls inside its own container
NAV_LINK = "[data-testid='stSidebarNavLink']"
EXCEPTION = "[data-testid='stException']"


def signed_in(browser: Any, url: str, username: str, viewport: dict[str, int] | None = None) -> tuple[Any, Any]:
    """A fresh browser context signed in as ``username`` (Chinese, the default language): (context, page).
    Waits for the sidebar navigation, which only a signed-in user gets, and for the session cookie."""
    context = browser.new_context(viewport=viewport or VIEWPORT)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_label("用户名").fill(username)  # waits for the sign-in form
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    # the page then sets the HttpOnly session cookie with a request of its own: a page opened by its URL
    # before the server has answered it would ask to sign in again
    with server_answers(page, SESSION_PATH):
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector(f"{NAV_LINK}, {EXCEPTION}", timeout=60_000)
        if page.locator(EXCEPTION).count():
            raise AssertionError(f"signing in as {username} failed:\n{page.locator(EXCEPTION).first.inner_text()}")
    assert any(cookie["name"] == SESSION_COOKIE for cookie in context.cookies()), f"{username}: no session cookie"
    settle(page, 200)
    return context, page


def shown_text(key: str, **values: object) -> re.Pattern[str]:
    """The Chinese catalog message ``key`` as the page shows it: the ``{placeholders}`` given are filled in,
    the others match any value."""
    parts = re.split(r"(\{[a-z_]+\})", CATALOGS["zh"][key])
    pattern = ""
    for part in parts:
        name = part[1:-1] if part.startswith("{") and part.endswith("}") else None
        if name is None:
            pattern += re.escape(part)
        else:
            pattern += re.escape(str(values[name])) if name in values else r"\S+?"
    return re.compile(pattern)
