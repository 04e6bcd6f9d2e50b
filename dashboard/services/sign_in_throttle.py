"""Slowing down password guessing without locking anyone out, and without telling which accounts exist.

Design (issue 13, item 8). An account used to lock for a quarter of an hour after five wrong passwords, so
anyone could lock anyone out (the administrator included) and the distinct "locked" message told an outsider
that the name existed. Now:

- **Counted per source address and per account name.** Every failed sign-in counts on two rows of
  ``sign_in_throttle``: the address it came from and the name typed, whether or not an account has that
  name (the key is a SHA-256, so the names an outsider types are not kept). A row's count is a *burst*: it
  is forgotten once nothing has failed on it for ``sign_in_window_minutes``, and such rows are purged on
  every sign-in, so the table holds only the bursts of the last window.
- **Growing delays, not a lock.** The first ``sign_in_free_failures`` failures of a burst cost nothing
  (typos). After each further one, the next attempt from that address, or on that account, is not even
  checked for 1 s, then 2, 4, 8 … capped at ``sign_in_address_delay_cap_seconds`` (60) for an address and
  ``sign_in_account_delay_cap_seconds`` (30) for an account. An attempt inside the delay is refused with the
  same message as a wrong password, and does not lengthen the delay, so hammering an account keeps it at the
  cap and never locks it: its owner waits at most half a minute. An outsider gets about one guess per
  30 seconds per account and one per minute per address.
- **Known devices.** A browser that has signed in to an account gets a long-lived device cookie
  (``park_safety_device``: a random token, HttpOnly, SameSite=Strict, ``known_device_days``; the database
  keeps its SHA-256 in ``known_device``, bound to that account). Signing in to *that* account from it skips
  both delays, so the owner signs in at once while someone else hammers the account, or shares their
  address (an office behind one NAT). The cookie is no key to other accounts, and a device that fails
  ``sign_in_free_failures`` times in a row is throttled like any other browser until its next success
  (a stolen cookie does not allow unlimited guessing).
- **Unknown names behave like known ones.** The same message, the same counting, the same timing: a name
  without an account is checked against a dummy argon2 hash, and an attempt inside a delay is refused
  without hashing, whatever the name.
- **One audit row per burst.** The first failure of a burst writes a ``sign_in_refused`` audit row; later
  failures of the same address or account burst raise its ``attempts`` count (and ``throttled``, the ones
  refused unchecked), add the name typed (up to ten names) and note the last time. The Audit trail shows
  "Sign-in refused ×37".
- **The source address** is the websocket's peer as Streamlit reports it (``st.context.ip_address``),
  which Uvicorn takes from ``X-Forwarded-For`` only when the peer is one of ``trusted_proxies`` (by default
  the loopback addresses, where the README's reverse proxy runs; ``park-safety serve`` passes the setting to
  Uvicorn as ``FORWARDED_ALLOW_IPS``). A loopback peer is "local".

The delay is decided inside the sign-in's write transaction, on rows locked for it (SQLite's IMMEDIATE
transaction; ``SELECT … FOR UPDATE`` on PostgreSQL), so a burst of simultaneous guesses is checked one after
another and all but the free ones are refused. The argon2 check itself stays before that transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from dashboard.services.audit import record_audit
from dashboard.services.permissions import Actor
from dashboard.settings import Settings
from models import AuditLog, KnownDevice, SignInThrottle
from models.enums import Role

DEVICE_COOKIE = "park_safety_device"
LOCAL = "local"  # the address of a browser on the server's own machine (Streamlit reports none)
MAX_NAMES = 10  # names typed that a burst's audit row keeps
MAX_DEVICES_PER_ACCOUNT = 20
PURGE_BATCH = 500


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive UTC timestamps; PostgreSQL aware ones."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def client_address(ip_address: str | None) -> str:
    """The source address a sign-in is counted on: the peer Streamlit reports, "local" for none."""
    return (ip_address or "").strip()[:64] or LOCAL


def address_key(address: str) -> str:
    return _sha256(f"address:{address}")


def account_key(username: str) -> str:
    return _sha256(f"account:{username.strip()}")


def delay_after(failures: int, *, free: int, cap_seconds: int) -> timedelta | None:
    """How long the next attempt waits after the ``failures``-th failure of a burst (None: not at all)."""
    beyond = failures - free
    if beyond <= 0:
        return None
    return timedelta(seconds=min(2 ** min(beyond - 1, 20), cap_seconds))


@dataclass(frozen=True)
class Attempt:
    """Who is trying to sign in: the name typed, the source address, the device cookie (if any)."""

    username: str
    address: str = LOCAL
    device: str | None = None


@dataclass
class _State:
    address: SignInThrottle | None
    account: SignInThrottle | None
    device: KnownDevice | None  # the attempt's device, when it is known to the account tried


def _live_device(session: Session, token: str | None, user_id: int | None, now: datetime,
                 settings: Settings) -> KnownDevice | None:
    if not token or user_id is None:
        return None
    device = session.get(KnownDevice, _sha256(token), populate_existing=True)
    if device is None or device.user_id != user_id:
        return None
    created = _aware(device.created_at)
    if created is None or created <= now - timedelta(days=settings.known_device_days):
        return None
    return device


def _exempt(state: _State, settings: Settings) -> bool:
    return state.device is not None and state.device.failures < settings.sign_in_free_failures


def _blocked(state: _State, now: datetime, settings: Settings) -> bool:
    if _exempt(state, settings):
        return False
    for row in (state.address, state.account):
        until = _aware(row.blocked_until) if row is not None else None
        if until is not None and until > now:
            return True
    return False


def is_throttled(session: Session, attempt: Attempt, *, user_id: int | None, now: datetime,
                 settings: Settings) -> bool:
    """Whether the attempt falls inside a delay (read only, before the password is hashed)."""
    rows = {row.key: row for row in session.execute(
        select(SignInThrottle).where(col(SignInThrottle.key).in_(
            [address_key(attempt.address), account_key(attempt.username)]))
    ).scalars()}
    state = _State(rows.get(address_key(attempt.address)), rows.get(account_key(attempt.username)),
                   _live_device(session, attempt.device, user_id, now, settings))
    return _blocked(state, now, settings)


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _locked_state(session: Session, attempt: Attempt, *, user_id: int | None, now: datetime,
                  settings: Settings) -> _State:
    """The attempt's two rows, created if need be and locked for this transaction (in key order, so two
    sign-ins never wait for each other crosswise); a row whose burst is over starts afresh."""
    keys = sorted({address_key(attempt.address), account_key(attempt.username)})
    insert = _insert(session)
    for key in keys:
        session.execute(insert(SignInThrottle).values(key=key, failures=0, updated_at=now)
                        .on_conflict_do_nothing(index_elements=["key"]))
    rows = {row.key: row for row in session.execute(
        select(SignInThrottle).where(col(SignInThrottle.key).in_(keys)).order_by(col(SignInThrottle.key))
        .with_for_update().execution_options(populate_existing=True)
    ).scalars()}
    stale = now - timedelta(minutes=settings.sign_in_window_minutes)
    for row in rows.values():
        updated = _aware(row.updated_at)
        if updated is None or updated < stale:
            row.failures, row.blocked_until, row.audit_id, row.updated_at = 0, None, None, now
    return _State(rows[address_key(attempt.address)], rows[account_key(attempt.username)],
                  _live_device(session, attempt.device, user_id, now, settings))


def _purge(session: Session, now: datetime, settings: Settings) -> None:
    """Forget the bursts that are over (a batch at a time; rows another sign-in holds are left for later)."""
    stale = select(col(SignInThrottle.key)).where(
        col(SignInThrottle.updated_at) < now - timedelta(minutes=settings.sign_in_window_minutes)
    ).limit(PURGE_BATCH)
    if session.get_bind().dialect.name == "postgresql":
        stale = stale.with_for_update(skip_locked=True)
    session.execute(delete(SignInThrottle).where(col(SignInThrottle.key).in_(stale)))


@dataclass(frozen=True)
class Gate:
    """The state of an attempt inside the sign-in's write transaction."""

    attempt: Attempt
    user_id: int | None
    state: _State
    throttled: bool


