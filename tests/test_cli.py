"""The command line: one-line errors for a user's mistakes, and the commands do what they say."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner, Result
from sqlalchemy import inspect, text

from dashboard.cli import main
from dashboard.db import alembic_config, make_engine
from dashboard.services.users import verify_password
from models import CONTRACT_TABLES


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def one_line_error(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    return lines[-1]


def test_db_upgrade_on_an_empty_file_creates_the_contract(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'park.sqlite3'}"
    result = run("db", "upgrade", "--database-url", url)
    assert result.exit_code == 0, result.output
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert f"schema revision {head}." in result.output
    tables = set(inspect(make_engine(url)).get_table_names())
    assert set(CONTRACT_TABLES) <= tables


def test_user_add_reads_the_password_from_stdin_and_hashes_it(db_url: str) -> None:
    result = run("user", "add", "wang", "--role", "committee", "--display-name", "王建国",
                 "--password-stdin", "--database-url", db_url, stdin="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    assert "Added wang (committee)" in result.output
    with make_engine(db_url).connect() as connection:
        row = connection.execute(text("SELECT display_name, role, password_hash, active FROM app_user")).one()
    assert row.display_name == "王建国" and row.role == "committee" and bool(row.active)
    assert row.password_hash.startswith("$argon2")
    assert verify_password(row.password_hash, "s3cret-pass")
    assert not verify_password(row.password_hash, "wrong")


def test_user_add_twice_is_a_one_line_error_and_keeps_the_first(db_url: str) -> None:
    run("user", "add", "li", "--role", "finance", "--password-stdin", "--database-url", db_url, stdin="first-pass\n")
    result = run("user", "add", "li", "--role", "staff", "--password-stdin", "--database-url", db_url,
                 stdin="second-pass\n")
    assert result.exit_code == 1
    assert "already used" in one_line_error(result)
    with make_engine(db_url).connect() as connection:
        roles = connection.execute(text("SELECT role FROM app_user WHERE username = 'li'")).scalars().all()
    assert roles == ["finance"]


def test_user_add_with_a_short_password_names_the_field(db_url: str) -> None:
    result = run("user", "add", "zhang", "--role", "staff", "--password-stdin", "--database-url", db_url,
                 stdin="short\n")
    assert result.exit_code == 1
    assert "password" in one_line_error(result)


def test_unknown_role_is_refused(tmp_path: Path) -> None:
    result = run("user", "add", "x", "--role", "boss", "--password-stdin",
                 "--database-url", f"sqlite:///{tmp_path / 'p.sqlite3'}", stdin="long-enough\n")
    assert result.exit_code == 2
    assert "boss" in result.output and "Traceback" not in result.output


def test_seed_as_of_that_is_not_a_date_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("seed", "--as-of", "2026-13-45", "--database-url", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    assert result.exit_code == 2
    assert "is not a date" in result.output and "Traceback" not in result.output


def test_an_unusable_database_url_is_a_one_line_error() -> None:
    result = run("db", "upgrade", "--database-url", "nosuchdb://x/y")
    assert result.exit_code == 1
    assert one_line_error(result).startswith("park-safety: error:")


def test_an_unreachable_postgresql_is_a_one_line_error() -> None:
    result = run("db", "upgrade", "--database-url", "postgresql://nobody@127.0.0.1:1/none")
    assert result.exit_code == 1
    assert "cannot use the database" in one_line_error(result)


def test_seed_then_seed_again_is_refused_and_replace_rebuilds(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    first = run("seed", "--enterprises", "12", "--seed", "3", "--as-of", "2026-06-30", "--database-url", url)
    assert first.exit_code == 0, first.output
    assert "Elapsed:" in first.output
    again = run("seed", "--enterprises", "12", "--database-url", url)
    assert again.exit_code == 1
    assert "already" in one_line_error(again)
    replaced = run("seed", "--enterprises", "15", "--seed", "3", "--as-of", "2026-06-30", "--replace",
                   "--database-url", url)
    assert replaced.exit_code == 0, replaced.output
    with make_engine(url).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM enterprise")).scalar_one() == 15


def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    seeded = run("seed", "--enterprises", "10", "--seed", "5", "--as-of", "2026-06-30", "--database-url", url)
    assert seeded.exit_code == 0, seeded.output
    target = tmp_path / "backups" / "copy.sqlite3"
    result = run("db", "backup", str(target), "--database-url", url)
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    original = sqlite3.connect(tmp_path / "p.sqlite3")
    for table in ("enterprise", "hazard", "app_user"):
        query = f"SELECT * FROM {table} ORDER BY id"
        assert copy.execute(query).fetchall() == original.execute(query).fetchall()
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(not __import__("shutil").which("pg_dump"), reason="pg_dump is not installed")
def test_backup_of_postgresql_uses_pg_dump(db_url: str, tmp_path: Path) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    target = tmp_path / "park.dump"
    result = run("db", "backup", str(target), "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:5] == b"PGDMP"
