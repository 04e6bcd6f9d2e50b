"""Sign-in throttling (issue 13, item 8): failed sign-ins slow down their address and their account name with
growing, capped delays instead of locking the account; every refusal looks the same whether the name exists
or not; the owner signs in from a browser known to the account while someone hammers it; a burst of failures
is one audit row; the throttle's table stays bounded. Every test runs on SQLite and PostgreSQL, with the
clock given (nothing sleeps)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, delete, func, select, update
from sqlmodel import Session, col

from dashboard import clock
from dashboard.db import writing
from dashboard.services import sign_in as sign_in_module
from dashboard.services.audit_log import AuditEntry
from dashboard.services.permissions import SYSTEM
from dashboard.services.sign_in import (
    SignInRefused,
    check_password,
    remember_device,
    sign_in,
    user_for_token,
)
from dashboard.services.users import add_user, list_users, reset_password, set_active
from dashboard.settings import Settings
from models import AuditLog, KnownDevice, SignInThrottle
from tests.apptest import APP, TIMEOUT

NOW = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
SETTINGS = Settings(sign_in_free_failures=3, sign_in_address_delay_cap_seconds=60,
                    sign_in_account_delay_cap_seconds=30, sign_in_window_minutes=15, known_device_days=90)
PASSWORD = "correct-horse"
REFUSED = "refused"


@pytest.fixture
def accounts(session: Session) -> dict[str, int]:
    """Two active accounts, li (finance) and wang (staff), both with the password 'correct-horse'."""
    ids = {}
    for username, role in (("li", "finance"), ("wang", "staff")):
        user = add_user(session=session, actor=SYSTEM, data={"username": username, "display_name": username,
                                                             "role": role, "password": PASSWORD})
        session.commit()
        ids[username] = int(user.id or 0)
    return ids


def attempt(session: Session, username: str, password: str, at: datetime, *, address: str = "203.0.113.7",
            device: str | None = None) -> str:
    """One sign-in as the form makes it (the password checked first, then the write transaction):
    a session token, or "refused" with the one message every refusal has."""
    checked = check_password(session=session, username=username, password=password, address=address,
                             device=device, now=at, settings=SETTINGS)
    session.rollback()
    try:
        signed = sign_in(session=session, username=username, password=password, now=at, settings=SETTINGS,
                         checked=checked, address=address, device=device)
    except SignInRefused as refused:
        session.commit()
        assert (refused.reason, str(refused), refused.args) == ("invalid", "invalid", ("invalid",))
        return REFUSED
    session.commit()
    return signed.token


def refusals(session: Session) -> list[dict[str, object]]:
    rows = session.execute(select(AuditLog).where(AuditLog.action == "sign_in_refused").order_by(AuditLog.id))
    return [json.loads(row.after_json or "{}") for row in rows.scalars()]


def test_failures_from_one_address_delay_its_next_attempt_more_and_more_up_to_a_minute(
    session: Session, accounts: dict[str, int]
) -> None:
    """An attacker guessing from one address, each guess as soon as allowed, on ever new names: the waits
    between checked guesses grow 0, 0, 0, 1, 2, 4 … 60 s and stay at 60; inside a wait even the right password
    is refused, with the wrong password's message; another address is not slowed."""
    at = NOW
    waits = []
    for guess in range(12):
        # a new name each time: only the address's delays apply (each name's own count stays below the free ones)
        assert attempt(session, f"guess{guess}", "wrong-password", at) == REFUSED
        row = session.execute(select(SignInThrottle).order_by(col(SignInThrottle.failures).desc())).scalars().first()
        assert row is not None
        blocked = row.blocked_until.replace(tzinfo=UTC) if row.blocked_until is not None else None
        waits.append((blocked - at).total_seconds() if blocked is not None else 0.0)
        at = blocked or at
    assert waits == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    # inside the delay: the right password of a real account from that address is refused like a wrong one
    assert attempt(session, "li", PASSWORD, at - timedelta(seconds=1)) == REFUSED
    # meanwhile someone at another address signs in at once
    assert attempt(session, "wang", PASSWORD, at - timedelta(seconds=1), address="198.51.100.20") != REFUSED
    # once the minute is over, the right password from the attacker's address works (no lock)
    assert attempt(session, "li", PASSWORD, at) != REFUSED


