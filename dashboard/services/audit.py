"""The audit log: who changed what, when, and the record before and after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, SQLModel, col

from dashboard.services.permissions import Actor
from models.user import AppUser, AuditLog


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def snapshot(record: SQLModel | None) -> dict[str, Any] | None:
    """The record's columns as JSON-ready values."""
    if record is None:
        return None
    return {name: _plain(getattr(record, name)) for name in type(record).model_fields if hasattr(record, name)}


def record_audit(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit row in the caller's transaction."""
    row = AuditLog(
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before_json=json.dumps(before, ensure_ascii=False, sort_keys=True) if before is not None else None,
        after_json=json.dumps(after, ensure_ascii=False, sort_keys=True) if after is not None else None,
    )
    session.add(row)
    return row


@dataclass(frozen=True)
class LastChange:
    """Who last wrote a record, and when (from the audit log)."""

    username: str
    display_name: str
    at: datetime | None


def last_change(session: Session, entity: str, entity_id: int) -> LastChange | None:
    """The latest audit row for a record: who wrote it (their display name when they are a user) and when."""
    row = session.execute(
        select(col(AuditLog.username), col(AuditLog.at), col(AppUser.display_name))
        .outerjoin(AppUser, col(AppUser.username) == col(AuditLog.username))
        .where(col(AuditLog.entity) == entity, col(AuditLog.entity_id) == entity_id)
        .order_by(col(AuditLog.id).desc()).limit(1)
    ).first()
    if row is None:
        return None
    username, at, display = row
    return LastChange(str(username), str(display or username), at)
