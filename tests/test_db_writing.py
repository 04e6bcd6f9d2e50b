"""Saves that arrive together all succeed: a transaction that reads and then writes takes the write lock
first (``dashboard.db.writing``), so on SQLite it waits its turn instead of being refused "database is
locked" when another save commits between its read and its write (seen with ten people signing in at once)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlmodel import Session

from dashboard.db import make_engine, writing
from dashboard.services.sign_in import check_password, sign_in
from models import AppSession, AppUser

PEOPLE = 12


def test_people_signing_in_at_the_same_moment_are_all_signed_in(fresh_park: str) -> None:
    engine = make_engine(fresh_park)
    with Session(engine) as session:
        before = session.execute(select(func.count()).select_from(AppSession)).scalar_one()
    start = threading.Barrier(PEOPLE)
    refused: list[str] = []

    def sign_in_now(username: str) -> None:
        start.wait()
        try:
            with Session(engine) as reading:  # as the sign-in form does: the hashing before the write lock
                checked = check_password(session=reading, username=username, password="park-demo")
            with Session(writing(engine)) as session:
                sign_in(session=session, username=username, password="park-demo", checked=checked)
                session.commit()
        except Exception as error:
            refused.append(f"{username}: {error}")

    users = ["admin", "committee", "finance", "staff"] * (PEOPLE // 4)
    threads = [threading.Thread(target=sign_in_now, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused == []
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(AppSession)).scalar_one() == before + PEOPLE
    engine.dispose()


def test_a_password_checked_before_a_password_change_is_checked_again(fresh_park: str) -> None:
    """The check made before the write transaction counts only while the account's hash is the one checked."""
    from dashboard.services.permissions import SYSTEM
    from dashboard.services.sign_in import SignInRefused
    from dashboard.services.users import reset_password

    engine = make_engine(fresh_park)
    with Session(engine) as reading:
        checked = check_password(session=reading, username="staff", password="park-demo")
    assert checked.matches
    with Session(engine) as session:
        staff = session.execute(select(AppUser).where(AppUser.username == "staff")).scalar_one()
        reset_password(session=session, actor=SYSTEM, user_id=int(staff.id or 0), password="a-new-password-42")
        session.commit()
    with Session(writing(engine)) as session:
        try:
            sign_in(session=session, username="staff", password="park-demo", checked=checked)
        except SignInRefused as refused:
            assert refused.reason == "invalid"
        else:
            raise AssertionError("signed in with the old password")
    engine.dispose()
