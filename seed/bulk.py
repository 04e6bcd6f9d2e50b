"""Bulk loading: rows go straight to the database driver in large batches, inside one
transaction, parents before children.

SQLite gets ``executemany`` on the driver's connection with a large page cache (its
durability settings stay as they are: turning ``synchronous`` off saved only about 5%);
PostgreSQL gets ``COPY ... FROM STDIN``, and its id sequences are moved past the ids the
seed chose.
Values arrive as Python dates, datetimes (UTC), booleans, numbers and strings; each
backend stores them exactly as SQLAlchemy would, so the application reads them back
unchanged.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Engine
from sqlmodel import SQLModel

import models  # noqa: F401  (registers the tables)

Row = tuple[Any, ...]

# Parents before children: the order rows of one batch are written in.
LOAD_ORDER = (
    "park", "plot", "enterprise", "app_user", "inspection", "hazard", "safety_sign", "sign_check", "accident",
    "training", "enforcement", "dishonesty_listing", "loan_override", "attachment", "attachment_blob",
)
# Children before parents: the order tables are emptied in.
CLEAR_ORDER = (
    "attachment_blob", "attachment", "sign_check", "safety_sign", "hazard", "inspection", "accident", "training",
    "enforcement", "dishonesty_listing", "loan_override", "enterprise", "plot", "park", "audit_log", "app_session",
    "known_device", "sign_in_throttle", "app_user",
)


def table_columns(table: str) -> tuple[str, ...]:
    """The table's columns in the order the seed's rows list them (the models' order)."""
    return tuple(column.name for column in SQLModel.metadata.tables[table].columns)


class BulkLoader(ABC):
    """Buffers rows per table and writes them in batches, in one transaction."""

    def __init__(self, engine: Engine, batch_rows: int = 20_000) -> None:
        self._pooled = engine.raw_connection()
        self.batch_rows = batch_rows
        self.buffers: dict[str, list[Row]] = {table: [] for table in LOAD_ORDER}
        self.counts: dict[str, int] = dict.fromkeys(LOAD_ORDER, 0)
        self._pending = 0

    def add(self, table: str, row: Row) -> None:
        self.buffers[table].append(row)
        self._pending += 1
        if self._pending >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        for table in LOAD_ORDER:
            rows = self.buffers[table]
            if rows:
                self._write(table, table_columns(table), rows)
                self.counts[table] += len(rows)
                self.buffers[table] = []
        self._pending = 0

    def count(self, table: str) -> int:
        return int(self.scalar(f"SELECT count(*) FROM {table}"))

    @abstractmethod
    def rows(self, sql: str) -> list[Row]: ...

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Row]) -> None:
        """Plain INSERTs of some columns (the database picks the ids when ``id`` is not among them)."""
        rows = list(rows)
        self.flush()
        self._insert(table, columns, rows)
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def bump_revision(self) -> None:
        """Advance the data revision, so every app server's cached figures refresh."""
        if not self.execute("UPDATE data_revision SET revision = revision + 1 WHERE id = 1"):
            self.execute("INSERT INTO data_revision (id, revision) VALUES (1, 1)")

    def close(self) -> None:
        self._pooled.close()

    @abstractmethod
    def begin(self) -> None:
        """Start the one transaction, holding the write lock from the start."""

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    @abstractmethod
    def scalar(self, sql: str) -> Any: ...

    @abstractmethod
    def execute(self, sql: str) -> int:
        """Run one statement; the number of rows it changed."""

    @abstractmethod
    def _write(self, table: str, columns: Sequence[str], rows: list[Row]) -> None: ...

    @abstractmethod
    def _insert(self, table: str, columns: Sequence[str], rows: list[Row]) -> None: ...


def _sqlite_value_converters(table: str, columns: Sequence[str]) -> list[tuple[int, Any]]:
    """(position, converter) for the columns SQLite needs as text: dates and timestamps."""
    found: list[tuple[int, Any]] = []
    for position, name in enumerate(columns):
        kind = SQLModel.metadata.tables[table].columns[name].type
        if isinstance(kind, DateTime):
            found.append((position, _sqlite_timestamp))
        elif isinstance(kind, Date):
            found.append((position, date.isoformat))
    return found


