"""The loan desk page on the demo park, on each database: counts by status equal the enterprise table's,
the path to eligibility of the enterprise in the address, the exports of the current view, an override
form for finance and admin only that refuses a missing reason and a late expiry and writes nothing, and
a save that changes the effective status (on its own database)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.rules.loan_eligibility import STATUSES
from dashboard.services.enterprise_table import enterprise_table
from dashboard.services.loan_desk import rule_codes
from dashboard.settings import get_settings
from tests.apptest import download, open_app, texts
from tests.records import data_revision, row_counts

STATUS_NAMES = {
    "zh": {"ineligible": "不予支持", "conditional": "有条件支持", "eligible": "支持"},
    "en": {"ineligible": "Not supported", "conditional": "Conditional", "eligible": "Eligible"},
}


def park_table(today: date) -> pd.DataFrame:
    engine = make_engine(get_settings().effective_database_url)
    try:
        with Session(engine) as session:
            return enterprise_table(session, today, get_settings().rules)
    finally:
        engine.dispose()


def written(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        return {"rows": row_counts(engine, "loan_override"), "revision": data_revision(engine)}
    finally:
        engine.dispose()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def has_override_form(at: AppTest) -> bool:
    return any(button.label in ("保存人工认定", "Save override") for button in at.button)


def worst_enterprise(table: pd.DataFrame) -> int:
    """An enterprise the rules do not support, with the most rules holding."""
    ineligible = table[table["loan_status"] == "ineligible"]
    return int(ineligible.loc[ineligible["loan_rules"].map(lambda v: len(rule_codes(v))).idxmax(), "enterprise_id"])


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_counts_by_status_equal_the_enterprise_tables(demo_app_url: str, language: str, today: date) -> None:
    at = open_app("finance", page="loans", language=language)
    assert not at.exception
    table = park_table(today)
    shown = metrics(at)
    for status in STATUSES:
        expected = int((table["effective_status"] == status).sum())
        assert shown[STATUS_NAMES[language][status]] == f"{expected:,}"
    assert shown["生效中的人工认定" if language == "zh" else "Overrides in force"] == \
        str(int(table["override_id"].notna().sum()))
    listed = at.dataframe[0].value
    assert len(listed) == len(table)
    names = table["name"] if language == "zh" else table["name_en"].where(table["name_en"].fillna("") != "",
                                                                         table["name"])
    assert sorted(listed["name"]) == sorted(names)
    assert at.title[0].value == ("信贷资格" if language == "zh" else "Loan desk")


def test_the_status_filter_narrows_the_table(demo_app_url: str, today: date) -> None:
    at = open_app("finance", page="loans")
    at.multiselect(key="loans_status_filter").set_value(["ineligible"]).run()
    assert not at.exception
    listed = at.dataframe[0].value
    assert len(listed) == int((park_table(today)["effective_status"] == "ineligible").sum())
    assert set(listed.iloc[:, listed.columns.get_loc("effective_status")].str.replace(" ✎", "")) == {"不予支持"}


def test_the_enterprise_in_the_address_shows_its_path_to_eligibility(demo_app_url: str, today: date) -> None:
    table = park_table(today)
    chosen = worst_enterprise(table)
    row = table.set_index("enterprise_id").loc[chosen]
    at = open_app("committee", page="loans", language="en", query={"enterprise": str(chosen)})
    assert not at.exception
    assert at.selectbox(key="loans_enterprise").value == chosen
    page = texts(at)
    for code in rule_codes(row["loan_rules"]):
        assert f"**{code} · " in page
    assert "**What would clear it:**" in page
    assert metrics(at)["Computed status"] == "Not supported"


def test_committee_sees_the_statuses_but_gets_no_override_form(demo_app_url: str) -> None:
    at = open_app("committee", page="loans")
    assert not at.exception
    assert "规则认定状态" in metrics(at) and "有效状态" in metrics(at)
    assert not has_override_form(at)
    assert not at.get("form")
    assert "只有财务联络员和系统管理员可以进行人工认定。" in texts(at)


@pytest.mark.parametrize("username", ["finance", "admin"])
def test_finance_and_admin_get_the_override_form(demo_app_url: str, username: str, today: date) -> None:
    at = open_app(username, page="loans")
    assert not at.exception
    assert has_override_form(at)
    assert at.date_input(key="loans_form_expires").value == today + timedelta(days=90)


def test_staff_cannot_reach_the_loan_desk(demo_app_url: str) -> None:
    """The page is not registered in a staff member's navigation, so there is nothing to switch to."""
    with pytest.raises(ValueError, match=r"Could not find a navigation page for .*loans\.py"):
        open_app("staff", page="loans")


