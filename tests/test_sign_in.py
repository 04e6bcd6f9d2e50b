"""Signing in and out: hashed tokens, expiry, no lock-out after repeated failures, audit rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session

from dashboard.services.permissions import SYSTEM
from dashboard.services.sign_in import SignInRefused, sign_in, sign_out, token_hash, user_for_token
from dashboard.services.users import add_user
from dashboard.settings import Settings
from models.enums import Role

NOW = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
SETTINGS = Settings(session_hours=12, sign_in_free_failures=3, sign_in_account_delay_cap_seconds=30)


@pytest.fixture
def finance_user(session: Session) -> str:
    """An active finance liaison, li, with the password 'correct-horse'."""
    add_user(session=session, actor=SYSTEM, data={"username": "li", "display_name": "李晓梅", "role": "finance",
                                                  "password": "correct-horse"})
    session.commit()
    return "li"


def attempt(session: Session, password: str, now: datetime = NOW, username: str = "li") -> str:
    try:
        signed = sign_in(session=session, username=username, password=password, now=now, settings=SETTINGS)
        session.commit()
        return signed.token
    except SignInRefused as refused:
        session.commit()
        return refused.reason


def test_a_right_password_opens_a_session_that_the_token_finds(session: Session, finance_user: str) -> None:
    token = attempt(session, "correct-horse")
    user = user_for_token(session=session, token=token, now=NOW + timedelta(hours=1))
    assert user is not None and user.actor.role == Role.finance and user.display_name == "李晓梅"
    stored = session.execute(text("SELECT token_hash FROM app_session")).scalars().all()
    assert stored == [token_hash(token)] and token not in stored
    assert session.execute(text("SELECT action FROM audit_log WHERE action = 'sign_in'")).scalars().all() == ["sign_in"]


def test_wrong_password_and_unknown_user_are_refused_alike(session: Session, finance_user: str) -> None:
    assert attempt(session, "wrong-horse") == "invalid"
    assert attempt(session, "correct-horse", username="nobody") == "invalid"
    assert session.execute(text("SELECT count(*) FROM app_session")).scalar_one() == 0


def test_the_session_expires_after_the_configured_hours(session: Session, finance_user: str) -> None:
    token = attempt(session, "correct-horse")
    assert user_for_token(session=session, token=token, now=NOW + timedelta(hours=11, minutes=59)) is not None
    assert user_for_token(session=session, token=token, now=NOW + timedelta(hours=12)) is None


def test_sign_out_ends_the_session_and_is_audited(session: Session, finance_user: str) -> None:
    token = attempt(session, "correct-horse")
    assert sign_out(session=session, token=token, now=NOW + timedelta(minutes=5))
    session.commit()
    assert user_for_token(session=session, token=token, now=NOW + timedelta(minutes=6)) is None
    assert not sign_out(session=session, token=token)
    assert "sign_out" in session.execute(text("SELECT action FROM audit_log")).scalars().all()


def test_repeated_failures_never_lock_the_account(session: Session, finance_user: str) -> None:
    """Twenty wrong passwords in a row are refused alike; half a minute later the right one signs in (it used
    to lock the account for a quarter of an hour, with its own message)."""
    assert {attempt(session, "bad") for _ in range(20)} == {"invalid"}
    token = attempt(session, "correct-horse", now=NOW + timedelta(seconds=30))
    assert user_for_token(session=session, token=token, now=NOW + timedelta(minutes=1)) is not None


def test_a_deactivated_user_cannot_sign_in_and_loses_open_sessions(session: Session, finance_user: str) -> None:
    token = attempt(session, "correct-horse")
    session.execute(text("UPDATE app_user SET active = false WHERE username = 'li'"))
    session.commit()
    assert user_for_token(session=session, token=token, now=NOW) is None
    assert attempt(session, "correct-horse") == "invalid"
