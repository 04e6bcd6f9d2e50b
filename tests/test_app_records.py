"""The Records page on the demo park, on each database: a staff user records an inspection with two
hazards in one form; a bad credit code and a major hazard without its contingency plan are refused
with the message under the field and nothing written; the accident level follows the numbers before
anything is saved; two users editing one enterprise – the second save is refused and told what
changed; committee and finance cannot reach the page. Tests that save use a database of their own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session, col
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from models import AppUser, Enterprise, Hazard, Inspection, SafetySign, SignCheck
from tests.apptest import open_app, texts
from tests.records import data_revision, row_counts

TABLES = ("enterprise", "inspection", "hazard", "accident", "attachment", "attachment_blob", "audit_log")


def written(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        counts = row_counts(engine, *TABLES)
        audits = counts.pop("audit_log")
        with engine.connect() as connection:  # sign-ins add audit rows; writes to records add the others
            record_audits = connection.exec_driver_sql(
                "SELECT count(*) FROM audit_log WHERE entity NOT IN ('app_user', 'app_session', 'session')"
            ).scalar_one()
        return {"rows": counts, "revision": data_revision(engine), "record_audits": record_audits,
                "all_audits": audits}
    finally:
        engine.dispose()


def unchanged(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return (before["rows"], before["revision"], before["record_audits"]) == \
        (after["rows"], after["revision"], after["record_audits"])


def an_enterprise(url: str) -> Enterprise:
    """An operating enterprise of the demo park (the first by id)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            row = session.execute(
                select(Enterprise).where(col(Enterprise.status) == "operating").order_by(col(Enterprise.id)).limit(1)
            ).scalars().one()
            session.expunge(row)
            return row
    finally:
        engine.dispose()


def stored(url: str, enterprise_id: int) -> Enterprise:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            row = session.get(Enterprise, enterprise_id)
            assert row is not None
            session.expunge(row)
            return row
    finally:
        engine.dispose()


def display_name(url: str, username: str) -> str:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            user = session.execute(select(AppUser).where(col(AppUser.username) == username)).scalar_one()
            return user.display_name
    finally:
        engine.dispose()


def button(at: AppTest, label: str) -> Any:
    labels = [b.label for b in at.button]
    assert label in labels, labels
    return at.button[labels.index(label)]


def walk(node: Any) -> Iterator[Any]:
    """Every element of the page in the order drawn."""
    yield node
    children = getattr(node, "children", None) or {}
    for index in sorted(children):
        yield from walk(children[index])


