"""Local accounts: argon2 password hashes; adding users, changing their role, deactivating and
reactivating them, resetting a password. Only an administrator (``manage_users``) may; the
last active administrator can be neither demoted nor deactivated. Every change is audited
(never a password or its hash) and bumps the data revision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import ConfigDict
from sqlalchemy import func, select, update
from sqlmodel import Field, Session, SQLModel, col

from dashboard import clock
from dashboard.services import sign_in_throttle
from dashboard.services.audit import record_audit
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.revision import bump_revision
from dashboard.settings import get_settings
from models import AppSession, AppUser, AppUserCreate, AuditLog
from models.enums import Role
from models.validation import FieldProblem, RecordInvalid, validate


def password_hasher() -> PasswordHasher:
    """The argon2id hasher of the settings in force (``PARK_SAFETY_PASSWORD_HASH_*``)."""
    settings = get_settings()
    return _hasher(settings.password_hash_time_cost, settings.password_hash_memory_kib)


@cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against when the username is unknown, so a wrong name costs as long as a wrong password."""
    return hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = password_hasher()
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def add_user(*, session: Session, actor: Actor, data: AppUserCreate | Mapping[str, Any]) -> AppUser:
    """Add an active account; refused when the username is taken."""
    require(actor, Permission.manage_users)
    valid = validate(AppUserCreate, data)
    if session.execute(select(col(AppUser.id)).where(col(AppUser.username) == valid.username)).first():
        raise RecordInvalid([FieldProblem("username", "duplicate", {"value": valid.username})])
    user = AppUser(username=valid.username, display_name=valid.display_name, role=valid.role,
                   password_hash=hash_password(valid.password), active=True)
    session.add(user)
    session.flush()
    record_audit(session, actor=actor, action="create", entity="app_user", entity_id=user.id,
                 after=_public(user))
    bump_revision(session)
    return user


class PasswordReset(SQLModel):
    """A new password, held to the same rules as a new account's."""

    model_config = ConfigDict(str_strip_whitespace=False)  # type: ignore[assignment]

    password: str = Field(min_length=8, max_length=256)


