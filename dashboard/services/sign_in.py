"""Signing in and out: local accounts, argon2 hashes, hashed session tokens, throttled guessing.

A sign-in returns a random token for the browser's cookie; the database keeps only its
SHA-256, so a copy of the database cannot be used to sign in. A wrong username costs as
long as a wrong password. Failed sign-ins slow down the next attempts from their address and
on their account name, without ever locking the account, and every refusal looks the same
(:mod:`dashboard.services.sign_in_throttle` states the design). Sign-ins, refusals (one row
per burst) and sign-outs are audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from dashboard import clock
from dashboard.services import sign_in_throttle as throttle
from dashboard.services.audit import record_audit
from dashboard.services.permissions import Actor
from dashboard.services.users import verify_password
from dashboard.settings import Settings, get_settings
from models import AppSession, AppUser
from models.enums import Role
from models.validation import FieldProblem, RecordInvalid

SESSION_FIELD = "__session__"  # the field of a refusal because the session ended


class SignInRefused(Exception):
    """The sign-in failed. It says nothing more, whether the name is unknown, the password wrong or the
    attempt came inside a delay after other failures: ``reason`` is always "invalid"."""

    def __init__(self, reason: str = "invalid") -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignedIn:
    """A signed-in user and the token to give the browser."""

    token: str
    actor: Actor
    display_name: str
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive UTC timestamps; PostgreSQL aware ones."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class PasswordCheck:
    """A password checked against the hash the account had when it was read."""

    username: str
    password_hash: str | None
    matches: bool
    throttled: bool = False  # inside a delay: not checked at all


def check_password(
    *, session: Session, username: str, password: str, address: str | None = None, device: str | None = None,
    now: datetime | None = None, settings: Settings | None = None,
) -> PasswordCheck:
    """Check the password before the sign-in's write transaction: argon2 is slow on purpose, and done inside
    that transaction it made people signing in at the same moment queue for SQLite's write lock behind each
    other's hashing (on a busy server, longer than the lock's timeout). An attempt that falls inside a delay
    (after failures from its ``address`` or on its account; ``device`` is the browser's device cookie) is not
    hashed at all."""
    settings = settings or get_settings()
    now = now or clock.now()
    name = username.strip()
    found = session.execute(select(col(AppUser.id), col(AppUser.password_hash)).where(col(AppUser.username) == name))
    row = found.first()
    user_id, password_hash = (row[0], row[1]) if row is not None else (None, None)
    attempt = throttle.Attempt(name, throttle.client_address(address), device)
    if throttle.is_throttled(session, attempt, user_id=user_id, now=now, settings=settings):
        return PasswordCheck(name, password_hash, False, throttled=True)
    return PasswordCheck(name, password_hash, verify_password(password_hash, password))


def sign_in(
    *, session: Session, username: str, password: str, now: datetime | None = None, settings: Settings | None = None,
    checked: PasswordCheck | None = None, address: str | None = None, device: str | None = None,
) -> SignedIn:
    """Check the password and open a session; raises :class:`SignInRefused`. The caller commits, also
    after a refusal (it counts the failure, and the burst's audit row).

    ``checked`` is the password checked beforehand (:func:`check_password`); it counts only while the
    account's hash is still the one checked, else the password is checked again here. ``address`` is the
    browser's source address and ``device`` its device cookie (see :mod:`dashboard.services.sign_in_throttle`):
    an attempt inside a delay is refused without being checked, like a wrong password."""
    settings = settings or get_settings()
    now = now or clock.now()
    name = username.strip()
    user = session.execute(select(AppUser).where(col(AppUser.username) == name)).scalars().first()
    attempt = throttle.Attempt(name, throttle.client_address(address), device)
    gate = throttle.enter(session, attempt, user_id=user.id if user else None, now=now, settings=settings)
    # The audit log keeps only the name typed; the role is not recorded for a refusal.
    role = user.role if user else Role.committee
    if gate.throttled or (checked is not None and checked.username == name and checked.throttled):
        throttle.failed(session, throttle.Gate(attempt, gate.user_id, gate.state, True), now=now, settings=settings,
                        role=role)
        raise SignInRefused()
    current_hash = user.password_hash if user else None
    if checked is not None and checked.username == name and checked.password_hash == current_hash:
        password_ok = checked.matches
    else:
        password_ok = verify_password(current_hash, password)
    if user is None or not user.active or not password_ok:
        throttle.failed(session, gate, now=now, settings=settings, role=role)
        raise SignInRefused()
    throttle.succeeded(session, gate)
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=settings.session_hours)
    session.add(AppSession(token_hash=token_hash(token), user_id=user.id, created_at=now,
                           expires_at=expires_at))
    record_audit(session, actor=Actor(user.username, user.role), action="sign_in", entity="app_user",
                 entity_id=user.id)
    return SignedIn(token, Actor(user.username, user.role), user.display_name, expires_at)


@dataclass(frozen=True)
class CurrentUser:
    actor: Actor
    display_name: str


def user_for_token(*, session: Session, token: str | None, now: datetime | None = None) -> CurrentUser | None:
    """The active user a session token belongs to, or None if it is unknown, ended or expired."""
    if not token:
        return None
    now = now or clock.now()
    row = session.execute(
        select(AppSession, AppUser)
        .join(AppUser, col(AppUser.id) == col(AppSession.user_id))
        .where(col(AppSession.token_hash) == token_hash(token))
    ).first()
    if row is None:
        return None
    app_session, user = row
    expires_at = _aware(app_session.expires_at)
    if app_session.ended_at is not None or not user.active or expires_at is None or expires_at <= now:
        return None
    return CurrentUser(Actor(user.username, user.role), user.display_name)


class SessionEnded(RecordInvalid):
    """A write or a download asked for by a browser tab whose session is no longer live: signed out,
    expired, ended by an administrator, or its account deactivated or given another role. Nothing is done."""

    def __init__(self) -> None:
        super().__init__([FieldProblem(SESSION_FIELD, "session_ended")])

    def __reduce__(self) -> tuple[type[SessionEnded], tuple[()]]:  # raised in a worker process, re-raised here
        return (SessionEnded, ())


def acting_user(*, session: Session, token: str | None, now: datetime | None = None) -> CurrentUser:
    """The user a write (or a download) acts for, read from the database inside the write's own transaction
    at the moment it runs, never a role captured on an earlier run of the page. Raises :class:`SessionEnded`
    when the token's session is not live.

    On PostgreSQL the session's and the account's rows stay share-locked until the write commits, so a
    sign-out, a deactivation or a role change made meanwhile waits for it instead of slipping in between the
    check and the commit (on SQLite the write transaction already holds the database's write lock)."""
    if not token:
        raise SessionEnded()
    now = now or clock.now()
    row = session.execute(
        select(AppSession, AppUser)
        .join(AppUser, col(AppUser.id) == col(AppSession.user_id))
        .where(col(AppSession.token_hash) == token_hash(token))
        .with_for_update(read=True)
    ).first()
    if row is None:
        raise SessionEnded()
    app_session, user = row
    expires_at = _aware(app_session.expires_at)
    if app_session.ended_at is not None or not user.active or expires_at is None or expires_at <= now:
        raise SessionEnded()
    return CurrentUser(Actor(user.username, user.role), user.display_name)


def sign_out(*, session: Session, token: str | None, now: datetime | None = None) -> bool:
    """End the session the token belongs to; True if one was open. The caller commits."""
    if not token:
        return False
    now = now or clock.now()
    found = session.execute(
        select(AppSession).where(col(AppSession.token_hash) == token_hash(token), col(AppSession.ended_at).is_(None))
    ).scalars().first()
    if found is None:
        return False
    found.ended_at = now
    session.add(found)
    user = session.get(AppUser, found.user_id)
    if user is not None:
        record_audit(session, actor=Actor(user.username, user.role), action="sign_out", entity="app_user",
                     entity_id=user.id)
    return True


def remember_device(*, session: Session, token: str, device: str | None, now: datetime | None = None,
                    settings: Settings | None = None) -> str | None:
    """After a sign-in: the token of a new device cookie for the browser holding the live session ``token``,
    or None (the session is not live, or the browser's ``device`` cookie is already known to its account).
    The caller commits."""
    settings = settings or get_settings()
    now = now or clock.now()
    found = session.execute(
        select(AppSession).where(col(AppSession.token_hash) == token_hash(token), col(AppSession.ended_at).is_(None))
    ).scalars().first()
    expires_at = _aware(found.expires_at) if found is not None else None
    if found is None or expires_at is None or expires_at <= now:
        return None
    return throttle.remember_device(session, user_id=found.user_id, token=device, now=now, settings=settings)