def test_an_account_hammered_from_many_addresses_waits_at_most_half_a_minute(
    session: Session, accounts: dict[str, int]
) -> None:
    """Forty wrong passwords on li from forty addresses, one a second: li, signing in from elsewhere right
    after them, is refused, and signs in 30 s later. Before, the fifth failure locked li for 15 minutes."""
    at = NOW
    for n in range(40):
        attempt(session, "li", "wrong-password", at, address=f"192.0.2.{n}")
        at += timedelta(seconds=1)
    assert attempt(session, "li", PASSWORD, at, address="198.51.100.20") == REFUSED
    assert attempt(session, "li", PASSWORD, at + timedelta(seconds=30), address="198.51.100.20") != REFUSED


def test_an_unknown_name_a_wrong_password_and_a_delayed_attempt_are_refused_alike(
    session: Session, accounts: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusal (same exception, same message), the same number of argon2 checks (one; none inside a
    delay), the same counting: an unknown name is delayed after exactly as many failures as a real one."""
    checks: list[str] = []
    real_verify = sign_in_module.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        checks.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(sign_in_module, "verify_password", counting)
    outcomes: dict[str, list[tuple[str, int]]] = {}
    for name, address in (("li", "192.0.2.1"), ("nobody-here", "192.0.2.2")):
        outcomes[name] = []
        for _ in range(5):  # three free failures, the fourth delays, the fifth falls inside the delay
            before = len(checks)
            outcomes[name].append((attempt(session, name, "wrong-password", NOW, address=address),
                                   len(checks) - before))
    assert outcomes["li"] == outcomes["nobody-here"] == [(REFUSED, 1)] * 4 + [(REFUSED, 0)]
    # the right password inside li's delay is refused exactly like the rest, unchecked
    before = len(checks)
    assert attempt(session, "li", PASSWORD, NOW, address="192.0.2.3") == REFUSED
    assert len(checks) == before
    rows = session.execute(select(SignInThrottle.failures, SignInThrottle.blocked_until)
                           .order_by(SignInThrottle.key)).all()
    assert sorted(int(failures) for failures, _ in rows) == [0, 4, 4, 4, 4]  # two accounts, three addresses


def test_the_owner_signs_in_from_a_known_browser_while_an_attacker_hammers_the_account(
    session: Session, accounts: dict[str, int]
) -> None:
    owner_address, attacker_address = "198.51.100.20", "203.0.113.66"
    token = attempt(session, "li", PASSWORD, NOW, address=owner_address)
    device = remember_device(session=session, token=token, device=None, now=NOW, settings=SETTINGS)
    session.commit()
    assert device is not None
    assert remember_device(session=session, token=token, device=device, now=NOW, settings=SETTINGS) is None
    # the attacker's own account gives them a device cookie too, but for wang only
    wang_token = attempt(session, "wang", PASSWORD, NOW, address=attacker_address)
    attacker_device = remember_device(session=session, token=wang_token, device=None, now=NOW, settings=SETTINGS)
    session.commit()
    at = NOW + timedelta(hours=1)
    for _ in range(30):
        attempt(session, "li", "wrong-password", at, address=attacker_address, device=attacker_device)
        attempt(session, "li", "wrong-password", at, address="192.0.2.99")
        at += timedelta(milliseconds=500)
    # li's account is in a delay: a browser without the cookie is refused, even from the owner's address
    assert attempt(session, "li", PASSWORD, at, address=owner_address) == REFUSED
    assert attempt(session, "li", PASSWORD, at, address=attacker_address, device=attacker_device) == REFUSED
    # the owner's browser signs in at once, even from the attacker's (delayed) address
    signed = attempt(session, "li", PASSWORD, at, address=owner_address, device=device)
    assert signed != REFUSED
    assert user_for_token(session=session, token=signed, now=at) is not None
    assert attempt(session, "li", PASSWORD, at, address=attacker_address, device=device) != REFUSED


def test_a_known_browser_that_keeps_failing_loses_its_exemption_until_it_signs_in(
    session: Session, accounts: dict[str, int]
) -> None:
    token = attempt(session, "li", PASSWORD, NOW)
    device = remember_device(session=session, token=token, device=None, now=NOW, settings=SETTINGS)
    session.commit()
    at = NOW + timedelta(minutes=1)
    for _ in range(3):  # a stolen cookie: three wrong guesses through it
        assert attempt(session, "li", "guess", at, address="192.0.2.50", device=device) == REFUSED
    for n in range(5):  # and the account is hammered from elsewhere
        attempt(session, "li", "guess", at, address=f"192.0.2.{60 + n}")
    assert attempt(session, "li", PASSWORD, at, address="192.0.2.51", device=device) == REFUSED
    # once the delay is over it signs in, and is exempt again
    assert attempt(session, "li", PASSWORD, at + timedelta(seconds=31), address="192.0.2.51", device=device) \
        != REFUSED
    for n in range(5):
        attempt(session, "li", "guess", at + timedelta(seconds=32), address=f"192.0.2.{70 + n}")
    assert attempt(session, "li", PASSWORD, at + timedelta(seconds=32), address="192.0.2.51", device=device) \
        != REFUSED


def test_a_burst_of_fifty_failures_is_one_audit_row_that_counts_them(
    session: Session, accounts: dict[str, int]
) -> None:
    """Fifty attempts in a minute from one address on li and on names it makes up: one audit row, 'Sign-in
    refused ×50' (before: fifty rows, and a lock). A new burst after a quiet window is a new row."""
    from dashboard.views.audit import action_text

    at = NOW
    for n in range(50):
        attempt(session, "li" if n % 2 else f"admin{n % 7}", "wrong-password", at)
        at += timedelta(seconds=1.2)
    [burst] = refusals(session)
    assert burst["attempts"] == 50 and burst["address"] == "203.0.113.7"
    assert 0 < int(str(burst["throttled"])) < 50 and "li" in list(burst["names"])  # type: ignore[call-overload]
    row = session.execute(select(AuditLog).where(AuditLog.action == "sign_in_refused")).scalar_one()
    entry = AuditEntry(id=int(row.id or 0), at=NOW, username=row.username, action=row.action, entity=row.entity,
                       entity_id=row.entity_id, before_json=row.before_json, after_json=row.after_json)
    assert action_text(entry) in {"登录被拒 ×50", "Sign-in refused ×50"}
    # a quarter of an hour later the burst is over: the next failure starts a new row
    attempt(session, "li", "wrong-password", at + timedelta(minutes=16))
    assert [r["attempts"] for r in refusals(session)] == [50, 1]


def test_simultaneous_guesses_are_checked_one_after_another(engine: Engine, accounts: dict[str, int]) -> None:
    """Ten guesses sent at the same moment after the free failures are used up: one is checked, nine are
    refused unchecked (all were hashed before the write transaction, as the form does)."""
    with Session(engine) as session:
        for _ in range(3):
            attempt(session, "li", "wrong-password", NOW)
    start = threading.Barrier(10)
    errors: list[str] = []

    def guess(password: str) -> None:
        try:
            with Session(engine) as reading:
                checked = check_password(session=reading, username="li", password=password,
                                         address="203.0.113.7", now=NOW, settings=SETTINGS)
            start.wait()
            with Session(writing(engine)) as session:
                with contextlib.suppress(SignInRefused):
                    sign_in(session=session, username="li", password=password, now=NOW, settings=SETTINGS,
                            checked=checked, address="203.0.113.7")
                session.commit()
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=guess, args=(f"guess-{n}",)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(engine) as session:
        [burst] = refusals(session)
        assert (burst["attempts"], burst["throttled"]) == (13, 9)
        assert sorted(session.execute(select(SignInThrottle.failures)).scalars()) == [4, 4]


@pytest.mark.slow
def test_the_throttle_and_the_known_devices_stay_bounded(session: Session, accounts: dict[str, int]) -> None:
    """Six hundred made-up names from thirty addresses over half an hour leave rows only for the last quarter
    of an hour; an account keeps at most twenty known browsers, and none older than known_device_days."""
    def count(model: type[SignInThrottle] | type[KnownDevice]) -> int:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())

    at, most = NOW, 0
    for n in range(600):  # one every 3 s for half an hour: a new name each time, from 30 addresses
        attempt(session, f"name{n}", "wrong-password", at, address=f"10.0.{n % 30}.1")
        most = max(most, count(SignInThrottle))
        at += timedelta(seconds=3)
    assert most <= 15 * 60 // 3 + 30 + 1  # the names of the last quarter of an hour, and the 30 addresses
    assert attempt(session, "someone", "wrong-password", at + timedelta(minutes=16), address="10.9.9.9") == REFUSED
    assert count(SignInThrottle) == 2  # everything older than the window is gone
    for n in range(25):
        token = attempt(session, "li", PASSWORD, NOW + timedelta(minutes=n), address="198.51.100.1")
        remember_device(session=session, token=token, device=None, now=NOW + timedelta(minutes=n), settings=SETTINGS)
        session.commit()
    assert count(KnownDevice) == 20
    token = attempt(session, "wang", PASSWORD, NOW + timedelta(days=91), address="198.51.100.1")
    remember_device(session=session, token=token, device=None, now=NOW + timedelta(days=91), settings=SETTINGS)
    session.commit()
    assert count(KnownDevice) == 1


