"""Faults (issue 6, item 6), on each database, broken for real:

* a database that cannot be reached (SQLite: a folder where the file was; PostgreSQL: the database
  renamed after its connections were ended): every page of the administrator, and the sign-in form,
  shows one message in the user's language and no exception; the next run after the database is back
  shows the page, with no restart;
* a read-only database (SQLite: the file made immutable; PostgreSQL: ``default_transaction_read_only``):
  the pages still read; a save on the Records page says the database is read-only, keeps what the user
  typed and writes nothing; once the database is writable the same save goes through;
* a database failure in the middle of an import (SQLite: the disk is full after a few rows; PostgreSQL:
  the connection dies on the fifth row, killed by a trigger) leaves every table exactly as it was;
* ``park-safety db backup`` then ``park-safety db restore`` into a new database gives the same scorecards.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool
from sqlmodel import Session, col
from streamlit.testing.v1 import AppTest

from dashboard.cli import main
from dashboard.db import get_engine, make_engine, normalize_url
from dashboard.navigation import PAGES
from dashboard.views.context import LANGUAGE_KEY
from models import Enterprise
from tests.apptest import APP, TIMEOUT, open_app, page_path, texts
from tests.records import enterprise_data, with_check_character
from tests.test_imports import enterprise_file

UNREACHABLE = {
    "zh": "暂时无法连接数据库,请稍后刷新页面;如持续出现请联系管理员。",
    "en": "The database cannot be reached right now. Refresh the page in a moment; if this persists, "
          "tell the administrator.",
}
READ_ONLY = {
    "zh": "数据库当前为只读,本次填写未保存。",
    "en": "The database is read-only at the moment; what you entered was not saved.",
}


# --- breaking the database and mending it ---------------------------------------------------------


def _backend(url: str) -> str:
    return make_url(normalize_url(url)).get_backend_name()


def _sqlite_path(url: str) -> Path:
    return Path(str(make_url(url).database))


def _pg_admin(url: str) -> Engine:
    """A connection to the server's maintenance database, for renaming and altering the test's one."""
    return create_engine(make_url(normalize_url(url)).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _end_connections(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})


def _close_the_apps_connections(url: str) -> None:
    """The app's pooled SQLite connections keep a moved or locked file open (as a new server process would
    not): close them, so the app opens the path afresh."""
    get_engine(url).dispose()


@contextmanager
def unreachable(url: str) -> Iterator[None]:
    """The database cannot be opened inside the block; afterwards it is back as it was."""
    if _backend(url) == "sqlite":
        _close_the_apps_connections(url)
        path = _sqlite_path(url)
        files = [p for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
                 if p.exists()]
        moved = [p.with_name(p.name + ".away") for p in files]
        for source, target in zip(files, moved, strict=True):
            source.rename(target)
        path.mkdir()  # a folder where the file was: SQLite cannot open it (and creates no empty database)
        try:
            yield
        finally:
            path.rmdir()
            for source, target in zip(files, moved, strict=True):
                target.rename(source)
        return
    name = str(make_url(normalize_url(url)).database)
    away = f"{name}_away"
    admin = _pg_admin(url)
    try:
        _end_connections(admin, name)
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{away}"'))
        try:
            yield
        finally:
            _end_connections(admin, away)
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{away}" RENAME TO "{name}"'))
    finally:
        admin.dispose()


def _chattr(flag: str, path: Path) -> None:
    subprocess.run(["chattr", flag, str(path)], check=True, capture_output=True)


@contextmanager
def read_only(url: str) -> Iterator[None]:
    """The database refuses every write inside the block, reads still work; afterwards it takes writes."""
    if _backend(url) == "sqlite":
        # chmod does not stop root; an immutable file does (its -wal and -shm are gone once closed)
        _close_the_apps_connections(url)
        path = _sqlite_path(url)
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not installed")
        try:
            _chattr("+i", path)
        except subprocess.CalledProcessError as error:
            pytest.skip(f"this file system cannot make a file immutable: {error.stderr.strip()}")
        try:
            yield
        finally:
            _chattr("-i", path)
        return
    name = str(make_url(normalize_url(url)).database)
    admin = _pg_admin(url)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        _end_connections(admin, name)  # as a failover would: the app reconnects, read-only
        try:
            yield
        finally:
            # the app's pooled connections stay read-only sessions: the save must get through anyway
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
    finally:
        admin.dispose()


def snapshot(url: str) -> dict[str, Any]:
    """Every table's row count and a checksum of every row, read on a connection of its own."""
    engine = make_engine(url)
    try:
        found: dict[str, Any] = {}
        tables = sorted(set(inspect(engine).get_table_names()) - {"alembic_version"})
        with engine.connect() as connection:
            for table in tables:
                rows = sorted(repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{table}"')))
                found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return found
    finally:
        engine.dispose()


def alerts(at: AppTest) -> list[str]:
    return [str(element.value) for kind in ("error", "warning", "info") for element in getattr(at, kind)]


# --- a database that cannot be reached -----------------------------------------------------------


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_says_the_database_cannot_be_reached_and_the_next_run_after_it_is_back_shows_the_page(
    demo_app_url: str, language: str
) -> None:
    at = open_app("admin", language=language)
    assert not at.exception and at.title
    with unreachable(demo_app_url):
        for spec in PAGES:
            at.switch_page(page_path(spec.script.removesuffix(".py"))).run()
            assert not at.exception, (spec.key, at.exception)
            assert alerts(at) == [UNREACHABLE[language]], spec.key  # one message, and nothing else
            assert not at.title
        # the database is still away: the next run says so again, and the page does not draw
        at.run()
        assert alerts(at) == [UNREACHABLE[language]] and not at.exception
    at.run()  # the database is back: the same session, the same process
    assert not at.exception
    assert UNREACHABLE[language] not in texts(at)
    assert [t.value for t in at.title] and at.session_state["language_select"] == language
    at.switch_page(page_path("records")).run()
    assert not at.exception and UNREACHABLE[language] not in texts(at)
    assert at.text_input(key="ent.uscc").value == ""  # the Records page drew its form


@pytest.mark.parametrize("language", ["zh", "en"])
def test_signing_in_while_the_database_cannot_be_reached_says_so(demo_app_url: str, language: str) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[LANGUAGE_KEY] = language
    with unreachable(demo_app_url):
        at.run()  # the sign-in form needs no database
        assert not at.exception and at.text_input
        at.text_input[0].set_value("admin")
        at.text_input[1].set_value("park-demo")
        at.button[0].click().run()
        assert not at.exception
        assert alerts(at) == [UNREACHABLE[language]]
    at.text_input[0].set_value("admin")
    at.text_input[1].set_value("park-demo")
    at.button[0].click().run()
    assert not at.exception and UNREACHABLE[language] not in texts(at)
    assert [b for b in at.sidebar.button if b.key == "sign_out"]  # signed in


# --- a read-only database ------------------------------------------------------------------------


def _an_enterprise(url: str) -> Enterprise:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            row = session.execute(select(Enterprise).where(col(Enterprise.status) == "operating")
                                  .order_by(col(Enterprise.id)).limit(1)).scalars().one()
            session.expunge(row)
            return row
    finally:
        engine.dispose()


def _stored_employees(url: str, enterprise_id: int) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            employees, version = connection.execute(
                text("SELECT employees, version FROM enterprise WHERE id = :id"), {"id": enterprise_id}).one()
        return int(employees), int(version)
    finally:
        engine.dispose()


def test_a_read_only_database_still_reads_and_a_save_says_it_was_not_saved_and_keeps_the_form(
    fresh_park: str,
) -> None:
    enterprise = _an_enterprise(fresh_park)
    query = {"enterprise": str(enterprise.id)}
    editor = open_app("admin", page="records", language="zh", query=query)
    reader = open_app("committee", language="en")  # signed in before: signing in writes
    before = snapshot(fresh_park)
    with read_only(fresh_park):
        # reading pages keep working
        for spec in PAGES:
            if "committee" not in {role.value for role in spec.roles}:
                continue
            reader.switch_page(page_path(spec.script.removesuffix(".py"))).run()
            assert not reader.exception, (spec.key, reader.exception)
            assert reader.title and READ_ONLY["en"] not in texts(reader) and UNREACHABLE["en"] not in texts(reader)
        # a save is refused with the read-only message, and what was typed stays in the form
        editor.number_input(key="ent.employees").set_value(enterprise.employees + 7)
        editor.text_input(key="ent.phone").set_value("0571-87654321")
        editor.button(key="ent._submit").click().run()
        assert not editor.exception
        shown = " ".join(alerts(editor))
        assert READ_ONLY["zh"] in shown, shown
        assert not editor.success
        assert editor.number_input(key="ent.employees").value == enterprise.employees + 7
        assert editor.text_input(key="ent.phone").value == "0571-87654321"
        assert snapshot(fresh_park) == before
    # writable again: the same save goes through (the pooled read-only connections notwithstanding)
    editor.button(key="ent._submit").click().run()
    assert not editor.exception and READ_ONLY["zh"] not in texts(editor)
    assert editor.success
    assert _stored_employees(fresh_park, enterprise.id or 0) == (enterprise.employees + 7, enterprise.version + 1)


# --- a failure in the middle of an import ---------------------------------------------------------


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _new_enterprises(url: str, count: int) -> list[dict[str, Any]]:
    """``count`` valid new enterprises, near the centre of the park of ``url``."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            lat, lon = connection.execute(text("SELECT center_lat, center_lon FROM park")).one()
    finally:
        engine.dispose()
    return [enterprise_data(uscc=with_check_character(f"91330199{n:09d}"), name=f"临江新区第{n}化工有限公司",
                            lat=round(float(lat) + (n % 41 - 20) / 10000, 6), lon=float(lon))
            for n in range(1, count + 1)]


def _pages(url: str) -> int:
    with sqlite_connection(url) as connection:
        return int(connection.exec_driver_sql("PRAGMA page_count").scalar_one())


@contextmanager
def sqlite_connection(url: str) -> Iterator[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


@contextmanager
def disk_full_after(pages: int) -> Iterator[None]:
    """Every SQLite connection opened inside the block may grow the file to ``pages`` pages and no more:
    a write beyond fails with SQLite's own "database or disk is full"."""
    def limit(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Pool, "connect", limit)
    try:
        yield
    finally:
        event.remove(Pool, "connect", limit)


@contextmanager
def connection_killed_on_row(url: str, table: str, row: int) -> Iterator[None]:
    """A PostgreSQL trigger that ends its own connection when the ``row``-th new row of ``table`` is written."""
    engine = make_engine(url)
    with engine.begin() as connection:
        count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        connection.execute(text(f"""
            CREATE FUNCTION fault_kill_connection() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF (SELECT count(*) FROM {table}) >= {int(count) + row} THEN
                    PERFORM pg_terminate_backend(pg_backend_pid());
                END IF;
                RETURN NEW;
            END $$"""))
        connection.execute(text(f"CREATE TRIGGER fault_kill_connection AFTER INSERT ON {table} "
                                "FOR EACH ROW EXECUTE FUNCTION fault_kill_connection()"))
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP TRIGGER fault_kill_connection ON {table}"))
            connection.execute(text("DROP FUNCTION fault_kill_connection()"))
        engine.dispose()


def test_a_database_failure_in_the_middle_of_an_import_leaves_every_table_as_it_was(
    fresh_park: str, tmp_path: Path
) -> None:
    file = tmp_path / "new-enterprises.csv"
    file.write_bytes(enterprise_file(_new_enterprises(fresh_park, 200)))
    before = snapshot(fresh_park)
    if _backend(fresh_park) == "sqlite":
        limit = _pages(fresh_park) + 4  # room for a few of the 200 rows, their audit rows and index entries
        with disk_full_after(limit):
            failed = _run("import", "enterprise", str(file), "--database-url", fresh_park)
        expected: tuple[str, ...] = ("database or disk is full",)
    else:
        with connection_killed_on_row(fresh_park, "enterprise", 5):
            failed = _run("import", "enterprise", str(file), "--database-url", fresh_park)
        # the rows go in many to a statement: the client reads either the server's notice or the closed socket
        expected = ("terminating connection due to administrator command",
                    "server closed the connection unexpectedly")
    assert failed.exit_code == 1
    assert "Traceback" not in failed.output
    assert failed.output.startswith("park-safety: error: cannot use the database: "), failed.output
    assert any(reason in failed.output for reason in expected), failed.output
    assert snapshot(fresh_park) == before  # every table, every row

    # the file itself was fine: without the failure it goes in whole
    done = _run("import", "enterprise", str(file), "--database-url", fresh_park)
    assert done.exit_code == 0, done.output
    assert done.output.strip().endswith("200 created, 0 updated, 0 unchanged.")
    after = snapshot(fresh_park)
    assert after["enterprise"][0] == before["enterprise"][0] + 200
    if _backend(fresh_park) == "sqlite":
        assert _pages(fresh_park) > limit  # the whole file needed more room than the disk had left


# --- backup, then restore ------------------------------------------------------------------------


@contextmanager
def empty_database(url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on the same backend as ``url`` (dropped afterwards)."""
    if _backend(url) == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'park.sqlite3'}"
        return
    name = f"park_safety_restore_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin(url)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalize_url(url)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _scorecards(url: str, day: date) -> str:
    result = _run("scorecards", "--format", "json", "--as-of", day.isoformat(), "--language", "en",
                  "--database-url", url)
    assert result.exit_code == 0, result.output
    return result.output


def test_backup_then_restore_into_a_new_database_gives_the_same_scorecards(
    fresh_park: str, tmp_path: Path, today: date
) -> None:
    if _backend(fresh_park) == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    original = _scorecards(fresh_park, today)
    assert original.count('"uscc"') == 120  # the demo park's enterprises
    backup = tmp_path / "backups" / "park.backup"
    made = _run("db", "backup", str(backup), "--database-url", fresh_park)
    assert made.exit_code == 0, made.output

    with empty_database(fresh_park, tmp_path) as restored:
        result = _run("db", "restore", str(backup), "--database-url", restored)
        assert result.exit_code == 0, result.output
        assert _scorecards(restored, today) == original
        assert snapshot(restored) == snapshot(fresh_park)

    # a database that holds a park is not overwritten unless asked to
    refused = _run("db", "restore", str(backup), "--database-url", fresh_park)
    assert refused.exit_code == 1
    assert "park-safety: error: the database is not empty; give --force" in refused.output
    engine = make_engine(fresh_park)
    with engine.begin() as connection:
        connection.execute(text("UPDATE enterprise SET name = name || '(改)' "
                                "WHERE id = (SELECT min(id) FROM enterprise)"))
    engine.dispose()
    assert _scorecards(fresh_park, today) != original
    forced = _run("db", "restore", str(backup), "--force", "--database-url", fresh_park)
    assert forced.exit_code == 0, forced.output
    assert _scorecards(fresh_park, today) == original
