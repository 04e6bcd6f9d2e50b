"""Fixtures: every database test runs on a fresh SQLite file, and on a fresh PostgreSQL
database too when ``PARK_SAFETY_TEST_DATABASE_URL`` is set.

Each backend is migrated once per test session into a template (a file for SQLite, a
``TEMPLATE`` database for PostgreSQL); each test gets its own copy of it.

Every test runs at one fixed moment, whatever the day it is run: the app's clock
(``PARK_SAFETY_CLOCK``, ``dashboard/clock.py``) starts at :data:`TEST_CLOCK` when the test starts,
in this process and in every process a test starts. ``PARK_SAFETY_CLOCK`` set when pytest starts is
that moment instead (``PARK_SAFETY_CLOCK=2027-02-28T23:59:00+08:00 pytest``). A test takes the
day from the ``today`` fixture, and one that needs another moment sets it with ``set_clock``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from dashboard.db import make_engine, normalize_url, upgrade
from dashboard.i18n import set_language
from dashboard.settings import get_settings
from models import Enterprise, Park

PG_ADMIN_URL = os.environ.get("PARK_SAFETY_TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"]

TEST_CLOCK = os.environ.get("PARK_SAFETY_CLOCK", "").strip() or "2026-11-18T10:00:00+08:00"  # mid-month, mid-morning
os.environ["PARK_SAFETY_CLOCK"] = TEST_CLOCK  # for this process and every process a test starts


# --- the moment and the language every test runs in ---


@pytest.fixture(autouse=True)
def clock_starts_with_the_test() -> Iterator[None]:
    """The app's clock starts at ``TEST_CLOCK`` as the test starts (settings read afresh start it), so a
    test sees the same moment however long the run before it took."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """The test's own thread speaks Chinese, like the pages it opens by default (AppTest names a widget's
    options, ``label()``, in the test's thread when a test sets a value)."""
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(scope="session")
def today() -> date:
    """The park's day at ``TEST_CLOCK``: the day every test runs on, and the demo park is seeded to."""
    moment = datetime.fromisoformat(TEST_CLOCK)
    zone = ZoneInfo(get_settings().timezone)
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)).astimezone(zone).date()


@pytest.fixture
def set_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``set_clock("2027-02-28T23:59:00+08:00")``: the app's clock starts at that moment now, for the rest of
    the test (and the processes it starts)."""

    def move(moment: str) -> None:
        monkeypatch.setenv("PARK_SAFETY_CLOCK", moment)
        get_settings.cache_clear()

    return move


def _pg_admin() -> Engine:
    return create_engine(normalize_url(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")


def _pg_url(database: str) -> str:
    return make_url(normalize_url(PG_ADMIN_URL)).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """A PostgreSQL database migrated to head, used as TEMPLATE for each test's database."""
    if not PG_ADMIN_URL:
        yield None
        return
    name = f"park_safety_tpl_{os.getpid()}"
    admin = _pg_admin()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(_pg_url(name))
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def _fresh_database(backend: str, folder: Path, sqlite_template: Path, pg_template: str | None) -> Iterator[str]:
    """A copy of the migrated template on ``backend``; dropped afterwards (PostgreSQL)."""
    if backend == "sqlite":
        path = folder / "park.sqlite3"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    if pg_template is None:
        pytest.skip("PARK_SAFETY_TEST_DATABASE_URL is not set")
    name = f"park_safety_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    try:
        yield _pg_url(name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, pg_template: str | None
) -> Iterator[str]:
    """The URL of a fresh, migrated, empty database on each backend."""
    with _fresh_database(request.param, tmp_path, sqlite_template, pg_template) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh, migrated, empty database (once per backend)."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on a fresh, empty database; the test commits what it wants kept."""
    with Session(engine, expire_on_commit=False) as s:
        yield s


# --- records for service tests ---


@pytest.fixture
def park(engine: Engine) -> Park:
    """The park row, whose boundary (30.20–30.30 N, 120.10–120.20 E) enterprises must lie in."""
    from tests.records import PARK_BOUNDARY

    row = Park(name="临江化工园区", name_en="Linjiang Chemical Park", boundary_geojson=PARK_BOUNDARY,
               center_lat=30.25, center_lon=120.15, accident_target_per_year=1)
    with Session(engine, expire_on_commit=False) as s:
        s.add(row)
        s.commit()
    return row


@pytest.fixture
def enterprise(engine: Engine, park: Park) -> Enterprise:
    """One committed, valid enterprise inside the park (created through the service)."""
    from dashboard.services.enterprises import create_enterprise
    from dashboard.services.permissions import SYSTEM
    from tests.records import enterprise_data

    with Session(engine, expire_on_commit=False) as s:
        row = create_enterprise(session=s, actor=SYSTEM, data=enterprise_data())
        s.commit()
    return row


@pytest.fixture(scope="module", params=BACKENDS)
def module_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path,
    pg_template: str | None,
) -> Iterator[Engine]:
    """One fresh database per test module and backend, for tests that leave it as they found it
    (reads, and writes the database refuses). Use ``engine`` for anything that writes."""
    folder = tmp_path_factory.mktemp("module_db")
    with _fresh_database(request.param, folder, sqlite_template, pg_template) as url:
        eng = make_engine(url)
        yield eng
        eng.dispose()


@pytest.fixture
def june_2026(session: Session, park: Park) -> dict[str, int]:
    """The small park of June 2026 (tests/park_builder.py: accident target 1 a year, no accident): the ids of its
    records by name."""
    from tests.park_builder import june_park

    return june_park(session)


# --- the demo park for page tests ---


@pytest.fixture(scope="module", params=BACKENDS)
def demo_app_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path,
    pg_template: str | None, today: date,
) -> Iterator[str]:
    """The demo park, seeded as of ``today`` into a fresh database per module and backend; the app's
    settings point at it for the module. Page tests read it and leave it as they found it
    (sign-ins add sessions and audit rows only)."""
    from seed import seed_demo_park

    folder = tmp_path_factory.mktemp("demo_app")
    with _fresh_database(request.param, folder, sqlite_template, pg_template) as url:
        eng = make_engine(url)
        seed_demo_park(eng, as_of=today)
        eng.dispose()
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PARK_SAFETY_DATABASE_URL", url)
            patch.setenv("PARK_SAFETY_LANGUAGE", "zh")
            get_settings.cache_clear()
            yield url
        get_settings.cache_clear()


@pytest.fixture
def fresh_park(db_url: str, monkeypatch: pytest.MonkeyPatch, today: date) -> Iterator[str]:
    """The demo park, seeded as of ``today`` into this test's own database (on each backend), with the app's
    settings pointed at it: for page tests that save."""
    from seed import seed_demo_park

    engine = make_engine(db_url)
    seed_demo_park(engine, as_of=today)
    engine.dispose()
    monkeypatch.setenv("PARK_SAFETY_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()