@pytest.mark.parametrize("clear", ["reset_password", "reactivate"])
def test_the_settings_page_shows_the_wait_and_an_administrator_can_end_it(
    session: Session, accounts: dict[str, int], clear: str
) -> None:
    for n in range(4):  # the fourth failure delays the account's next sign-in by a second
        attempt(session, "li", "wrong-password", NOW, address=f"192.0.2.{n}")
    rows = {row.username: row for row in list_users(session, now=NOW)}
    assert rows["li"].throttled_until == NOW + timedelta(seconds=1) and rows["wang"].throttled_until is None
    assert attempt(session, "li", PASSWORD, NOW, address="198.51.100.9") == REFUSED
    admin_change: Callable[[], object]
    if clear == "reset_password":
        def admin_change() -> object:
            return reset_password(session=session, actor=SYSTEM, user_id=accounts["li"], password="a-new-password",
                                  now=NOW)
    else:
        set_active(session=session, actor=SYSTEM, user_id=accounts["li"], active=False, now=NOW)
        session.commit()

        def admin_change() -> object:
            return set_active(session=session, actor=SYSTEM, user_id=accounts["li"], active=True, now=NOW)
    admin_change()
    session.commit()
    assert {row.username: row for row in list_users(session, now=NOW)}["li"].throttled_until is None
    password = "a-new-password" if clear == "reset_password" else PASSWORD
    assert attempt(session, "li", password, NOW, address="198.51.100.9") != REFUSED