def enter(session: Session, attempt: Attempt, *, user_id: int | None, now: datetime, settings: Settings) -> Gate:
    """Lock the attempt's rows and decide whether it may be checked at all."""
    _purge(session, now, settings)
    state = _locked_state(session, attempt, user_id=user_id, now=now, settings=settings)
    return Gate(attempt, user_id, state, _blocked(state, now, settings))


def _burst_audit(session: Session, gate: Gate, *, now: datetime, throttled: bool, role: Role) -> None:
    rows = [row for row in (gate.state.address, gate.state.account) if row is not None]
    name = gate.attempt.username.strip()[:64] or "?"
    audit = next((found for row in rows if row.audit_id is not None
                  and (found := session.get(AuditLog, row.audit_id, populate_existing=True,
                                            with_for_update=True)) is not None), None)
    if audit is None:
        audit = record_audit(session, actor=Actor(name, role), action="sign_in_refused", entity="app_user",
                             entity_id=gate.user_id, after={
                                 "attempts": 1, "throttled": int(throttled), "address": gate.attempt.address,
                                 "names": [name], "last_at": now.isoformat()})
        session.flush()
    else:
        after: dict[str, Any] = json.loads(audit.after_json or "{}")
        names = list(after.get("names") or [])
        if name not in names and len(names) < MAX_NAMES:
            names.append(name)
        after.update(attempts=int(after.get("attempts") or 1) + 1,
                     throttled=int(after.get("throttled") or 0) + int(throttled), names=names,
                     last_at=now.isoformat())
        audit.after_json = json.dumps(after, ensure_ascii=False, sort_keys=True)
        session.add(audit)
    for row in rows:
        row.audit_id = audit.id
        session.add(row)


