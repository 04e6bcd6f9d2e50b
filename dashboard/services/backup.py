"""A consistent copy of the database while the app may be running, and putting one back."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from dashboard.services.audit import record_audit
from dashboard.services.permissions import Actor, Permission, require


class BackupError(RuntimeError):
    """The backup could not be made; the message says why."""


def backup_database(engine: Engine, destination: Path) -> Path:
    """Copy the database to ``destination``.

    SQLite uses the online backup API (a consistent snapshot even while the app writes);
    PostgreSQL uses ``pg_dump --format=custom`` (restore with ``pg_restore``).
    """
    destination = destination.expanduser().resolve()
    if destination.exists() and destination.is_dir():
        raise BackupError(f"{destination} is a folder; give a file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    backend = engine.url.get_backend_name()
    if backend == "sqlite":
        return _backup_sqlite(engine, destination)
    if backend == "postgresql":
        return _backup_postgresql(engine, destination)
    raise BackupError(f"backups of {backend} databases are not supported")


def audit_backup(*, session: Session, actor: Actor, size: int) -> None:
    """The audit row of a backup an administrator downloaded (``size`` bytes); the caller commits."""
    require(actor, Permission.manage_settings)
    record_audit(session, actor=actor, action="backup", entity="database", entity_id=None, after={"bytes": size})


def _backup_sqlite(engine: Engine, destination: Path) -> Path:
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    if Path(source_path).resolve() == destination:
        raise BackupError("the backup file must differ from the database file")
    partial = destination.with_name(destination.name + ".partial")
    source = sqlite3.connect(source_path)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()
    partial.replace(destination)
    return destination


def _backup_postgresql(engine: Engine, destination: Path) -> Path:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed; install the PostgreSQL client tools")
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={destination}", f"--dbname={url}"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip().splitlines()[-1] if result.stderr else ''}")
    return destination


def restore_database(engine: Engine, source: Path, *, force: bool = False) -> None:
    """Put the backup ``source`` (as :func:`backup_database` writes it) in place of ``engine``'s database.

    Refuses a database that holds a park or an enterprise unless ``force``. All or nothing: SQLite copies
    the backup in with the online backup API (one transaction); PostgreSQL runs ``pg_restore --clean
    --single-transaction``. Stop the app servers first: they would keep pages they have in memory.
    """
    from dashboard.db import is_empty

    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    if not force and not is_empty(engine):
        raise BackupError("the database is not empty; give --force to replace what it holds")
    backend = engine.url.get_backend_name()
    engine.dispose()
    if backend == "sqlite":
        _restore_sqlite(engine, source)
    elif backend == "postgresql":
        _restore_postgresql(engine, source)
    else:
        raise BackupError(f"restoring {backend} databases is not supported")


def _restore_sqlite(engine: Engine, source: Path) -> None:
    target_path = engine.url.database
    if not target_path or target_path == ":memory:":
        raise BackupError("an in-memory database cannot be restored into")
    if Path(target_path).resolve() == source:
        raise BackupError("the backup file must differ from the database file")
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            backup.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source.name} is not a SQLite backup: {error}") from None
        target = sqlite3.connect(target_path)
        try:
            backup.backup(target)
        finally:
            target.close()
    finally:
        backup.close()


def _restore_postgresql(engine: Engine, source: Path) -> None:
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise BackupError("pg_restore is not installed; install the PostgreSQL client tools")
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
         f"--dbname={url}", str(source)],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip().splitlines()[-1] if result.stderr else ''}")
