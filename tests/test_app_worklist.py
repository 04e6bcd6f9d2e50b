"""The hazard worklist panel in AppTest, on each database, with a small park of its own (the tests save):
staff rectify then verify a hazard through the panel and the database holds the dates; a reopen without
a reason is refused with the message and nothing changes; only the transitions the status allows are
offered; a save after someone else's is refused and the panel reloads; staff mark a hazard publicly
exposed and the committee sees the mark, read-only (no buttons: the committee does not edit records).

The panel is drawn by ``tests/pages_for_tests/worklist_page.py`` (the app shows it in a tab of the
Records page); the user's token and language are put in the session as the app would."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session, col
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.services.enterprises import create_enterprise
from dashboard.services.hazard_workflow import allowed_transitions, transition_hazard
from dashboard.services.hazards import create_hazard
from dashboard.services.permissions import SYSTEM, Actor
from dashboard.services.users import add_user
from dashboard.settings import get_settings
from dashboard.views.context import LANGUAGE_KEY
from dashboard.views.session import TOKEN_KEY
from models import AuditLog, Hazard, Park, Role
from models.enums import HazardStatus
from tests.apptest import DEMO_PASSWORD, ROOT, TIMEOUT, texts, token_for
from tests.records import PARK_BOUNDARY, data_revision, enterprise_data, general_hazard_data, major_hazard_data

PAGE = str(ROOT / "tests" / "pages_for_tests" / "worklist_page.py")
Days = Callable[[int], date]
USERS = {"staff": ("安监办 张伟", Role.staff), "committee": ("管委会委员 王建国", Role.committee),
         "admin": ("系统管理员", Role.admin)}


@pytest.fixture
def day(today: date) -> Days:
    """``day(-5)``: five days before ``today``."""
    return lambda offset: today + timedelta(days=offset)


@pytest.fixture
def small_park(db_url: str, monkeypatch: pytest.MonkeyPatch, day: Days) -> Iterator[dict[str, int]]:
    """One enterprise with a hazard in each state (dated from today), three users; the app points at it."""
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        s.add(Park(name="临江化工园区", name_en="Linjiang Chemical Park", boundary_geojson=PARK_BOUNDARY,
                   center_lat=30.25, center_lon=120.15, accident_target_per_year=1))
        firm = create_enterprise(session=s, actor=SYSTEM, data=enterprise_data()).id or 0
        for username, (display_name, role) in USERS.items():
            add_user(session=s, actor=SYSTEM, data={"username": username, "display_name": display_name, "role": role,
                                                   "password": DEMO_PASSWORD})
        made = {
            "open": general_hazard_data(firm, found_on=day(-20), deadline=day(-5),
                                        description="Fire exit in workshop 2 blocked by pallets"),
            "rectifying": major_hazard_data(firm, found_on=day(-30), deadline=day(10), status="rectifying"),
            "rectified": general_hazard_data(firm, category="electrical", found_on=day(-12), deadline=day(-2),
                                             status="rectified", rectified_on=day(-3),
                                             description="Open cable tray above the paint line"),
            "verified": general_hazard_data(firm, category="signage", found_on=day(-40), deadline=day(-30),
                                            status="verified", rectified_on=day(-32), verified_on=day(-10),
                                            verified_by="园区安监科 李工", description="Evacuation map outdated"),
        }
        ids = {name: create_hazard(session=s, actor=SYSTEM, data=data).id or 0 for name, data in made.items()}
        s.commit()
    engine.dispose()
    monkeypatch.setenv("PARK_SAFETY_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield ids
    get_settings.cache_clear()


def open_panel(username: str, language: str = "en") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state[TOKEN_KEY] = token_for(username)
    at.session_state[LANGUAGE_KEY] = language
    at.run()
    assert not at.exception, at.exception
    return at


def pick(at: AppTest, hazard_id: int) -> None:
    at.selectbox(key="worklist.pick").set_value(hazard_id).run()
    assert not at.exception, at.exception


def offered(at: AppTest) -> list[str]:
    """The actions offered for the picked hazard (the keys of the buttons under its details)."""
    return [str(b.key).removeprefix("worklist.do.") for b in at.button if str(b.key).startswith("worklist.do.")]


def click(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    assert not at.exception, at.exception


def stored(hazard_id: int) -> Hazard:
    engine = make_engine(get_settings().effective_database_url)
    try:
        with Session(engine) as s:
            row = s.get(Hazard, hazard_id)
            assert row is not None
            s.expunge(row)
            return row
    finally:
        engine.dispose()


def hazard_audits(hazard_id: int) -> list[AuditLog]:
    engine = make_engine(get_settings().effective_database_url)
    try:
        with Session(engine) as s:
            return list(s.execute(select(AuditLog).where(col(AuditLog.entity) == "hazard",
                                                         col(AuditLog.entity_id) == hazard_id)
                                  .order_by(col(AuditLog.id))).scalars().all())
    finally:
        engine.dispose()


def revision() -> int:
    engine = make_engine(get_settings().effective_database_url)
    try:
        return data_revision(engine)
    finally:
        engine.dispose()


def table(at: AppTest) -> Any:
    return at.dataframe[0].value


def test_staff_rectify_then_verify_a_hazard_through_the_panel(small_park: dict[str, int], day: Days) -> None:
    hid = small_park["open"]
    at = open_panel("staff")
    # the overdue hazard comes first and is picked
    assert int(table(at)["id"].iloc[0]) == hid
    assert (table(at)["state"].iloc[0], table(at)["due"].iloc[0]) == ("Open", "5 days overdue")
    assert at.selectbox(key="worklist.pick").value == hid
    assert offered(at) == ["start_rectifying", "rectify", "expose"]

    click(at, "worklist.do.rectify")
    assert [d.label for d in at.date_input] == ["Date rectified"]
    assert at.date_input(key="worklist.rectified_on").value == day(0)
    at.date_input(key="worklist.rectified_on").set_value(day(-1))
    click(at, "worklist.submit")
    assert not at.error, [e.value for e in at.error]
    assert f"Hazard no. {hid} saved as rectified; it now awaits verification." in texts(at)
    row = stored(hid)
    assert (row.status, row.rectified_on, row.verified_on, row.version) == (HazardStatus.rectified, day(-1), None, 2)
    # still on the list, awaiting verification, and now it can only be verified
    shown = table(at).set_index("id")
    assert (shown.loc[hid, "state"], shown.loc[hid, "due"]) == ("Rectified, awaiting verification", "To be verified")
    assert offered(at) == ["verify", "expose"]

    click(at, "worklist.do.verify")
    assert at.text_input(key="worklist.verified_by").value == "安监办 张伟"  # the user's display name
    assert at.date_input(key="worklist.verified_on").value == day(0)
    click(at, "worklist.submit")
    assert not at.error, [e.value for e in at.error]
    assert f"Hazard no. {hid} verified and closed." in texts(at)
    row = stored(hid)
    assert (row.status, row.rectified_on, row.verified_on, row.verified_by) == (
        HazardStatus.verified, day(-1), day(0), "安监办 张伟")
    assert [a.action for a in hazard_audits(hid)] == ["create", "rectify", "verify"]
    # closed: off the to-do list, its details still shown, and it can be reopened
    assert hid not in set(table(at)["id"])
    assert at.selectbox(key="worklist.pick").value == hid
    assert offered(at) == ["reopen", "expose"]
    at.radio(key="worklist.view").set_value("closed").run()
    assert hid in set(table(at)["id"])


def test_a_reopen_without_a_reason_is_refused_with_the_message(small_park: dict[str, int], day: Days) -> None:
    hid = small_park["verified"]
    at = open_panel("staff", language="zh")
    at.radio(key="worklist.view").set_value("closed").run()
    assert list(table(at)["id"]) == [hid]
    pick(at, hid)
    assert offered(at) == ["reopen", "expose"]
    click(at, "worklist.do.reopen")
    before = (stored(hid).version, len(hazard_audits(hid)), revision())
    click(at, "worklist.submit")
    errors = [str(e.value) for e in at.error]
    assert "理由为必填项。" in errors and "未保存任何内容。" in errors
    row = stored(hid)
    assert (row.status, row.verified_on, row.verified_by) == (HazardStatus.verified, day(-10), "园区安监科 李工")
    assert (row.version, len(hazard_audits(hid)), revision()) == before
    # the form is still open; with a reason the hazard is reopened and the reason audited
    at.text_area(key="worklist.reason").set_value("复查发现疏散示意图仍未更新")
    click(at, "worklist.submit")
    assert f"隐患 {hid} 号已重新打开。" in texts(at)
    row = stored(hid)
    assert (row.status, row.rectified_on, row.verified_on, row.verified_by) == (HazardStatus.open, None, None, None)
    last = hazard_audits(hid)[-1]
    assert (last.action, last.username, json.loads(last.after_json or "{}")["reason"]) == (
        "reopen", "staff", "复查发现疏散示意图仍未更新")


def test_the_panel_offers_only_the_transitions_the_status_allows(small_park: dict[str, int]) -> None:
    at = open_panel("admin")
    at.radio(key="worklist.view").set_value("closed").run()  # the verified hazard is on this view
    pick(at, small_park["verified"])
    assert offered(at) == [*allowed_transitions(HazardStatus.verified), "expose"]
    at.radio(key="worklist.view").set_value("todo").run()
    for status in ("open", "rectifying", "rectified"):
        pick(at, small_park[status])
        assert offered(at) == [*allowed_transitions(HazardStatus(status)), "expose"], status
    # a transition refused by the status cannot even be asked for: e.g. verifying an open hazard
    pick(at, small_park["open"])
    assert "verify" not in offered(at) and "reopen" not in offered(at)


def test_a_save_after_someone_elses_is_refused_and_the_panel_reloads(small_park: dict[str, int], today: date) -> None:
    hid = small_park["open"]
    at = open_panel("staff")
    click(at, "worklist.do.rectify")
    # meanwhile, another user starts the rectification
    engine = make_engine(get_settings().effective_database_url)
    with Session(engine) as s:
        transition_hazard(session=s, actor=Actor("admin", Role.admin), hazard_id=hid, version=1,
                          transition="start_rectifying", today=today)
        s.commit()
    engine.dispose()
    click(at, "worklist.submit")
    assert f"Not saved: 系统管理员 changed hazard no. {hid} after you opened it." in texts(at)  # the admin's name
    row = stored(hid)
    assert (row.status, row.rectified_on, row.version) == (HazardStatus.rectifying, None, 2)
    # reloaded: the hazard as it now stands, with the actions its new status allows
    assert table(at).set_index("id").loc[hid, "state"] == "Being rectified"
    assert offered(at) == ["stop_rectifying", "rectify", "expose"]
    assert not [b for b in at.button if b.key == "worklist.submit"]


def test_a_save_after_someone_elses_names_them_on_the_chinese_page(small_park: dict[str, int], today: date) -> None:
    hid = small_park["rectified"]
    at = open_panel("staff", language="zh")
    pick(at, hid)
    click(at, "worklist.do.expose")
    engine = make_engine(get_settings().effective_database_url)
    with Session(engine) as s:  # meanwhile, the administrator verifies the hazard
        transition_hazard(session=s, actor=Actor("admin", Role.admin), hazard_id=hid, version=1,
                          transition="verify", today=today, verified_on=today, verified_by="李工")
        s.commit()
    engine.dispose()
    click(at, "worklist.submit")
    warnings = [str(w.value) for w in at.warning]
    assert f"未保存：隐患 {hid} 号在您打开后已被系统管理员修改。下方显示的是其最新内容，请核对后重试。" in warnings
    row = stored(hid)
    assert (row.status, row.publicly_exposed, row.version) == (HazardStatus.verified, False, 2)
    assert f"**隐患 {hid} 号**" in texts(at)  # shown as it now stands, though it has left the to-do list


def test_staff_expose_a_hazard_and_the_committee_sees_it_read_only(small_park: dict[str, int]) -> None:
    hid = small_park["rectified"]
    at = open_panel("staff")
    pick(at, hid)
    click(at, "worklist.do.expose")
    click(at, "worklist.submit")
    assert f"Hazard no. {hid} is marked as publicly exposed." in texts(at)
    row = stored(hid)
    assert (row.publicly_exposed, row.version) == (True, 2)
    assert hazard_audits(hid)[-1].action == "expose"
    assert offered(at) == ["verify", "withdraw"]

    committee = open_panel("committee", language="zh")
    shown = table(committee).set_index("id")
    assert shown.loc[hid, "marks"] == "公开曝光"
    assert shown.loc[small_park["rectifying"], "marks"] == "挂牌督办"  # the major hazard, automatically
    assert [m.value for m in committee.metric][-1] == "1"  # publicly exposed
    pick(committee, hid)
    assert ":green-badge[已整改待验收]" in texts(committee)
    assert ":red-badge[:material/campaign: 公开曝光]" in texts(committee)
    assert offered(committee) == []  # read-only: no transition and no exposure buttons
    assert "只读：您的角色可以查看隐患，但不能变更。" in texts(committee)


def test_filters_narrow_the_list(small_park: dict[str, int]) -> None:
    at = open_panel("staff")
    assert set(table(at)["id"]) == {small_park["open"], small_park["rectifying"], small_park["rectified"]}
    at.checkbox(key="worklist.overdue").check().run()
    assert list(table(at)["id"]) == [small_park["open"]]
    at.checkbox(key="worklist.overdue").uncheck().run()
    at.multiselect(key="worklist.severities").set_value(["major"]).run()
    assert list(table(at)["id"]) == [small_park["rectifying"]]
    at.text_input(key="worklist.search").set_value("no such enterprise").run()
    assert not at.dataframe
    assert "No hazard matches these filters" in texts(at)
