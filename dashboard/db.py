"""The database: one engine per process, sessions, SQLite pragmas, migrations.

SQLite (the embedded default) gets foreign keys, WAL and a busy timeout on every
connection. Any other URL (PostgreSQL) is used as given.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from dashboard.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
PG_CONNECT_TIMEOUT_S = 10
WRITE_OPTION = "park_safety_write"


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str, *, busy_timeout_ms: int | None = None) -> Engine:
    """A new engine for ``url``; SQLite files and their folder are created on first use."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        timeout = busy_timeout_ms if busy_timeout_ms is not None else get_settings().sqlite_busy_timeout_ms
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": timeout / 1000})
        _install_sqlite_pragmas(engine, timeout)
        return engine
    # A server that does not answer fails a connection in seconds (the page then says so), not minutes.
    connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args=connect_args)


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # a transaction that will write takes the write lock at once (see ``writing``)
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writing(engine: Engine) -> Engine:
    """``engine`` for a transaction that reads and then writes (a save, a sign-in).

    On SQLite such a transaction begins ``IMMEDIATE``: it waits (``busy_timeout``) for the write lock
    before its first read. Begun the default way, it would read first and, when another save committed
    meanwhile, be refused "database is locked" at once on its first write, without waiting. Readers are
    never blocked (WAL). PostgreSQL is unaffected.
    """
    return engine.execution_options(**{WRITE_OPTION: True})


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The process's engine for ``url`` (default: the configured database)."""
    return make_engine(url or get_settings().effective_database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def schema_head() -> str:
    """The newest migration's revision, read from the scripts without running any of them."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None, "the migrations directory holds no revision"
    return head


def schema_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database Alembic has not touched."""
    from sqlalchemy import text

    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def upgrade(engine: Engine) -> None:
    """Create or migrate the database to the latest schema (Alembic head).

    A database already at head is left alone without starting Alembic's environment, which imports every
    migration and compares nothing: every command and every server start calls this."""
    if schema_revision(engine) == schema_head():
        return
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def is_empty(engine: Engine) -> bool:
    """True when the database holds no enterprise and no park yet."""
    from sqlalchemy import text

    names = set(inspect(engine).get_table_names())
    if "park" not in names:
        return True
    with engine.connect() as connection:
        parks = connection.execute(text("SELECT count(*) FROM park")).scalar_one()
        enterprises = connection.execute(text("SELECT count(*) FROM enterprise")).scalar_one()
    return parks == 0 and enterprises == 0
