"""Saves that arrive together all succeed: a transaction that reads and then writes takes the write lock
first (``dashboard.db.writing``), so on SQLite it waits its turn instead of being refused "database is
locked" when another save commits between its read and its write (seen with ten people signing in at once)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlmodel import Session

from dashboard.db import make_engine, writing
from dashboard.services.sign_in import sign_in
from models import AppSession

PEOPLE = 8


def test_people_signing_in_at_the_same_moment_are_all_signed_in(fresh_park: str) -> None:
    engine = make_engine(fresh_park)
    with Session(engine) as session:
        before = session.execute(select(func.count()).select_from(AppSession)).scalar_one()
    start = threading.Barrier(PEOPLE)
    refused: list[str] = []

    def sign_in_now(username: str) -> None:
        start.wait()
        try:
            with Session(writing(engine)) as session:
                sign_in(session=session, username=username, password="park-demo")
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
