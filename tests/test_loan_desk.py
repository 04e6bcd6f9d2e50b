"""The loan desk's data on the demo park, on each database: counts by status, filters, reasons in both
languages, one enterprise's path to eligibility and history, the park's history by month-end, the
overrides recorded, and the CSV and Excel exports."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session

from dashboard.rules.loan_eligibility import LOAN_CODES, STATUSES
from dashboard.services.enterprise_table import enterprise_table
from dashboard.services.evaluation import evaluate_all, month_ends, park_history
from dashboard.services.loan_desk import (
    codes_in,
    enterprise_loan,
    export_csv,
    export_filename,
    export_xlsx,
    filter_desk,
    loan_rules_at,
    override_history,
    park_status_history,
    rule_codes,
    rule_texts,
    status_counts,
    status_history,
)
from dashboard.services.loan_overrides import create_override
from dashboard.services.permissions import Actor
from dashboard.settings import RuleSettings, get_settings
from models import Enterprise, Role
from seed import seed_demo_park

AS_OF = date(2026, 5, 20)
FINANCE = Actor("zhao.finance", Role.finance)


@pytest.fixture(scope="module")
def demo_park(module_engine: Engine) -> Engine:
    """A demo park of 60 enterprises as of AS_OF, which this module's tests only read."""
    seed_demo_park(module_engine, enterprises=60, as_of=AS_OF)
    return module_engine


@pytest.fixture(scope="module")
def rules() -> RuleSettings:
    return get_settings().rules


@pytest.fixture
def desk(demo_park: Engine, rules: RuleSettings) -> pd.DataFrame:
    """The loan desk's table of the demo park at AS_OF."""
    with Session(demo_park) as session:
        return enterprise_table(session, AS_OF, rules)


def test_counts_by_status_are_the_evaluations(demo_park: Engine, rules: RuleSettings, desk: pd.DataFrame) -> None:
    with Session(demo_park) as session:
        results = evaluate_all(session, AS_OF, rules)
    assert status_counts(desk) == {s: Counter(r.effective_status for r in results)[s] for s in STATUSES}
    assert status_counts(desk, "loan_status") == {s: Counter(r.status for r in results)[s] for s in STATUSES}
    assert sum(status_counts(desk).values()) == len(results) == 60
    assert status_counts(desk.iloc[0:0]) == dict.fromkeys(STATUSES, 0)


def test_filters_keep_the_rows_of_the_chosen_statuses_and_rules(desk: pd.DataFrame) -> None:
    codes = codes_in(desk)
    assert codes == [code for code in LOAN_CODES if desk["loan_rules"].str.contains(code).any()]
    assert len(codes) >= 3
    assert len(filter_desk(desk)) == len(desk)
    ineligible = filter_desk(desk, ["ineligible"])
    assert set(ineligible["effective_status"]) == {"ineligible"}
    assert len(ineligible) == status_counts(desk)["ineligible"]
    first, second = codes[0], codes[1]
    either = filter_desk(desk, codes=[first, second])
    assert len(either) == sum(1 for value in desk["loan_rules"] if {first, second} & set(rule_codes(value)))
    both = filter_desk(desk, ["conditional", "ineligible"], [first])
    assert all(first in rule_codes(v) for v in both["loan_rules"])
    assert set(both["effective_status"]) <= {"conditional", "ineligible"}
    assert rule_codes("L1,C2") == ["L1", "C2"]
    assert rule_codes("") == rule_codes(None) == []


def test_reasons_follow_the_rule_codes_in_both_languages(
    demo_park: Engine, rules: RuleSettings, desk: pd.DataFrame
) -> None:
    with Session(demo_park) as session:
        held = loan_rules_at(session, AS_OF, rules)
    english = rule_texts(held, "en").set_index("enterprise_id")
    chinese = rule_texts(held, "zh").set_index("enterprise_id")
    for row in desk.itertuples():
        codes = rule_codes(row.loan_rules)
        reasons = english.at[row.enterprise_id, "reasons"]
        assert [part.split(":")[0] for part in reasons.split(" | ") if part] == codes
        if codes:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.at[row.enterprise_id, "remedies"])
        else:
            assert reasons == ""


def test_the_path_to_eligibility_lists_every_rule_with_its_records(
    demo_park: Engine, rules: RuleSettings, desk: pd.DataFrame
) -> None:
    worst = desk[desk["loan_status"] == "ineligible"].iloc[0]
    with Session(demo_park) as session:
        loan = enterprise_loan(session, int(worst["enterprise_id"]), AS_OF, rules, "en")
    assert loan.name == worst["name"]
    assert (loan.status, loan.effective_status) == (worst["loan_status"], worst["effective_status"])
    assert [step.code for step in loan.path] == rule_codes(worst["loan_rules"])
    assert loan.path[0].makes_ineligible
    assert all(step.reason and step.remedy for step in loan.path)
    clear = desk[desk["loan_rules"] == ""].iloc[0]
    with Session(demo_park) as session:
        assert enterprise_loan(session, int(clear["enterprise_id"]), AS_OF, rules, "zh").path == ()


