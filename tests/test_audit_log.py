"""Reading the audit log: filters by user, table, action, record and park-local dates; newest first; pages;
the export; who may read it; and what one change changed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from dashboard.services.audit_log import AuditFilter, audit_choices, audit_entries, audit_page, changes
from dashboard.services.permissions import Actor, PermissionDenied
from models import AuditLog
from models.enums import Role

COMMITTEE = Actor("wang", Role.committee)
ZONE = "Asia/Shanghai"
START = datetime(2026, 6, 28, 12, 0, tzinfo=UTC)  # 20:00 on 28 June in the park


def _row(at: datetime, username: str, action: str, entity: str, entity_id: int | None,
         before: dict | None = None, after: dict | None = None) -> AuditLog:
    return AuditLog(at=at, username=username, action=action, entity=entity, entity_id=entity_id,
                    before_json=json.dumps(before) if before is not None else None,
                    after_json=json.dumps(after) if after is not None else None)


@pytest.fixture
def thirty_entries(session: Session) -> list[AuditLog]:
    """30 entries, one every 2 hours from START: staff creates and updates hazards, admin edits enterprises,
    committee signs in; entry 15 and 16 share one timestamp."""
    rows = []
    for n in range(30):
        at = START + timedelta(hours=2 * n)
        if n == 16:
            at = rows[15].at
        if n % 3 == 0:
            rows.append(_row(at, "staff", "create", "hazard", n, after={"severity": "general"}))
        elif n % 3 == 1:
            rows.append(_row(at, "admin", "update", "enterprise", 7, before={"employees": n},
                             after={"employees": n + 1}))
        else:
            rows.append(_row(at, "committee", "sign_in", "app_user", 2))
    session.add_all(rows)
    session.commit()
    return rows


def _ids(entries: list) -> list[int]:
    return [e.id for e in entries]


def test_newest_first_with_ties_broken_by_id(session: Session, thirty_entries: list[AuditLog]) -> None:
    page = audit_page(session, COMMITTEE, AuditFilter(), page_size=100, timezone=ZONE)
    assert page.total == 30 and page.pages == 1
    expected = sorted(thirty_entries, key=lambda r: (r.at, r.id), reverse=True)  # type: ignore[arg-type, return-value]
    assert _ids(page.entries) == [r.id for r in expected]
    assert _ids(page.entries)[13:15] == [thirty_entries[16].id, thirty_entries[15].id]


def test_filters_by_user_table_action_and_record(session: Session, thirty_entries: list[AuditLog]) -> None:
    by_user = audit_page(session, COMMITTEE, AuditFilter(usernames=("staff",)), page_size=100, timezone=ZONE)
    assert by_user.total == 10 and {e.username for e in by_user.entries} == {"staff"}
    two_users = audit_page(session, COMMITTEE, AuditFilter(usernames=("staff", "admin")), page_size=100)
    assert two_users.total == 20
    by_table = audit_page(session, COMMITTEE, AuditFilter(entities=("enterprise",)), page_size=100)
    assert by_table.total == 10 and {e.entity for e in by_table.entries} == {"enterprise"}
    by_action = audit_page(session, COMMITTEE, AuditFilter(actions=("sign_in",)), page_size=100)
    assert by_action.total == 10 and {e.action for e in by_action.entries} == {"sign_in"}
    by_record = audit_page(session, COMMITTEE, AuditFilter(entities=("hazard",), entity_id=9))
    assert _ids(by_record.entries) == [thirty_entries[9].id]
    nothing = audit_page(session, COMMITTEE, AuditFilter(usernames=("staff",), actions=("sign_in",)))
    assert (nothing.total, nothing.entries, nothing.pages, nothing.page) == (0, [], 1, 1)


def test_dates_are_days_in_the_parks_time_zone(session: Session, thirty_entries: list[AuditLog]) -> None:
    # 29 June in Shanghai is 28 June 16:00 UTC to 29 June 16:00 UTC: entries 2..13 (from 28 June 16:00 UTC)
    day = audit_page(session, COMMITTEE, AuditFilter(since=date(2026, 6, 29), until=date(2026, 6, 29)),
                     page_size=100, timezone=ZONE)
    inside = [r for r in thirty_entries if datetime(2026, 6, 28, 16, tzinfo=UTC) <= r.at.replace(tzinfo=UTC)  # type: ignore[union-attr]
              < datetime(2026, 6, 29, 16, tzinfo=UTC)]
    assert sorted(_ids(day.entries)) == sorted(r.id for r in inside) and len(inside) == 12
    assert {e.at.date() for e in day.entries} == {date(2026, 6, 29)}
    assert all(e.at.utcoffset() == timedelta(hours=8) for e in day.entries)
    # the same day in UTC is a different set
    utc_day = audit_page(session, COMMITTEE, AuditFilter(since=date(2026, 6, 29), until=date(2026, 6, 29)),
                         page_size=100, timezone="UTC")
    assert set(_ids(utc_day.entries)) != set(_ids(day.entries)) and utc_day.total == 12
    since_only = audit_page(session, COMMITTEE, AuditFilter(since=date(2026, 7, 1)), page_size=100, timezone=ZONE)
    assert all(e.at.date() >= date(2026, 7, 1) for e in since_only.entries) and since_only.total > 0
    until_only = audit_page(session, COMMITTEE, AuditFilter(until=date(2026, 6, 28)), page_size=100, timezone=ZONE)
    assert until_only.total == 2  # 20:00 and 22:00 on 28 June in the park


def test_pages_split_the_rows_and_a_page_past_the_end_shows_the_last(
    session: Session, thirty_entries: list[AuditLog]
) -> None:
    everything = _ids(audit_page(session, COMMITTEE, AuditFilter(), page_size=100).entries)
    first = audit_page(session, COMMITTEE, AuditFilter(), page=1, page_size=12)
    second = audit_page(session, COMMITTEE, AuditFilter(), page=2, page_size=12)
    last = audit_page(session, COMMITTEE, AuditFilter(), page=99, page_size=12)
    assert (first.pages, first.total, last.page) == (3, 30, 3)
    assert _ids(first.entries) + _ids(second.entries) + _ids(last.entries) == everything
    assert len(last.entries) == 6


def test_the_export_reads_every_matching_row_newest_first(session: Session, thirty_entries: list[AuditLog]) -> None:
    rows = list(audit_entries(session, COMMITTEE, AuditFilter(entities=("enterprise",)), chunk=3))
    assert [e.entity_id for e in rows] == [7] * 10
    assert [e.at for e in rows] == sorted((e.at for e in rows), reverse=True)
    assert len(list(audit_entries(session, COMMITTEE, AuditFilter(), limit=5))) == 5


def test_choices_list_what_the_log_holds(session: Session, thirty_entries: list[AuditLog]) -> None:
    choices = audit_choices(session, COMMITTEE)
    assert choices.usernames == ["admin", "committee", "staff"]
    assert choices.entities == ["app_user", "enterprise", "hazard"]
    assert choices.actions == ["create", "sign_in", "update"]


@pytest.mark.parametrize("role", [Role.staff, Role.finance])
def test_only_committee_and_admin_may_read_the_log(session: Session, role: Role) -> None:
    actor = Actor("someone", role)
    with pytest.raises(PermissionDenied):
        audit_page(session, actor, AuditFilter())
    with pytest.raises(PermissionDenied):
        list(audit_entries(session, actor, AuditFilter()))
    with pytest.raises(PermissionDenied):
        audit_choices(session, actor)
    assert audit_page(session, Actor("boss", Role.admin), AuditFilter()).total == 0


def test_changes_show_only_what_changed() -> None:
    update = changes(json.dumps({"name": "甲", "employees": 10, "safety_org": True}),
                     json.dumps({"name": "甲", "employees": 12, "safety_org": False}))
    assert [(c.field, c.before, c.after) for c in update] == [("employees", 10, 12), ("safety_org", True, False)]
    create = changes(None, json.dumps({"severity": "major", "deadline": None}))
    assert [(c.field, c.before, c.after) for c in create] == [("severity", None, "major")]
    delete = changes(json.dumps({"severity": "general"}), None)
    assert [(c.field, c.before, c.after) for c in delete] == [("severity", "general", None)]
    assert changes(None, None) == []