@dataclass(frozen=True)
class UserRow:
    """One account as the settings page lists it."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    throttled_until: datetime | None  # its next sign-in waits (after failed ones) unless from a known device
    last_sign_in: datetime | None
    open_sessions: int


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive UTC timestamps; PostgreSQL aware ones."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _public(user: AppUser) -> dict[str, Any]:
    """What the audit log keeps of an account (never the password hash)."""
    return {"username": user.username, "display_name": user.display_name, "role": Role(user.role).value,
            "active": bool(user.active)}


def list_users(session: Session, *, now: datetime | None = None) -> list[UserRow]:
    """Every account, by username, with its last sign-in (from the audit log) and open sessions."""
    now = now or clock.now()
    last = (select(col(AuditLog.username).label("username"), func.max(col(AuditLog.at)).label("at"))
            .where(col(AuditLog.action) == "sign_in", col(AuditLog.entity) == "app_user")
            .group_by(col(AuditLog.username)).subquery())
    sessions = (select(col(AppSession.user_id).label("user_id"), func.count().label("n"))
                .where(col(AppSession.ended_at).is_(None), col(AppSession.expires_at) > now)
                .group_by(col(AppSession.user_id)).subquery())
    rows = session.execute(
        select(AppUser, last.c.at, sessions.c.n)
        .outerjoin(last, last.c.username == col(AppUser.username))
        .outerjoin(sessions, sessions.c.user_id == col(AppUser.id))
        .order_by(col(AppUser.username))
    ).all()
    result = []
    waiting = sign_in_throttle.throttled_until(session, [user.username for user, _, _ in rows], now)
    for user, last_at, open_sessions in rows:
        result.append(UserRow(
            id=int(user.id), username=user.username, display_name=user.display_name, role=Role(user.role),
            active=bool(user.active), throttled_until=waiting.get(user.username),
            last_sign_in=_aware(last_at), open_sessions=int(open_sessions or 0),
        ))
    return result


def _user(session: Session, user_id: int) -> AppUser:
    user = session.get(AppUser, user_id)
    if user is None:
        raise RecordInvalid([FieldProblem("id", "unknown_reference", {"value": user_id})])
    return user


def _other_active_admins(session: Session, user: AppUser) -> int:
    """Active administrators besides ``user``; their rows are locked until the caller commits
    (PostgreSQL), so two administrators cannot demote each other at the same moment."""
    others = session.execute(
        select(col(AppUser.id)).where(col(AppUser.role) == Role.admin, col(AppUser.active).is_(True),
                                      col(AppUser.id) != user.id).with_for_update()
    ).all()
    return len(others)


def _protect_last_admin(session: Session, user: AppUser, field: str) -> None:
    if user.role == Role.admin and user.active and _other_active_admins(session, user) == 0:
        raise RecordInvalid([FieldProblem(field, "last_admin", {"value": user.username})])


def _end_sessions(session: Session, user_id: int | None, now: datetime) -> int:
    ended = session.execute(
        update(AppSession).where(col(AppSession.user_id) == user_id, col(AppSession.ended_at).is_(None))
        .values(ended_at=now)
    )
    return int(getattr(ended, "rowcount", 0) or 0)


def change_role(*, session: Session, actor: Actor, user_id: int, role: Role | str,
                now: datetime | None = None) -> AppUser:
    """Give an account another role; the last active administrator keeps theirs. The account's open sessions
    end (the acting administrator's own stay open): a tab opened under the old role must not act under it, so
    its next write or download is refused and it signs in again with the new role. The caller commits."""
    require(actor, Permission.manage_users)
    try:
        new_role = Role(role)
    except ValueError:
        raise RecordInvalid([FieldProblem("role", "not_one_of", {
            "value": role, "allowed": ", ".join(r.value for r in Role)})]) from None
    user = _user(session, user_id)
    if user.role == new_role:
        return user
    if new_role != Role.admin:
        _protect_last_admin(session, user, "role")
    before = _public(user)
    user.role = new_role
    session.add(user)
    session.flush()
    ended = 0 if user.username == actor.username else _end_sessions(session, user.id, now or clock.now())
    record_audit(session, actor=actor, action="change_role", entity="app_user", entity_id=user.id, before=before,
                 after={**_public(user), "sessions_ended": ended})
    bump_revision(session)
    return user


def set_active(*, session: Session, actor: Actor, user_id: int, active: bool, now: datetime | None = None) -> AppUser:
    """Deactivate (its open sessions end at once) or reactivate an account. The caller commits.

    Refused for the last active administrator and for the acting user's own account.
    """
    require(actor, Permission.manage_users)
    user = _user(session, user_id)
    if bool(user.active) == active:
        return user
    if not active:
        if user.username == actor.username:
            raise RecordInvalid([FieldProblem("active", "own_account", {"value": user.username})])
        _protect_last_admin(session, user, "active")
    before = _public(user)
    user.active = active
    if active:
        sign_in_throttle.forget_account(session, user.username)
    session.add(user)
    session.flush()
    after = _public(user)
    if not active:
        after["sessions_ended"] = _end_sessions(session, user.id, now or clock.now())
    record_audit(session, actor=actor, action="reactivate" if active else "deactivate", entity="app_user",
                 entity_id=user.id, before=before, after=after)
    bump_revision(session)
    return user


def reset_password(*, session: Session, actor: Actor, user_id: int, password: str,
                   now: datetime | None = None) -> AppUser:
    """Set a new password chosen by an administrator; any wait after failed sign-ins on the account ends,
    and its other open sessions end (the acting user's own stay open). The caller commits."""
    require(actor, Permission.manage_users)
    valid = validate(PasswordReset, {"password": password})
    user = _user(session, user_id)
    user.password_hash = hash_password(valid.password)
    sign_in_throttle.forget_account(session, user.username)
    session.add(user)
    session.flush()
    ended = 0 if user.username == actor.username else _end_sessions(session, user.id, now or clock.now())
    record_audit(session, actor=actor, action="reset_password", entity="app_user", entity_id=user.id,
                 after={**_public(user), "sessions_ended": ended})
    bump_revision(session)
    return user