# --- the form, through AppTest ------------------------------------------------------------------------


def _form(username: str, password: str) -> list[str]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception
    if not at.text_input:  # the form is gone: the pages of the signed-in user are shown
        return ["signed in"]
    return [str(e.value) for e in at.error]


@pytest.mark.slow
def test_the_form_shows_one_message_for_every_refusal_and_never_locks(demo_app_url: str) -> None:
    """An unknown name, a wrong password, five wrong passwords in a row (the fifth used to say 'locked until
    …') and the right password inside a delay all show 'Wrong username or password'; the account is not locked."""
    from dashboard.db import get_engine

    message = ["用户名或密码错误。"]
    assert _form("nobody-at-all", "park-demo") == message
    for _ in range(5):
        assert _form("committee", "not-the-password") == message
    engine = get_engine(demo_app_url)
    with Session(engine) as session:  # as if an attacker's burst had just delayed the account for half a minute
        session.execute(update(SignInThrottle).values(blocked_until=clock.now() + timedelta(seconds=30)))
        session.commit()
    assert _form("committee", "park-demo") == message
    with Session(engine) as session:  # the delay over: the right password signs in
        session.execute(update(SignInThrottle).values(blocked_until=None))
        session.commit()
    assert _form("committee", "park-demo") == ["signed in"]
    with Session(engine) as session:
        session.execute(delete(SignInThrottle))
        session.commit()