def test_the_form_refuses_a_missing_reason_and_writes_nothing(demo_app_url: str) -> None:
    before = written(demo_app_url)
    at = open_app("finance", page="loans")
    at.text_area(key="loans_form_reason").set_value("   ")
    at.button[[b.label for b in at.button].index("保存人工认定")].click().run()
    assert not at.exception
    errors = " ".join(str(e.value) for e in at.error)
    assert "人工认定未保存" in errors
    assert "理由为必填项。" in errors
    assert not at.success
    assert written(demo_app_url) == before


def test_the_form_refuses_an_expiry_past_180_days_naming_the_field_and_writes_nothing(
    demo_app_url: str, today: date
) -> None:
    before = written(demo_app_url)
    at = open_app("finance", page="loans", language="en")
    at.text_area(key="loans_form_reason").set_value("Board put up on the bank visit")
    at.date_input(key="loans_form_expires").set_value(today + timedelta(days=181))
    at.button[[b.label for b in at.button].index("Save override")].click().run()
    assert not at.exception
    errors = " ".join(str(e.value) for e in at.error)
    assert (f"Expiry date ({(today + timedelta(days=181)).isoformat()}) can be at most 180 days after decision "
            f"date ({today.isoformat()}).") in errors
    assert written(demo_app_url) == before


def test_the_exports_hold_the_current_view(demo_app_url: str, today: date) -> None:
    at = open_app("finance", page="loans")
    at.multiselect(key="loans_status_filter").set_value(["ineligible", "conditional"]).run()
    assert not at.exception
    table = park_table(today)
    view = table[table["effective_status"].isin(["ineligible", "conditional"])]
    day = today.isoformat()

    name, content = download(at, "loans_csv")
    assert name == f"loan-desk-{day}.csv"
    assert content.startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype={"统一社会信用代码": str})
    assert list(csv.columns) == ["企业编号", "统一社会信用代码", "企业", "行业", "评分", "等级", "规则认定", "有效状态",
                                 "人工认定生效", "规则", "原因", "恢复支持的途径"]
    assert len(csv) == len(view)
    assert set(csv["企业编号"]) == set(view["enterprise_id"])
    assert set(csv["有效状态"]) <= {"不予支持", "有条件支持"}

    name, content = download(at, "loans_xlsx")
    assert name == f"loan-desk-{day}.xlsx"
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert day in str(sheet["A1"].value)
    assert [cell.value for cell in sheet[2]][:3] == ["企业编号", "统一社会信用代码", "企业"]
    assert sheet.max_row == 2 + len(view)
    scores = {int(r[0]): r[4] for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert all(isinstance(score, int | float) for score in scores.values())  # numbers, not text
    assert scores == {int(i): float(s) for i, s in zip(view["enterprise_id"], view["score"], strict=True)}


def test_a_saved_override_changes_the_effective_status_and_keeps_the_computed_one(fresh_park: str, today: date) -> None:
    table = park_table(today)
    chosen = worst_enterprise(table)
    before = written(fresh_park)
    counts = {s: int((table["effective_status"] == s).sum()) for s in STATUSES}
    at = open_app("finance", page="loans", language="en", query={"enterprise": str(chosen)})
    at.radio(key="loans_form_decision").set_value("eligible")
    at.text_area(key="loans_form_reason").set_value("Licence renewal filed; the bank visited the site")
    at.date_input(key="loans_form_expires").set_value(today + timedelta(days=30))
    at.button[[b.label for b in at.button].index("Save override")].click().run()
    assert not at.exception
    assert not at.error
    assert any("Override saved for" in str(s.value) for s in at.success)
    after = written(fresh_park)
    assert after["rows"]["loan_override"] == before["rows"]["loan_override"] + 1
    assert after["revision"] > before["revision"]
    shown = metrics(at)
    assert shown["Computed status"] == "Not supported"
    assert shown["Effective status"] == "Eligible"
    assert shown["Not supported"] == f"{counts['ineligible'] - 1:,}"
    assert shown["Eligible"] == f"{counts['eligible'] + 1:,}"
    listed = at.dataframe[0].value
    assert "Eligible ✎" in set(listed["effective_status"])
    assert "Licence renewal filed" in texts(at)
