"""Who a write acts for is read from the database inside the write's own transaction (issue 13, item 1):
``acting_user`` refuses a token whose session was signed out, expired, ended by a deactivation or by a role
change, and gives the role the account has now; on PostgreSQL a deactivation made while a write is under way
waits until that write has committed, so nothing slips in between the check and the commit."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from dashboard.db import writing
from dashboard.services.permissions import SYSTEM, Actor
from dashboard.services.sign_in import SessionEnded, acting_user, sign_in, sign_out
from dashboard.services.users import add_user, change_role, set_active
from dashboard.settings import Settings
from models.enums import Role

SETTINGS = Settings(session_hours=12)
PASSWORD = "first-password"


def _account(engine: Engine, username: str, role: Role) -> int:
    with Session(engine) as session:
        user = add_user(session=session, actor=SYSTEM, data={"username": username, "display_name": username,
                                                             "role": role, "password": PASSWORD})
        session.commit()
        assert user.id is not None
        return user.id


def _token(engine: Engine, username: str, now: datetime | None = None) -> str:
    with Session(engine) as session:
        token = sign_in(session=session, username=username, password=PASSWORD, now=now, settings=SETTINGS).token
        session.commit()
    return token


def _acting(engine: Engine, token: str | None, now: datetime | None = None) -> tuple[str, Role]:
    with Session(writing(engine)) as session:
        user = acting_user(session=session, token=token, now=now)
        return user.actor.username, user.actor.role


def test_a_live_session_acts_for_its_user_with_the_role_they_have_now(engine: Engine) -> None:
    _account(engine, "boss", Role.admin)
    _account(engine, "zhang", Role.staff)
    token = _token(engine, "zhang")
    assert _acting(engine, token) == ("zhang", Role.staff)


@pytest.mark.parametrize("token", [None, "", "not-a-token-anyone-was-given"])
def test_no_token_or_an_unknown_one_is_refused(engine: Engine, token: str | None) -> None:
    with pytest.raises(SessionEnded) as refused:
        _acting(engine, token)
    assert "Sign in again" in refused.value.messages("en")[0]
    assert "请重新登录" in refused.value.messages("zh")[0]


def test_a_signed_out_session_is_refused(engine: Engine) -> None:
    _account(engine, "zhang", Role.staff)
    token = _token(engine, "zhang")
    with Session(engine) as session:
        assert sign_out(session=session, token=token)
        session.commit()
    with pytest.raises(SessionEnded):
        _acting(engine, token)


def test_an_expired_session_is_refused(engine: Engine) -> None:
    _account(engine, "zhang", Role.staff)
    start = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
    token = _token(engine, "zhang", now=start)
    assert _acting(engine, token, now=start + timedelta(hours=11)) == ("zhang", Role.staff)
    with pytest.raises(SessionEnded):
        _acting(engine, token, now=start + timedelta(hours=12, seconds=1))


def test_a_deactivated_account_is_refused(engine: Engine) -> None:
    _account(engine, "boss", Role.admin)
    user_id = _account(engine, "zhang", Role.staff)
    token = _token(engine, "zhang")
    with Session(engine) as session:
        set_active(session=session, actor=SYSTEM, user_id=user_id, active=False)
        session.commit()
    with pytest.raises(SessionEnded):
        _acting(engine, token)


def test_a_role_change_ends_the_accounts_sessions_and_the_next_sign_in_has_the_new_role(engine: Engine) -> None:
    _account(engine, "boss", Role.admin)
    user_id = _account(engine, "zhang", Role.staff)
    token = _token(engine, "zhang")
    with Session(engine) as session:
        change_role(session=session, actor=SYSTEM, user_id=user_id, role=Role.finance)
        session.commit()
    with pytest.raises(SessionEnded):
        _acting(engine, token)
    assert _acting(engine, _token(engine, "zhang")) == ("zhang", Role.finance)


def test_an_administrator_who_changes_their_own_role_stays_signed_in_with_the_new_one(engine: Engine) -> None:
    _account(engine, "boss", Role.admin)
    second_id = _account(engine, "second", Role.admin)
    token = _token(engine, "second")
    assert _acting(engine, token) == ("second", Role.admin)
    with Session(engine) as session:
        change_role(session=session, actor=Actor("second", Role.admin), user_id=second_id, role=Role.committee)
        session.commit()
    assert _acting(engine, token) == ("second", Role.committee)


def _waiting_for_a_lock(engine: Engine) -> bool:
    """Whether a connection to the test's database is waiting for a lock (PostgreSQL)."""
    with engine.connect() as connection:
        return bool(connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )).scalar_one())


def test_on_postgresql_a_deactivation_waits_for_a_write_under_way(engine: Engine) -> None:
    if engine.url.get_backend_name() != "postgresql":
        pytest.skip("SQLite's write transaction holds the whole database's write lock already")
    _account(engine, "boss", Role.admin)
    user_id = _account(engine, "zhang", Role.staff)
    token = _token(engine, "zhang")
    deactivated_at: list[float] = []

    def deactivate() -> None:
        with Session(engine) as session:
            set_active(session=session, actor=SYSTEM, user_id=user_id, active=False)
            session.commit()
        deactivated_at.append(time.monotonic())

    with Session(writing(engine)) as session:
        assert acting_user(session=session, token=token).actor.username == "zhang"
        other = threading.Thread(target=deactivate)
        other.start()
        deadline = time.monotonic() + 30
        while not _waiting_for_a_lock(engine):  # behind the write's share lock on the account and its session
            assert not deactivated_at, "the deactivation did not wait for the write"
            assert time.monotonic() < deadline, "the deactivation neither ran nor waited"
            time.sleep(0.05)
        assert not deactivated_at
        committed_at = time.monotonic()
        session.commit()
    other.join(timeout=30)
    assert deactivated_at and deactivated_at[0] >= committed_at
    with pytest.raises(SessionEnded):
        _acting(engine, token)