def failed(session: Session, gate: Gate, *, now: datetime, settings: Settings, role: Role) -> None:
    """Count a refused attempt: a checked failure lengthens the delays; every refusal counts in the audit."""
    if not gate.throttled:
        caps = ((gate.state.address, settings.sign_in_address_delay_cap_seconds),
                (gate.state.account, settings.sign_in_account_delay_cap_seconds))
        for row, cap in caps:
            if row is None:
                continue
            row.failures += 1
            row.updated_at = now
            delay = delay_after(row.failures, free=settings.sign_in_free_failures, cap_seconds=cap)
            row.blocked_until = now + delay if delay is not None else None
            session.add(row)
        if gate.state.device is not None:
            gate.state.device.failures += 1
            session.add(gate.state.device)
    _burst_audit(session, gate, now=now, throttled=gate.throttled, role=role)


def succeeded(session: Session, gate: Gate) -> None:
    """The owner proved the password: the account's burst is over (the address's goes on), the device's
    failures are forgiven."""
    if gate.state.account is not None:
        session.delete(gate.state.account)
    if gate.state.device is not None:
        gate.state.device.failures = 0
        session.add(gate.state.device)


def forget_account(session: Session, username: str) -> None:
    """End an account's burst (an administrator reactivated it or reset its password)."""
    session.execute(delete(SignInThrottle).where(col(SignInThrottle.key) == account_key(username)))


def throttled_until(session: Session, usernames: Iterable[str], now: datetime) -> dict[str, datetime]:
    """Until when each of these accounts' next sign-in waits (only those that wait)."""
    keys = {account_key(name): name for name in usernames}
    found: dict[str, datetime] = {}
    for row in session.execute(select(SignInThrottle).where(col(SignInThrottle.key).in_(list(keys)))).scalars():
        until = _aware(row.blocked_until)
        if until is not None and until > now:
            found[keys[row.key]] = until
    return found


def remember_device(session: Session, *, user_id: int, token: str | None, now: datetime,
                    settings: Settings) -> str | None:
    """After a sign-in: a new device token for the browser's cookie, or None when the browser's device
    cookie already belongs to this account. Expired devices, and an account's oldest beyond twenty, go."""
    if _live_device(session, token, user_id, now, settings) is not None:
        return None
    session.execute(delete(KnownDevice).where(
        col(KnownDevice.created_at) <= now - timedelta(days=settings.known_device_days)))
    keep = select(col(KnownDevice.token_hash)).where(col(KnownDevice.user_id) == user_id).order_by(
        col(KnownDevice.created_at).desc()).limit(MAX_DEVICES_PER_ACCOUNT - 1)
    session.execute(delete(KnownDevice).where(col(KnownDevice.user_id) == user_id,
                                              col(KnownDevice.token_hash).not_in(keep)))
    new = secrets.token_urlsafe(32)
    session.add(KnownDevice(token_hash=_sha256(new), user_id=user_id, created_at=now))
    return new
