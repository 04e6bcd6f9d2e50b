"""The Audit page on the demo park, on each database: committee and admin read it, staff and finance cannot
reach it; the count and rows equal the log's; the user filter narrows the table to that user; a change
shows only its changed fields, labelled in the user's language; the CSV export holds the filtered rows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.services.audit import record_audit
from dashboard.services.audit_log import AuditFilter
from dashboard.services.permissions import Actor
from dashboard.views.audit import csv_bytes
from models.enums import Role
from tests.apptest import open_app, texts


def _count(url: str, where: str = "1 = 1") -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM audit_log WHERE {where}")).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def logged_change(demo_app_url: str) -> Iterator[int]:
    """One logged change of an enterprise by staff (an audit row only; the enterprise is not touched)."""
    engine = make_engine(demo_app_url)
    with Session(engine) as session:
        record_audit(session, actor=Actor("staff", Role.staff), action="update", entity="enterprise", entity_id=5,
                     before={"name": "甲公司", "employees": 100, "safety_org": True, "status": "operating"},
                     after={"name": "甲公司", "employees": 120, "safety_org": False, "status": "suspended"})
        session.commit()
    engine.dispose()
    yield 5


def _submit_filters(at: AppTest) -> AppTest:
    [button] = [b for b in at.button if b.form_id == "audit_filters"]
    return button.click().run()


def test_committee_reads_the_log_newest_first(demo_app_url: str) -> None:
    at = open_app("committee", page="audit")
    assert not at.exception
    shown = texts(at)
    assert "操作日志" in shown
    total = _count(demo_app_url)
    assert f"共 {total:,} 条" in shown
    table = at.dataframe[0].value
    assert list(table.columns) == ["at", "username", "action", "entity", "entity_id", "log_id"]
    assert list(table["log_id"]) == sorted(table["log_id"], reverse=True)
    assert table.iloc[0]["username"] == "committee" and table.iloc[0]["action"] == "登录"
    assert table.iloc[0]["entity"] == "用户账号"
    labels = {name: config.get("label") for name, config in json.loads(at.dataframe[0].proto.columns).items()}
    assert labels["at"] == "时间(UTC+8)" and labels["log_id"] == "日志序号"


@pytest.mark.parametrize("username", ["staff", "finance"])
def test_staff_and_finance_cannot_reach_the_audit_page(demo_app_url: str, username: str) -> None:
    with pytest.raises(ValueError, match=r"Could not find a navigation page for .*audit\.py"):
        open_app(username, page="audit")


def test_the_user_filter_narrows_the_table_to_that_user(demo_app_url: str, logged_change: int) -> None:
    open_app("admin")  # admin signs in: the log holds rows of several users
    at = open_app("committee", page="audit", language="en")
    assert "staff" in at.multiselect(key="audit.users").options
    at.multiselect(key="audit.users").set_value(["staff"])
    _submit_filters(at)
    assert not at.exception
    table = at.dataframe[0].value
    expected = _count(demo_app_url, "username = 'staff'")
    assert expected >= 1 and set(table["username"]) == {"staff"} and len(table) == min(expected, 50)
    assert f"{expected:,} entries" in texts(at)
    at.multiselect(key="audit.users").set_value(["admin", "staff"])
    _submit_filters(at)
    table = at.dataframe[0].value
    assert set(table["username"]) == {"admin", "staff"}
    assert len(table) == min(_count(demo_app_url, "username IN ('admin', 'staff')"), 50)


def test_a_change_shows_its_changed_fields_in_the_users_language(demo_app_url: str, logged_change: int) -> None:
    at = open_app("admin", page="audit")
    at.multiselect(key="audit.entities").set_value(["enterprise"])
    at.number_input(key="audit.entity_id").set_value(logged_change)
    _submit_filters(at)
    assert not at.exception
    assert list(at.dataframe[0].value["entity_id"]) == [str(logged_change)]
    diff = at.dataframe[1].value
    assert list(diff["field"]) == ["从业人员数", "安全管理机构", "状态"]
    assert list(diff["before"]) == ["100", "是", "在产"]
    assert list(diff["after"]) == ["120", "否", "停产"]

    at = open_app("admin", page="audit", language="en")
    at.multiselect(key="audit.entities").set_value(["enterprise"])
    _submit_filters(at)
    diff = at.dataframe[1].value
    assert list(diff["field"]) == ["number of employees", "safety management body", "status"]
    assert list(diff["after"]) == ["120", "no", "Suspended"]


def test_a_sign_in_has_no_fields_to_show(demo_app_url: str) -> None:
    at = open_app("committee", page="audit", language="en")
    at.multiselect(key="audit.actions").set_value(["sign_in"])
    _submit_filters(at)
    assert "This entry records no field values" in texts(at)


def test_a_filter_matching_nothing_says_so(demo_app_url: str) -> None:
    at = open_app("committee", page="audit", language="en")
    at.number_input(key="audit.entity_id").set_value(987654)
    _submit_filters(at)
    assert not at.exception
    assert "No entry of the audit trail matches these filters." in texts(at)
    assert not at.dataframe


def test_the_csv_export_holds_the_filtered_rows(demo_app_url: str, logged_change: int) -> None:
    engine = make_engine(demo_app_url)
    try:
        data = csv_bytes(engine, Actor("committee", Role.committee), AuditFilter(usernames=("staff",)),
                         ["entry", "time", "user", "action", "table", "record id", "before", "after"])
    finally:
        engine.dispose()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["entry", "time", "user", "action", "table", "record id", "before", "after"]
    assert len(rows) - 1 == _count(demo_app_url, "username = 'staff'")
    assert {row[2] for row in rows[1:]} == {"staff"}
    change = [row for row in rows[1:] if row[4] == "enterprise"]
    assert change and '"employees": 120' in change[0][7]
