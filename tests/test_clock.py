"""The app's one clock (``dashboard/clock.py``): ``PARK_SAFETY_CLOCK`` starts it at an instant and it runs on from
there, and everything that reads the time follows it: today in the park, the stamps a row gets (not the database's
own ``now()``), and when a session ends."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from dashboard import clock
from dashboard.services.enterprises import create_enterprise, update_enterprise
from dashboard.services.permissions import SYSTEM, Actor
from dashboard.services.sign_in import sign_in, user_for_token
from dashboard.services.users import add_user
from dashboard.settings import get_settings
from models import AuditLog, Enterprise, Park, Role
from tests.records import enterprise_data

STAFF = Actor("li.staff", Role.staff)
LAST_MINUTE_OF_FEBRUARY = datetime(2027, 2, 28, 15, 59, tzinfo=UTC)  # 23:59 in the park (UTC+8)


def _close_to(moment: datetime | None, expected: datetime) -> bool:
    """Within a minute after ``expected`` (SQLite gives the stamps back naive, in UTC)."""
    assert moment is not None
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return expected <= moment < expected + timedelta(minutes=1)


def test_the_setting_starts_the_clock_at_its_instant_in_the_parks_zone(set_clock: Callable[[str], None]) -> None:
    set_clock("2027-02-28T23:59:00")  # without a zone: the park's
    assert get_settings().clock == LAST_MINUTE_OF_FEBRUARY
    assert _close_to(clock.now(), LAST_MINUTE_OF_FEBRUARY)
    assert clock.park_today() == date(2027, 2, 28)
    set_clock("2027-03-01T02:00:00+08:00")  # 28 February in UTC, already March in the park
    assert clock.park_today() == date(2027, 3, 1)


def test_the_clock_runs_on_from_its_instant_into_the_next_day(set_clock: Callable[[str], None]) -> None:
    set_clock("2027-02-28T23:59:59.800+08:00")
    assert clock.park_today() == date(2027, 2, 28)
    deadline = time.monotonic() + 10
    while clock.park_today() != date(2027, 3, 1):
        assert time.monotonic() < deadline, "the clock stood still"
        time.sleep(0.05)
    assert clock.now() < LAST_MINUTE_OF_FEBRUARY + timedelta(minutes=1, seconds=10)


def test_without_the_setting_the_clock_is_the_systems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARK_SAFETY_CLOCK")
    get_settings.cache_clear()
    assert get_settings().clock is None
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_record_and_its_audit_row_are_stamped_by_the_apps_clock_not_the_databases(
    engine: Engine, park: Park, set_clock: Callable[[str], None]
) -> None:
    set_clock("2027-02-28T23:59:00+08:00")
    with Session(engine, expire_on_commit=False) as session:
        made = create_enterprise(session=session, actor=STAFF, data=enterprise_data())
        session.commit()
    later = LAST_MINUTE_OF_FEBRUARY + timedelta(days=3)
    set_clock(later.isoformat())
    with Session(engine) as session:
        update_enterprise(session=session, actor=STAFF, enterprise_id=made.id or 0,
                          data={**made.model_dump(exclude={"id", "created_at", "updated_at"}), "employees": 150})
        session.commit()
    with Session(engine) as session:
        stored = session.get(Enterprise, made.id)
        assert stored is not None
        audit = {row.action: row.at for row in session.execute(select(AuditLog)).scalars()}
    assert _close_to(stored.created_at, LAST_MINUTE_OF_FEBRUARY) and _close_to(audit["create"], LAST_MINUTE_OF_FEBRUARY)
    assert _close_to(stored.updated_at, later) and _close_to(audit["update"], later)


def test_a_session_ends_when_the_apps_clock_says_so(engine: Engine, set_clock: Callable[[str], None]) -> None:
    with Session(engine) as session:
        add_user(session=session, actor=SYSTEM, data={"username": "zhang", "display_name": "张伟", "role": "staff",
                                                     "password": "long-enough-1"})
        session.commit()
    set_clock("2027-02-28T08:00:00+08:00")
    with Session(engine) as session:
        token = sign_in(session=session, username="zhang", password="long-enough-1").token
        session.commit()

    def signed_in() -> bool:
        with Session(engine) as session:
            return user_for_token(session=session, token=token) is not None

    set_clock("2027-02-28T19:59:00+08:00")  # a sign-in lasts 12 hours
    assert signed_in()
    set_clock("2027-02-28T20:00:01+08:00")
    assert not signed_in()
