"""A consistent copy of the database while the app may be running."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine


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