def _sqlite_timestamp(value: datetime) -> str:
    # SQLAlchemy's SQLite storage format; timestamps are UTC and stored without an offset
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


class SQLiteLoader(BulkLoader):
    # while loading: a 256 MB page cache keeps the indexes being built in memory
    _PRAGMAS = {"cache_size": "-262144", "temp_store": "MEMORY"}

    def __init__(self, engine: Engine, batch_rows: int = 20_000) -> None:
        super().__init__(engine, batch_rows)
        connection = self._pooled.driver_connection
        assert isinstance(connection, sqlite3.Connection)
        self.connection = connection
        self._isolation_level = connection.isolation_level
        self._saved: dict[str, Any] = {}
        self._converters: dict[tuple[str, tuple[str, ...]], list[tuple[int, Any]]] = {}

    def begin(self) -> None:
        self.connection.isolation_level = None  # this class says where the transaction begins and ends
        for pragma, loading in self._PRAGMAS.items():
            self._saved[pragma] = self.connection.execute(f"PRAGMA {pragma}").fetchone()[0]
            self.connection.execute(f"PRAGMA {pragma}={loading}")
        self.connection.execute("BEGIN IMMEDIATE")

    def _restore(self) -> None:
        for pragma, usual in self._saved.items():
            self.connection.execute(f"PRAGMA {pragma}={int(usual)}")
        self.connection.isolation_level = self._isolation_level

    def commit(self) -> None:
        self.connection.execute("COMMIT")
        self._restore()

    def rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
        self._restore()

    def scalar(self, sql: str) -> Any:
        return self.connection.execute(sql).fetchone()[0]

    def rows(self, sql: str) -> list[Row]:
        return list(self.connection.execute(sql).fetchall())

    def execute(self, sql: str) -> int:
        return self.connection.execute(sql).rowcount

    def _convert(self, table: str, columns: Sequence[str], rows: list[Row]) -> list[Row]:
        key = (table, tuple(columns))
        converters = self._converters.get(key)
        if converters is None:
            converters = self._converters[key] = _sqlite_value_converters(table, columns)
        if not converters:
            return rows
        converted: list[Row] = []
        for row in rows:
            values = list(row)
            for position, convert in converters:
                value = values[position]
                if value is not None:
                    values[position] = convert(value)
            converted.append(tuple(values))
        return converted

    def _write(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        self._insert(table, columns, rows)

    def _insert(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        marks = ", ".join("?" for _ in columns)
        self.connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                    self._convert(table, columns, rows))


class PostgresLoader(BulkLoader):
    def __init__(self, engine: Engine, batch_rows: int = 20_000) -> None:
        super().__init__(engine, batch_rows)
        self.connection: Any = self._pooled.driver_connection

    def begin(self) -> None:
        self.connection.rollback()  # start clean; psycopg opens the transaction with the next statement
        self.connection.execute("LOCK TABLE park, enterprise IN SHARE ROW EXCLUSIVE MODE")

    def commit(self) -> None:
        self._advance_sequences()
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()

    def scalar(self, sql: str) -> Any:
        return self.connection.execute(sql).fetchone()[0]

    def rows(self, sql: str) -> list[Row]:
        return [tuple(row) for row in self.connection.execute(sql).fetchall()]

    def execute(self, sql: str) -> int:
        return int(self.connection.execute(sql).rowcount)

    def _write(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        with self.connection.cursor() as cursor, cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def _insert(self, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        marks = ", ".join("%s" for _ in columns)
        with self.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def _advance_sequences(self) -> None:
        """COPY with explicit ids leaves each id sequence behind: move it past the largest id."""
        for table, count in self.counts.items():
            if count and "id" in table_columns(table):  # attachment_blob's key is (attachment_id, kind)
                self.connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def loader_for(engine: Engine, batch_rows: int = 20_000) -> BulkLoader:
    if engine.dialect.name == "sqlite":
        return SQLiteLoader(engine, batch_rows)
    if engine.dialect.name == "postgresql":
        return PostgresLoader(engine, batch_rows)
    raise ValueError(f"the demo park can be seeded into SQLite or PostgreSQL, not {engine.dialect.name}")
