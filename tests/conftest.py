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
from models import Enterprise, Hazard, Park

PG_ADMIN_URL = os.environ.get("PARK_SAFETY_TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"]

TEST_CLOCK = os.environ.get("PARK_SAFETY_CLOCK", "").strip() or "2026-11-18T10:00:00+08:00"  # mid-month, mid-morning
os.environ["PARK_SAFETY_CLOCK"] = TEST_CLOCK  # for this process and every process a test starts
# Passwords are hashed with argon2's least cost in tests (the same code path: about 2 ms a hash instead of 200 ms
# on this machine, and tests sign in thousands of times); tests/test_users_admin.py holds the production defaults.
os.environ.setdefault("PARK_SAFETY_PASSWORD_HASH_TIME_COST", "1")
os.environ.setdefault("PARK_SAFETY_PASSWORD_HASH_MEMORY_KIB", "1024")


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
    if backend == "postgresql" and pg_template is None:
        pytest.skip("PARK_SAFETY_TEST_DATABASE_URL is not set")
    with _copy_of(sqlite_template if backend == "sqlite" else str(pg_template), folder) as url:
        yield url


@contextmanager
def _copy_of(template: Path | str, folder: Path) -> Iterator[str]:
    """A copy of a template database: a SQLite file (a ``Path``) or a PostgreSQL database (its name)."""
    if isinstance(template, Path):
        path = folder / "park.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    name = f"park_safety_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield _pg_url(name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class DemoParks:
    """The demo park seeded once per backend and as-of date, into a template each test that wants the demo
    park gets a copy of (seeding takes seconds; a copy, milliseconds). A test that writes changes only its copy."""

    def __init__(self, folder: Path, sqlite_template: Path, pg_template: str | None) -> None:
        self.folder, self.sqlite_template, self.pg_template = folder, sqlite_template, pg_template
        self.seeded: dict[tuple[str, date], Path | str] = {}

    def template(self, backend: str, as_of: date) -> Path | str:
        """The seeded template for ``backend`` and ``as_of``, seeding it the first time it is asked for."""
        from seed import seed_demo_park

        if (backend, as_of) not in self.seeded:
            if backend == "sqlite":
                path = self.folder / f"demo-{as_of.isoformat()}.sqlite3"
                shutil.copyfile(self.sqlite_template, path)
                url = f"sqlite:///{path}"
                template: Path | str = path
            else:
                if self.pg_template is None:
                    pytest.skip("PARK_SAFETY_TEST_DATABASE_URL is not set")
                template = f"park_safety_demo_{os.getpid()}_{as_of.strftime('%Y%m%d')}"
                admin = _pg_admin()
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
                    connection.execute(text(f'CREATE DATABASE "{template}" TEMPLATE "{self.pg_template}"'))
                admin.dispose()
                url = _pg_url(template)
            engine = make_engine(url)
            seed_demo_park(engine, as_of=as_of)
            if backend == "sqlite":
                with engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self.seeded[(backend, as_of)] = template
        return self.seeded[(backend, as_of)]

    @contextmanager
    def copy(self, backend: str, folder: Path, as_of: date) -> Iterator[str]:
        """The URL of a fresh copy of the demo park as of ``as_of`` on ``backend``; dropped afterwards."""
        with _copy_of(self.template(backend, as_of), folder) as url:
            yield url

    def drop(self) -> None:
        names = [template for template in self.seeded.values() if isinstance(template, str)]
        if not names:
            return
        admin = _pg_admin()
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def demo_parks(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path,
               pg_template: str | None) -> Iterator[DemoParks]:
    """The demo park's templates (seeded on first use, per backend and as-of date), for the fixtures below."""
    parks = DemoParks(tmp_path_factory.mktemp("demo_templates"), sqlite_template, pg_template)
    yield parks
    parks.drop()


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


@pytest.fixture
def hazard(engine: Engine, enterprise: Enterprise) -> Hazard:
    """One committed, open general hazard of ``enterprise``, found 2026-03-02, deadline 2026-03-16."""
    from dashboard.services.hazards import create_hazard
    from dashboard.services.permissions import SYSTEM
    from tests.records import general_hazard_data

    with Session(engine, expire_on_commit=False) as s:
        row = create_hazard(session=s, actor=SYSTEM, data=general_hazard_data(enterprise.id or 0))
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
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, demo_parks: DemoParks, today: date,
) -> Iterator[str]:
    """The demo park as of ``today``, a fresh copy per module and backend; the app's settings point at it for the
    module. Page tests read it and leave it as they found it (sign-ins add sessions and audit rows only)."""
    with demo_parks.copy(request.param, tmp_path_factory.mktemp("demo_app"), today) as url:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PARK_SAFETY_DATABASE_URL", url)
            patch.setenv("PARK_SAFETY_LANGUAGE", "zh")
            get_settings.cache_clear()
            yield url
        get_settings.cache_clear()


@pytest.fixture(params=BACKENDS)
def demo_db_url(request: pytest.FixtureRequest, tmp_path: Path, demo_parks: DemoParks, today: date) -> Iterator[str]:
    """The URL of this test's own copy of the demo park as of ``today`` (on each backend), to write in."""
    with demo_parks.copy(request.param, tmp_path, today) as url:
        yield url


@pytest.fixture
def fresh_park(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The demo park as of ``today`` in this test's own database (on each backend), with the app's settings
    pointed at it: for page tests that save."""
    monkeypatch.setenv("PARK_SAFETY_DATABASE_URL", demo_db_url)
    get_settings.cache_clear()
    yield demo_db_url
    get_settings.cache_clear()
