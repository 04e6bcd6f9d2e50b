"""The sentences behind deductions and loan rules: both languages complete, every code covered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given

from dashboard.rules import explanations
from dashboard.rules.explanations import (
    CAPPED,
    DEDUCTION_REASONS,
    LANGUAGES,
    LOAN_REASONS,
    LOAN_REMEDIES,
    NOTE_LABELS,
    SIGN_CHECKED,
    enum_name,
    template_fields,
    text_keys,
)
from dashboard.rules.facts import EnterpriseFacts, RecordRef
from dashboard.rules.loan_eligibility import LOAN_CODES, loan_eligibility
from dashboard.rules.scorecard import COMPONENTS, Deduction, scorecard
from models.enums import Industry, StandardizationGrade
from tests.rules_facts import AS_OF, RULES, exemplary_facts
from tests.rules_strategies import enterprise_facts

CATALOGS = {
    "DEDUCTION_REASONS": DEDUCTION_REASONS,
    "LOAN_REASONS": LOAN_REASONS,
    "LOAN_REMEDIES": LOAN_REMEDIES,
    "NOTE_LABELS": NOTE_LABELS,
    "SIGN_CHECKED": SIGN_CHECKED,
    "CAPPED": {"capped": CAPPED},
}
ENGLISH_PLURALS = {"s", "rs"}


@pytest.mark.parametrize("catalog", list(CATALOGS))
def test_every_entry_has_both_languages(catalog: str) -> None:
    for key, texts in CATALOGS[catalog].items():
        assert set(texts) == set(LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key


@pytest.mark.parametrize("catalog", ["DEDUCTION_REASONS", "LOAN_REASONS", "LOAN_REMEDIES", "CAPPED"])
def test_both_languages_use_the_same_figures(catalog: str) -> None:
    for key, texts in CATALOGS[catalog].items():
        english = template_fields(texts["en"]) - ENGLISH_PLURALS
        assert template_fields(texts["zh"]) == english, key


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_sentence_names_each_component_industry_and_grade_by_its_one_name_in_the_catalogs(language: str) -> None:
    from dashboard.i18n import CATALOGS

    for kind, values in (("component", COMPONENTS), ("industry", Industry), ("standardization_grade",
                                                                             StandardizationGrade)):
        for value in values:
            catalog = CATALOGS[language][f"enum.{kind}.{getattr(value, 'value', value)}"]
            assert enum_name(kind, value, language).casefold() == catalog.casefold()


def test_every_records_remedy_has_a_plain_one() -> None:
    for key in LOAN_REMEDIES:
        if key.endswith("@records"):
            assert key.removesuffix("@records") in LOAN_REMEDIES
            assert "records" in template_fields(LOAN_REMEDIES[key]["en"])
    assert set(LOAN_REASONS) == {key for key in LOAN_REMEDIES if not key.endswith("@records")}


# facts that between them produce every deduction and every loan rule, in every variant and part
COVERING: list[dict[str, Any]] = [
    {
        "general_open_not_overdue": 1, "general_overdue": 1, "major_unverified_not_overdue": 1,
        "major_unverified_overdue": 1, "general_accidents": 1, "general_accidents_incomplete": 1,
        "industry": Industry.hazardous_chemicals, "safety_org": False, "safety_staff_fulltime": 0,
        "standardization_grade": StandardizationGrade.level2, "license_expires_on": None,
        "principal_certified": False, "safety_managers_certified": False, "special_operators": 2,
        "special_operators_certified": 1, "all_staff_trained": False, "signage_compliant": False,
        "rectification_orders": 1, "self_inspected": False, "overdue_within_limit": 1, "overdue_past_limit": 1,
        "loan_fatal_accidents": 1, "loan_larger_accidents": 1, "loan_incomplete_accidents": 1,
        "suspension_in_force": 1, "closures": 1, "loan_prosecutions": 1, "dishonesty_listed": 1,
        "loan_fines_or_orders": 1,
    },
    {"larger_accidents": 1, "industry": Industry.construction, "license_expires_on": AS_OF - timedelta(days=1),
     "severe_enforcement": 1},
    {"safety_staff_fulltime": 0, "general_open_not_overdue": 30},
    {"industry": Industry.fireworks, "license_expires_on": AS_OF + timedelta(days=5)},
]


def deduction_key(deduction: Deduction) -> str:
    variant = deduction.params.get("variant")
    return f"{deduction.code}.{variant}" if variant else deduction.code


def produced_keys(facts: EnterpriseFacts) -> tuple[set[str], set[str]]:
    card = scorecard(facts, RULES, AS_OF)
    assessment = loan_eligibility(facts, card, RULES, AS_OF)
    loan_keys = {key for rule in assessment.rules for key in text_keys(rule.code, rule.params)}
    return {deduction_key(d) for d in card.deductions}, loan_keys


def test_every_template_is_used_and_every_code_produced_has_one() -> None:
    deduction_keys: set[str] = set()
    loan_keys: set[str] = set()
    for changes in COVERING:
        deductions, loans = produced_keys(exemplary_facts(**changes))
        deduction_keys |= deductions
        loan_keys |= loans
    assert deduction_keys == set(DEDUCTION_REASONS)
    assert loan_keys == set(LOAN_REASONS)
    assert {key.split(".")[0] for key in loan_keys} == set(LOAN_CODES)


def assert_plain_sentence(text: str, language: str) -> None:
    assert text.strip()
    assert "{" not in text and "}" not in text, text
    assert "None" not in text, text
    if language == "zh":
        assert any("\u4e00" <= char <= "\u9fff" for char in text), text


@given(enterprise_facts())
def test_every_sentence_renders_in_both_languages(facts: EnterpriseFacts) -> None:
    card = scorecard(facts, RULES, AS_OF)
    assessment = loan_eligibility(facts, card, RULES, AS_OF)
    deduction_keys, loan_keys = produced_keys(facts)
    assert deduction_keys <= set(DEDUCTION_REASONS)
    assert loan_keys <= set(LOAN_REASONS)
    for language in LANGUAGES:
        for deduction in card.deductions:
            assert_plain_sentence(deduction.reason(language), language)
        for rule in assessment.rules:
            assert_plain_sentence(rule.reason(language), language)
            assert_plain_sentence(rule.remedy(language), language)


def test_an_unknown_language_reads_as_english() -> None:
    (deduction,) = scorecard(exemplary_facts(self_inspected=False), RULES, AS_OF).deductions
    assert deduction.reason("fr") == deduction.reason("en") == (
        "No enterprise self-inspection (企业全面自查) recorded in the last 90 days: 2 points."
    )
    assert explanations.DEFAULT_LANGUAGE == "en"


def test_record_notes_read_as_what_they_mean() -> None:
    boards = (RecordRef("safety_sign", 3, "damaged 2026-01-02"), RecordRef("safety_sign", 4, "unchecked"),
              RecordRef("safety_sign", 5, "good 2025-08-30"))
    facts = exemplary_facts(signage_compliant=False, refs={"signage_compliant": boards})
    (rule,) = loan_eligibility(facts, scorecard(facts, RULES, AS_OF), RULES, AS_OF).rules
    assert rule.remedy() == (
        "Repair or replace publicity boards #3 (damaged, checked 2026-01-02), #4 (never checked), "
        "#5 (good, last checked 2025-08-30), or put up a new one, and record a check that finds a board in "
        "good condition."
    )
    assert rule.remedy("zh") == (
        "修复或更换宣传牌 #3(损坏,检查于 2026-01-02)、#4(未检查)、#5(完好,最近检查于 2025-08-30),"
        "或新设一块,并登记一次状况良好的检查。"
    )
    accident = RecordRef("accident", 8, "2025-06-30")
    facts = exemplary_facts(loan_fatal_accidents=1, refs={"loan_fatal_accidents": (accident,)})
    (rule,) = loan_eligibility(facts, scorecard(facts, RULES, AS_OF), RULES, AS_OF).rules
    assert rule.remedy() == "This clears with time, 365 days after accident #8 (occurred 2025-06-30)."
    assert rule.remedy("zh") == "随时间解除:事故 #8(发生于 2025-06-30) 满 365 天后即可。"


def test_the_licence_record_comes_from_the_detail_when_given() -> None:
    licence = RecordRef("enterprise", 7, "2026-01-31")
    facts = exemplary_facts(industry=Industry.fireworks, license_expires_on=None)
    (bare,) = loan_eligibility(facts, scorecard(facts, RULES, AS_OF), RULES, AS_OF).rules
    assert bare.records == (RecordRef("enterprise", 7),)
    detailed = exemplary_facts(industry=Industry.fireworks, license_expires_on=None, refs={"license": (licence,)})
    card = scorecard(detailed, RULES, AS_OF)
    (rule,) = loan_eligibility(detailed, card, RULES, AS_OF).rules
    assert rule.records == (licence,)
    assert [d.records for d in card.deductions] == [(licence,)]