def test_one_enterprises_history_has_twelve_month_ends_ending_with_the_last(
    demo_park: Engine, rules: RuleSettings, desk: pd.DataFrame
) -> None:
    enterprise_id = int(desk["enterprise_id"].iloc[0])
    with Session(demo_park) as session:
        history = status_history(session, enterprise_id, AS_OF, rules)
    assert list(history["on"]) == month_ends(AS_OF, 12)
    assert history["on"].iloc[-1] == date(2026, 4, 30)
    assert set(history["status"]) <= set(STATUSES)
    assert set(history["effective_status"]) <= set(STATUSES)


def test_the_park_history_counts_every_enterprise_and_names_who_changed(demo_park: Engine, rules: RuleSettings) -> None:
    with Session(demo_park) as session:
        found = park_status_history(session, AS_OF, rules)
        months = park_history(session, AS_OF, rules)
    assert len(found.counts) == 12 * len(STATUSES)
    per_month = found.counts.groupby("on")["enterprises"].sum()
    assert list(per_month) == [60] * 12
    last = found.counts[found.counts["on"] == months[-1].on].set_index("status")["enterprises"].to_dict()
    assert last == months[-1].effective_statuses
    assert (found.before_on, found.after_on) == (months[-2].on, months[-1].on)
    expected = {i for i, s in months[-1].effective_status.items() if months[-2].effective_status[i] != s}
    assert set(found.changes["enterprise_id"]) == expected
    for change in found.changes.itertuples():
        assert change.before == months[-2].effective_status[change.enterprise_id]
        assert change.after == months[-1].effective_status[change.enterprise_id]
        assert change.name


def test_override_history_lists_every_override_latest_first(session: Session, enterprise: Enterprise) -> None:
    today = date(2026, 5, 1)
    for days_ago, decision in ((200, "eligible"), (10, "ineligible")):
        create_override(session=session, actor=FINANCE, today=today - timedelta(days=days_ago), data={
            "enterprise_id": enterprise.id, "decision": decision, "reason": f"review {days_ago}",
            "expires_on": today - timedelta(days=days_ago) + timedelta(days=60),
        })
    session.commit()
    recorded = override_history(session, enterprise.id or 0)
    assert list(recorded["decision"]) == ["ineligible", "eligible"]
    assert list(recorded["reason"]) == ["review 10", "review 200"]
    assert recorded["decided_by"].unique().tolist() == [FINANCE.username]
    assert override_history(session, 9999).empty


SAMPLE = pd.DataFrame({
    "企业": ["青山化工有限公司", "Linjiang Fine Chemicals Co., Ltd."],
    "评分": [57.0, 88.5],
    "企业编号": [3, 12],
    "规则": ["L1, C2", ""],
    "决定日期": [date(2026, 5, 1), None],
})


def test_the_csv_export_is_utf8_with_a_byte_order_mark_and_the_given_headers() -> None:
    data = export_csv(SAMPLE)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(SAMPLE.columns)
    assert back["企业"].tolist() == SAMPLE["企业"].tolist()
    assert back["评分"].tolist() == [57.0, 88.5]
    assert export_filename(date(2026, 5, 31), "csv") == "loan-desk-2026-05-31.csv"


def test_the_excel_export_has_a_title_a_frozen_bold_header_numbers_as_numbers_and_fitting_widths() -> None:
    book = load_workbook(io.BytesIO(export_xlsx(SAMPLE, title="信贷资格 2026-05-31", sheet_name="信贷资格 2026-05-31")))
    sheet = book.active
    assert sheet is not None
    assert sheet.title == "信贷资格 2026-05-31"
    assert sheet["A1"].value == "信贷资格 2026-05-31"
    assert [cell.value for cell in sheet[2]] == list(SAMPLE.columns)
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.max_row == 2 + len(SAMPLE)
    assert [cell.value for cell in sheet[3]][:3] == ["青山化工有限公司", 57.0, 3]
    assert isinstance(sheet["B4"].value, float) and isinstance(sheet["C4"].value, int)
    assert sheet["E3"].value.date() == date(2026, 5, 1)
    assert sheet["E4"].value is None
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    assert widths["A"] >= len("Linjiang Fine Chemicals Co., Ltd.")
    assert widths["A"] > widths["B"]
    assert all(8 <= width <= 80 for width in widths.values())


def test_a_sheet_name_excel_refuses_is_cleaned() -> None:
    book = load_workbook(io.BytesIO(export_xlsx(SAMPLE.iloc[0:0], title="t", sheet_name="Loan desk: 2026/05/31 [all]")))
    assert book.sheetnames == ["Loan desk- 2026-05-31 -all-"]


def test_text_in_the_excel_export_is_never_a_formula_nor_refused() -> None:
    typed = SAMPLE.assign(企业=['=HYPERLINK("http://example.com","点我")', "临江\x01化工"])
    sheet = load_workbook(io.BytesIO(export_xlsx(typed, title="t", sheet_name="s"))).active
    assert sheet is not None
    assert (sheet["A3"].value, sheet["A3"].data_type) == ('=HYPERLINK("http://example.com","点我")', "s")
    assert sheet["A4"].value == "临江化工"  # a control character a workbook cannot hold is left out