def unescaped(markdown: str) -> str:
    """Markdown as the user reads it (the page escapes what users typed, so it shows as typed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def error_after(at: AppTest, widget_key: str) -> str:
    """The error drawn right under the widget with ``widget_key`` ("" if there is none), as read."""
    elements = list(walk(at.main))
    for position, element in enumerate(elements):
        if getattr(element, "key", None) == widget_key:
            following = elements[position + 1] if position + 1 < len(elements) else None
            return unescaped(str(following.value)) if getattr(following, "type", None) == "alert" or \
                type(following).__name__ == "Error" else ""
    raise AssertionError(f"no widget {widget_key}")


# --- saving ---------------------------------------------------------------------------------------


def test_staff_records_an_inspection_with_two_hazards_in_one_form(fresh_park: str, today: date) -> None:
    enterprise = an_enterprise(fresh_park)
    before = written(fresh_park)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise.id)})
    assert not at.exception
    at.text_input(key="inspection.inspector").set_value("Park inspection team: Wang Qiang")
    at.selectbox(key="inspection.tier").set_value("park")
    at.selectbox(key="inspection.hazards[1].category").set_value("fire")
    at.text_area(key="inspection.hazards[1].description").set_value("Fire exit blocked by pallets")
    at.text_input(key="inspection.hazards[1].responsible_person").set_value("Li Na")
    at.date_input(key="inspection.hazards[1].deadline").set_value(today)
    button(at, "Add another hazard").click().run()
    assert not at.exception
    # what was typed into the first hazard is still there, and a second, empty one is offered
    assert at.text_area(key="inspection.hazards[1].description").value == "Fire exit blocked by pallets"
    assert at.text_area(key="inspection.hazards[2].description").value == ""
    assert unchanged(before, written(fresh_park))
    at.selectbox(key="inspection.hazards[2].category").set_value("electrical")
    at.text_area(key="inspection.hazards[2].description").set_value("Open cable tray above the paint line")
    at.text_input(key="inspection.hazards[2].responsible_person").set_value("Zhou Min")
    at.date_input(key="inspection.hazards[2].deadline").set_value(today)
    button(at, "Save inspection and hazards").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("with 2 hazard(s)" in str(s.value) for s in at.success)
    after = written(fresh_park)
    assert after["rows"]["hazard"] == before["rows"]["hazard"] + 2
    assert after["rows"]["inspection"] == before["rows"]["inspection"] + 1
    assert after["record_audits"] == before["record_audits"] + 3
    assert after["revision"] > before["revision"]
    engine = make_engine(fresh_park)
    try:
        with Session(engine) as session:
            inspection = session.execute(select(Inspection).order_by(col(Inspection.id).desc()).limit(1)).scalar_one()
            found = session.execute(select(Hazard).where(col(Hazard.inspection_id) == inspection.id)).scalars().all()
    finally:
        engine.dispose()
    assert (inspection.enterprise_id, inspection.tier, inspection.inspector) == (
        enterprise.id, "park", "Park inspection team: Wang Qiang")
    assert sorted(h.description for h in found) == ["Fire exit blocked by pallets",
                                                    "Open cable tray above the paint line"]
    assert {h.found_on for h in found} == {today}
    # the list under the form shows the new inspection with its two hazards
    listed = [d.value for d in at.dataframe if "hazards" in d.value.columns]
    assert listed and int(listed[0].iloc[0]["hazards"]) == 2


def test_two_users_edit_one_enterprise_and_the_second_is_told_what_changed(fresh_park: str) -> None:
    enterprise = an_enterprise(fresh_park)
    query = {"enterprise": str(enterprise.id)}
    first = open_app("staff", page="records", language="en", query=query)
    second = open_app("admin", page="records", language="en", query=query)
    assert first.number_input(key="ent.employees").value == enterprise.employees
    assert second.number_input(key="ent.employees").value == enterprise.employees
    first.number_input(key="ent.employees").set_value(enterprise.employees + 7)
    first.button(key="ent._submit").click().run()
    assert not first.exception
    assert any("saved" in str(s.value) for s in first.success)
    saved = stored(fresh_park, enterprise.id or 0)
    assert (saved.employees, saved.version) == (enterprise.employees + 7, enterprise.version + 1)

    before = written(fresh_park)
    second.number_input(key="ent.employees").set_value(enterprise.employees - 1)
    second.text_input(key="ent.phone").set_value("0571-12345678")
    second.button(key="ent._submit").click().run()
    assert not second.exception
    warning = " ".join(str(w.value) for w in second.warning)
    assert f"Not saved: {display_name(fresh_park, 'staff')} saved this record at" in unescaped(warning)
    assert "after you opened it" in warning
    assert f"**Number of employees**: {enterprise.employees} → {enterprise.employees + 7}" in warning
    assert "Phone" not in warning  # only what the other user changed is listed
    assert not second.success
    # nothing was overwritten, and what the second user typed is still in the form
    kept = stored(fresh_park, enterprise.id or 0)
    assert (kept.employees, kept.phone, kept.version) == (enterprise.employees + 7, enterprise.phone,
                                                          enterprise.version + 1)
    assert unchanged(before, written(fresh_park))
    assert second.text_input(key="ent.phone").value == "0571-12345678"
    # reloading brings the current record into the form; the next save goes through
    button(second, "Reload the current record").click().run()
    assert second.number_input(key="ent.employees").value == enterprise.employees + 7
    assert not second.warning
    second.text_input(key="ent.phone").set_value("0571-12345678")
    second.button(key="ent._submit").click().run()
    assert not second.exception and not second.warning
    final = stored(fresh_park, enterprise.id or 0)
    assert (final.employees, final.phone, final.version) == (enterprise.employees + 7, "0571-12345678",
                                                             enterprise.version + 2)


# --- refusals, on the shared demo park ----------------------------------------------------------


def test_a_bad_credit_code_is_refused_under_its_field_and_nothing_is_written(demo_app_url: str) -> None:
    enterprise = an_enterprise(demo_app_url)
    before = written(demo_app_url)
    at = open_app("staff", page="records", language="zh", query={"enterprise": str(enterprise.id)})
    bad = enterprise.uscc[:17] + ("1" if enterprise.uscc[17] != "1" else "2")
    at.text_input(key="ent.uscc").set_value(bad)
    at.text_input(key="ent.name").set_value("改名后的企业")
    at.button(key="ent._submit").click().run()
    assert not at.exception
    message = error_after(at, "ent.uscc")
    assert f"统一社会信用代码“{bad}”校验码错误" in message
    assert "未保存:请更正上方标出的 1 个字段。" in " ".join(str(e.value) for e in at.error)
    assert not at.success
    assert at.text_input(key="ent.uscc").value == bad  # what the user typed is kept
    assert at.text_input(key="ent.name").value == "改名后的企业"
    assert stored(demo_app_url, enterprise.id or 0).uscc == enterprise.uscc
    assert stored(demo_app_url, enterprise.id or 0).name == enterprise.name
    assert unchanged(before, written(demo_app_url))


def test_a_new_enterprise_with_a_bad_credit_code_is_refused_in_english(demo_app_url: str) -> None:
    before = written(demo_app_url)
    at = open_app("staff", page="records", language="en")
    at.selectbox(key="records.enterprise").set_value(0).run()  # "New enterprise"
    for name, value in (("uscc", "91330100MA2B3C4D5"), ("name", "临江新材料有限公司"), ("legal_rep", "张伟"),
                        ("safety_lead", "李娜"), ("phone", "0571-88886666")):
        at.text_input(key=f"ent.{name}").set_value(value)
    at.selectbox(key="ent.industry").set_value("machinery")
    button(at, "Add enterprise").click().run()
    assert not at.exception
    assert error_after(at, "ent.uscc") == \
        "Unified social credit code must be 18 characters; “91330100MA2B3C4D5” has 17."
    assert unchanged(before, written(demo_app_url))


def test_a_major_hazard_without_a_contingency_plan_is_refused_with_the_field_named(
    demo_app_url: str, today: date
) -> None:
    enterprise = an_enterprise(demo_app_url)
    before = written(demo_app_url)
    at = open_app("staff", page="records", language="zh", query={"enterprise": str(enterprise.id)})
    at.selectbox(key="hz.category").set_value("hazardous_chemicals")
    at.selectbox(key="hz.severity").set_value("major")
    at.text_area(key="hz.description").set_value("储罐区可燃气体报警器失效")
    at.text_input(key="hz.responsible_person").set_value("王强")
    at.text_area(key="hz.measures").set_value("更换报警器并联网")
    at.number_input(key="hz.funds_yuan").set_value(50000.0)
    at.date_input(key="hz.deadline").set_value(today)
    button(at, "保存隐患").click().run()
    assert not at.exception
    assert error_after(at, "hz.contingency_plan") == \
        "重大隐患必须做到“五到位”(责任、措施、资金、时限、预案):缺少应急预案。"
    assert error_after(at, "hz.measures") == ""
    assert at.text_area(key="hz.description").value == "储罐区可燃气体报警器失效"
    assert unchanged(before, written(demo_app_url))


@pytest.mark.parametrize(("language", "general", "larger"),
                         [("zh", "一般事故", "较大事故"), ("en", "General", "Larger")])
def test_the_accident_level_follows_the_numbers_before_saving(demo_app_url: str, language: str, general: str,
                                                             larger: str) -> None:
    enterprise = an_enterprise(demo_app_url)
    before = written(demo_app_url)
    at = open_app("staff", page="records", language=language, query={"enterprise": str(enterprise.id)})
    level_label = "事故等级" if language == "zh" else "Accident level"

    def level() -> str:
        return next(str(m.value) for m in at.metric if m.label == level_label)

    assert level() == general
    at.number_input(key="accident.serious_injuries").set_value(9).run()
    assert level() == general
    at.number_input(key="accident.serious_injuries").set_value(10).run()
    assert not at.exception
    assert level() == larger
    assert unchanged(before, written(demo_app_url))


def test_an_inspection_with_hazards_cannot_be_deleted_and_the_page_says_why(demo_app_url: str) -> None:
    engine = make_engine(demo_app_url)
    try:
        with Session(engine) as session:
            inspection = session.execute(
                select(Inspection).join(Hazard, col(Hazard.inspection_id) == col(Inspection.id)).limit(1)
            ).scalars().first()
            assert inspection is not None
            inspection_id, enterprise_id = inspection.id, inspection.enterprise_id
    finally:
        engine.dispose()
    before = written(demo_app_url)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise_id)})
    at.selectbox(key="inspection._pick").set_value(inspection_id)
    at.button(key="inspection._delete").click().run()
    assert "cannot be undone" in texts(at)
    at.button(key="inspection._confirm_yes").click().run()
    assert not at.exception
    assert any("This record cannot be deleted" in str(e.value) and "hazard record(s) refer to it" in str(e.value)
               for e in at.error)
    assert unchanged(before, written(demo_app_url))


@pytest.mark.parametrize("username", ["committee", "finance"])
def test_committee_and_finance_cannot_reach_the_records_page(demo_app_url: str, username: str) -> None:
    """The page is not registered in their navigation, so there is nothing to switch to."""
    with pytest.raises(ValueError, match=r"Could not find a navigation page for .*records\.py"):
        open_app(username, page="records")


def test_the_page_reads_in_chinese_with_no_enterprise_picked(demo_app_url: str) -> None:
    at = open_app("staff", page="records", language="zh")
    assert not at.exception
    assert at.title[0].value == "数据维护"
    assert [tab.label for tab in at.tabs][:10] == [
        "隐患整改台账", "企业信息", "安全标志", "检查记录", "隐患", "事故", "培训", "执法", "失信名单", "批量导入导出"]
    assert texts(at).count("请先在上方选择企业。") == 7
    assert at.text_input(key="ent.uscc").value == ""  # the enterprise tab offers a new enterprise


def test_a_hazard_of_an_inspection_is_refused_in_its_own_box_and_nothing_is_written(
    demo_app_url: str, today: date
) -> None:
    """The second hazard is major and lacks its contingency plan; the first has no category: each problem is
    shown under the field of its own hazard box, and neither the inspection nor the good hazard is saved."""
    enterprise = an_enterprise(demo_app_url)
    before = written(demo_app_url)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise.id)})
    at.text_input(key="inspection.inspector").set_value("Wang Qiang")
    at.text_area(key="inspection.hazards[1].description").set_value("Fire exit blocked")
    at.text_input(key="inspection.hazards[1].responsible_person").set_value("Li Na")
    at.date_input(key="inspection.hazards[1].deadline").set_value(today)
    button(at, "Add another hazard").click().run()
    prefix = "inspection.hazards[2]."
    at.selectbox(key=prefix + "category").set_value("hazardous_chemicals")
    at.selectbox(key=prefix + "severity").set_value("major")
    at.text_area(key=prefix + "description").set_value("Gas detector in the tank farm broken")
    at.text_input(key=prefix + "responsible_person").set_value("Zhou Min")
    at.text_area(key=prefix + "measures").set_value("Replace the detector")
    at.number_input(key=prefix + "funds_yuan").set_value(20000.0)
    at.date_input(key=prefix + "deadline").set_value(today)
    button(at, "Save inspection and hazards").click().run()
    assert not at.exception
    assert error_after(at, "inspection.hazards[1].category") == "Category is required."
    assert error_after(at, prefix + "contingency_plan") == (
        "A major hazard needs all five in place (responsibility, measures, funds, deadline, contingency plan): "
        "contingency plan is missing.")
    assert error_after(at, prefix + "category") == ""
    assert "Nothing was saved: correct the 2 field(s) marked above." in " ".join(str(e.value) for e in at.error)
    assert at.text_area(key=prefix + "description").value == "Gas detector in the tank farm broken"
    assert unchanged(before, written(demo_app_url))


def test_staff_corrects_a_hazard_checks_a_sign_today_and_closes_the_enterprise(fresh_park: str, today: date) -> None:
    engine = make_engine(fresh_park)
    try:
        with Session(engine) as session:
            hazard = session.execute(select(Hazard).where(col(Hazard.status) == "verified").limit(1)).scalar_one()
            sign = session.execute(select(SafetySign).where(col(SafetySign.enterprise_id) == hazard.enterprise_id)
                                   .limit(1)).scalar_one()
            for row in (hazard, sign):
                session.expunge(row)
    finally:
        engine.dispose()
    at = open_app("staff", page="records", language="zh", query={"enterprise": str(hazard.enterprise_id)})
    # a hazard loaded into the form, its description corrected; its place in the loop stays as it was
    at.selectbox(key="hz._pick").set_value(hazard.id)
    at.button(key="hz._edit").click().run()
    assert at.text_area(key="hz.description").value == hazard.description
    assert f"编辑隐患 {hazard.id} 号" in texts(at)
    at.text_area(key="hz.description").set_value(hazard.description + "(已复核)")
    at.button(key="hz._submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert f"已保存隐患 {hazard.id} 号的修改。" in texts(at)
    # a sign checked today, found damaged, under the staff member's name
    at.segmented_control(key=f"check.{sign.id}.condition").set_value("damaged")
    at.button(key=f"check.{sign.id}.go").click().run()
    assert not at.exception
    assert f"{sign.id} 号标志今日已检查:损坏。" in texts(at)
    # the enterprise closed, after a confirmation
    at.button(key="ent._close").click().run()
    assert "确定关闭" in texts(at)
    at.button(key="ent._close_yes").click().run()
    assert not at.exception
    assert "该企业已关闭" in texts(at)
    engine = make_engine(fresh_park)
    try:
        with Session(engine) as session:
            corrected = session.get(Hazard, hazard.id)
            checked = session.get(SafetySign, sign.id)
            check = session.execute(select(SignCheck).where(col(SignCheck.safety_sign_id) == sign.id)
                                    .order_by(col(SignCheck.id).desc()).limit(1)).scalar_one()
            closed = session.get(Enterprise, hazard.enterprise_id)
            assert corrected is not None and checked is not None and closed is not None
            assert corrected.description == hazard.description + "(已复核)"
            assert (corrected.status, corrected.verified_on, corrected.version) == (
                hazard.status, hazard.verified_on, hazard.version + 1)
            assert (check.checked_on, check.condition, check.checked_by) == (
                today, "damaged", display_name(fresh_park, "staff"))
            assert (checked.last_checked_on, checked.condition) == (today, "damaged")
            assert closed.status == "closed"
    finally:
        engine.dispose()


def test_an_accident_saved_from_the_page_keeps_the_level_it_showed(fresh_park: str) -> None:
    enterprise = an_enterprise(fresh_park)
    before = written(fresh_park)
    at = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise.id)})
    at.number_input(key="accident.serious_injuries").set_value(12).run()
    at.text_area(key="accident.description").set_value("Boiler explosion in workshop 3")
    at.checkbox(key="accident.cause_identified").check()
    at.button(key="accident._save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = written(fresh_park)
    assert after["rows"]["accident"] == before["rows"]["accident"] + 1
    listed = next(d.value for d in at.dataframe if "level" in d.value.columns)
    assert (listed.iloc[0]["level"], int(listed.iloc[0]["serious_injuries"])) == ("Larger", 12)
    assert bool(listed.iloc[0]["cause_identified"]) and not bool(listed.iloc[0]["people_educated"])
    assert at.text_area(key="accident.description").value == ""  # the form is ready for the next one
