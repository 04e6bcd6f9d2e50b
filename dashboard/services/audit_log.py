"""Reading the audit log: filters, pages newest first, CSV-ready rows, and what a change changed.

The log grows with every write and sign-in, so every read is one filtered SQL query with a
limit (or a streamed export in chunks), ordered by time on the indexed ``at`` column.
Dates are days in the park's time zone; the log keeps UTC.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlmodel import Session, col

from dashboard import clock
from dashboard.services.permissions import Actor, Permission, require
from models.user import AuditLog

MAX_PAGE_SIZE = 500
EXPORT_LIMIT = 100_000  # rows in one CSV export; narrow the filters for more


@dataclass(frozen=True)
class AuditFilter:
    """What to show: any of the users, entities (tables) and actions given (all if empty),
    days from ``since`` to ``until`` inclusive (in the park's time zone), one record id."""

    usernames: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    entity_id: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime  # aware, in the time zone asked for
    username: str
    action: str
    entity: str
    entity_id: int | None
    before_json: str | None
    after_json: str | None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int  # rows matching the filters
    page: int  # 1-based, clamped to the pages there are
    pages: int
    page_size: int


@dataclass(frozen=True)
class AuditChoices:
    """The values present in the log, for the filters' pick lists."""

    usernames: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def _bound(session: Session, day: date, zone: ZoneInfo) -> datetime:
    """The start of ``day`` in the park as a timestamp the database compares with ``at``."""
    moment = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    # SQLite keeps naive UTC text; PostgreSQL compares aware timestamps.
    return moment.replace(tzinfo=None) if session.get_bind().dialect.name == "sqlite" else moment


def _filtered(session: Session, query: Select[Any], filters: AuditFilter, zone: ZoneInfo) -> Select[Any]:
    if filters.usernames:
        query = query.where(col(AuditLog.username).in_(filters.usernames))
    if filters.entities:
        query = query.where(col(AuditLog.entity).in_(filters.entities))
    if filters.actions:
        query = query.where(col(AuditLog.action).in_(filters.actions))
    if filters.since is not None:
        query = query.where(col(AuditLog.at) >= _bound(session, filters.since, zone))
    if filters.until is not None:
        query = query.where(col(AuditLog.at) < _bound(session, filters.until + timedelta(days=1), zone))
    if filters.entity_id is not None:
        query = query.where(col(AuditLog.entity_id) == filters.entity_id)
    return query


def _entry(row: AuditLog, zone: ZoneInfo) -> AuditEntry:
    at = row.at or clock.now()
    at = (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone(zone)
    return AuditEntry(id=int(row.id or 0), at=at, username=row.username, action=row.action, entity=row.entity,
                      entity_id=row.entity_id, before_json=row.before_json, after_json=row.after_json)


def _newest_first(query: Select[Any]) -> Select[Any]:
    return query.order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())


def audit_page(
    session: Session, actor: Actor, filters: AuditFilter, *, page: int = 1, page_size: int = 50, timezone: str = "UTC",
) -> AuditPage:
    """One page of the rows matching ``filters``, newest first, and how many match in all."""
    require(actor, Permission.view_audit)
    zone = ZoneInfo(timezone)
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    total = int(session.execute(_filtered(session, select(func.count()).select_from(AuditLog), filters, zone))
                .scalar_one())
    pages = max(1, -(-total // page_size))
    page = max(1, min(int(page), pages))
    rows = session.execute(
        _newest_first(_filtered(session, select(AuditLog), filters, zone)).limit(page_size)
        .offset((page - 1) * page_size)
    ).scalars().all()
    return AuditPage([_entry(row, zone) for row in rows], total, page, pages, page_size)


def audit_entries(
    session: Session, actor: Actor, filters: AuditFilter, *, timezone: str = "UTC", limit: int = EXPORT_LIMIT,
    chunk: int = 2_000,
) -> Iterator[AuditEntry]:
    """Every row matching ``filters`` (at most ``limit``), newest first, read in chunks."""
    require(actor, Permission.view_audit)
    zone = ZoneInfo(timezone)
    query = _newest_first(_filtered(session, select(AuditLog), filters, zone)).limit(limit)
    result = session.execute(query.execution_options(yield_per=chunk))
    for row in result.scalars():
        yield _entry(row, zone)


def audit_choices(session: Session, actor: Actor) -> AuditChoices:
    """The users, entities and actions that occur in the log, sorted."""
    require(actor, Permission.view_audit)

    def distinct(column: Any) -> list[str]:
        return [str(v) for v in session.execute(select(column).distinct().order_by(column)).scalars()]

    return AuditChoices(distinct(col(AuditLog.username)), distinct(col(AuditLog.entity)),
                        distinct(col(AuditLog.action)))


def last_entry_id(session: Session) -> int:
    """The id of the newest row (0 for an empty log): a cheap key that changes with every new row."""
    return int(session.execute(select(func.max(col(AuditLog.id)))).scalar_one_or_none() or 0)


def _load(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"value": text}
    return value if isinstance(value, dict) else {"value": value}


def changes(before_json: str | None, after_json: str | None) -> list[FieldChange]:
    """The fields a change changed, in the record's order: for an update the fields whose value
    differs, for a creation every field it was given a value, for a deletion every field that had one."""
    before, after = _load(before_json), _load(after_json)
    names = list(dict.fromkeys([*before, *after]))
    # A field absent on one side counts as empty, so a creation lists only the fields given a value.
    return [FieldChange(name, before.get(name), after.get(name)) for name in names
            if before.get(name) != after.get(name)]
