"""The facts at an as-of date, boundary by boundary, through both implementations and on both backends:
the grouped SQL of the all-enterprise pass, the one-enterprise detail from its records, and the
all-enterprise detail the exports use.

Every case is one enterprise with a few records; all cases share one database per backend.
A case names the facts it expects; every other count must be 0 and every flag false.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, select

from dashboard.rules.facts import EnterpriseFacts
from dashboard.rules.windows import anniversary, listing_cutoff
from dashboard.services.facts import (
    COUNTED_FACTS,
    UnknownEnterprise,
    all_enterprise_facts,
    all_enterprise_facts_detail,
    enterprise_facts_detail,
)
from dashboard.settings import RuleSettings
from models import (
    Accident,
    DishonestyListing,
    Enforcement,
    Enterprise,
    Hazard,
    Inspection,
    LoanOverride,
    SafetySign,
    SignCheck,
    Training,
)
from tests.records import with_check_character

D = date(2026, 6, 30)
RULES = RuleSettings()


def ago(days: int, as_of: date = D) -> date:
    return as_of - timedelta(days=days)


def later(days: int, as_of: date = D) -> date:
    return as_of + timedelta(days=days)


# --- record builders (rows as plain SQL would write them; the status column agrees with today, not D) ---


@dataclass(frozen=True)
class Row:
    """A row of a table, without its enterprise."""

    model: type[SQLModel]
    values: dict[str, Any]


def hazard(found_on: date, deadline: date, *, major: bool = False, rectified_on: date | None = None,
           verified_on: date | None = None) -> Row:
    status = "verified" if verified_on else "rectified" if rectified_on else "open"
    return Row(Hazard, dict(
        found_on=found_on, deadline=deadline, category="fire", severity="major" if major else "general",
        description="Blocked fire exit", responsible_person="王强", status=status, rectified_on=rectified_on,
        verified_on=verified_on, verified_by="李娜" if verified_on else None, listed_supervision=major,
        measures="Clear it" if major else None, funds_yuan=1000.0 if major else None,
        contingency_plan="Plan 3" if major else None,
    ))


def accident(occurred_on: date, *, deaths: int = 0, injuries: int = 0, loss: float = 0.0,
             handled: bool | None = True) -> Row:
    flags: dict[str, bool | None] = {
        "cause_identified": True, "responsibles_handled": True, "measures_taken": True, "people_educated": handled,
    }
    return Row(Accident, dict(occurred_on=occurred_on, deaths=deaths, serious_injuries=injuries,
                              direct_loss_yuan=loss, description="Hand injured at a press", **flags))


@dataclass
class Sign:
    """A sign with its check rows, written together."""

    installed_on: date
    last_checked_on: date | None = None
    condition: str = "good"
    kind: str = "publicity_board"
    checks: list[tuple[date, str]] = field(default_factory=list)


def enforcement(decided_on: date, action: str, lifted_on: date | None = None) -> Row:
    return Row(Enforcement, dict(decided_on=decided_on, action=action, lifted_on=lifted_on,
                                 fine_yuan=10000.0 if action == "fine" else None, note=""))


def listing(listed_on: date, removed_on: date | None = None) -> Row:
    return Row(DishonestyListing, dict(listed_on=listed_on, removed_on=removed_on, reason="Falsified records"))


def override(decided_on: date, expires_on: date, decision: str = "eligible", reason: str = "bank visit") -> Row:
    return Row(LoanOverride, dict(decision=decision, reason=reason, decided_by="finance", decided_on=decided_on,
                                  expires_on=expires_on))


def inspection(inspected_on: date, tier: str = "self") -> Row:
    return Row(Inspection, dict(inspected_on=inspected_on, tier=tier, inspector="张"))


def training(held_on: date, audience: str = "all_staff") -> Row:
    return Row(Training, dict(held_on=held_on, audience=audience, attendees=30, hours=2.0))


Record = Row | Sign


@dataclass
class Case:
    name: str
    records: list[Record]
    expected: dict[str, Any] = field(default_factory=dict)
    as_of: date = D
    notes: dict[str, list[str]] = field(default_factory=dict)  # refs notes expected from the detail
    override_reason: str | None = None


BOARD = ago(400)
GOOD_BOARD = Sign(BOARD, ago(10), checks=[(ago(10), "good")])

CASES = [
    Case("nothing", []),
    # hazards: overdue by 0, 1, 30, 31 days
    Case("hazard due today", [hazard(ago(10), D)], {"general_open_not_overdue": 1}, notes={
        "general_open_not_overdue": [D.isoformat()]}),
    Case("hazard overdue by 1", [hazard(ago(10), ago(1))], {"general_overdue": 1, "overdue_within_limit": 1},
         notes={"general_overdue": [ago(1).isoformat()], "overdue_within_limit": [ago(1).isoformat()]}),
    Case("hazard overdue by 30", [hazard(ago(40), ago(30))], {"general_overdue": 1, "overdue_within_limit": 1}),
    Case("hazard overdue by 31", [hazard(ago(40), ago(31))], {"general_overdue": 1, "overdue_past_limit": 1},
         notes={"overdue_past_limit": [ago(31).isoformat()]}),
    Case("hazard verified after D is open at D",
         [hazard(ago(60), ago(40), rectified_on=later(2), verified_on=later(5))],
         {"general_overdue": 1, "overdue_past_limit": 1}),
    Case("general hazard rectified by D, verified after", [hazard(ago(60), ago(40), rectified_on=ago(5),
                                                                  verified_on=later(3))]),
    Case("hazard rectified on D", [hazard(ago(60), ago(10), rectified_on=D)]),
    Case("hazard verified on D", [hazard(ago(60), ago(10), rectified_on=ago(1), verified_on=D)]),
    Case("hazard found after D does not exist", [hazard(later(1), later(20))]),
    Case("major hazard open in time", [hazard(ago(5), later(10), major=True)], {"major_unverified_not_overdue": 1}),
    Case("major hazard due today", [hazard(ago(5), D, major=True)], {"major_unverified_not_overdue": 1}),
    Case("major hazard overdue", [hazard(ago(50), ago(5), major=True)],
         {"major_unverified_overdue": 1, "overdue_within_limit": 1}),
    Case("major hazard overdue by 31", [hazard(ago(50), ago(31), major=True)],
         {"major_unverified_overdue": 1, "overdue_past_limit": 1}),
    Case("major hazard rectified, not verified, past deadline",
         [hazard(ago(60), ago(40), major=True, rectified_on=ago(35))], {"major_unverified_not_overdue": 1}),
    Case("major hazard verified", [hazard(ago(60), ago(40), major=True, rectified_on=ago(35), verified_on=ago(30))]),
    Case("major hazard verified after D", [hazard(ago(60), later(40), major=True, rectified_on=ago(1),
                                                  verified_on=later(1))], {"major_unverified_not_overdue": 1}),
    Case("several hazards", [hazard(ago(10), later(1)), hazard(ago(10), later(2)), hazard(ago(90), ago(45)),
                             hazard(ago(90), ago(20)), hazard(ago(90), ago(20), rectified_on=ago(3))],
         {"general_open_not_overdue": 2, "general_overdue": 2, "overdue_within_limit": 1, "overdue_past_limit": 1}),
    # accidents: the 365-day and 1095-day windows at both ends, levels from the numbers
    Case("accident 365 days ago", [accident(ago(365))], {"general_accidents": 1}),
    Case("accident 366 days ago", [accident(ago(366))]),
    Case("accident after D", [accident(later(1), handled=None)]),
    Case("accident with a null 四不放过 flag", [accident(ago(100), handled=None)],
         {"general_accidents": 1, "general_accidents_incomplete": 1, "loan_incomplete_accidents": 1}),
    Case("accident with a false 四不放过 flag", [accident(ago(100), handled=False)],
         {"general_accidents": 1, "general_accidents_incomplete": 1, "loan_incomplete_accidents": 1}),
    Case("fatal general accident", [accident(ago(10), deaths=1)],
         {"general_accidents": 1, "loan_fatal_accidents": 1}),
    Case("fatal accident 366 days ago", [accident(ago(366), deaths=2)]),
    Case("larger accident by injuries, 400 days ago", [accident(ago(400), injuries=10)], {"loan_larger_accidents": 1}),
    Case("larger accident by loss, yesterday", [accident(ago(1), loss=10_000_000)],
         {"larger_accidents": 1, "loan_larger_accidents": 1}),
    Case("loss just below larger", [accident(ago(1), loss=9_999_999.99)], {"general_accidents": 1}),
    Case("larger accident by deaths", [accident(ago(1), deaths=3)],
         {"larger_accidents": 1, "loan_larger_accidents": 1, "loan_fatal_accidents": 1}),
    Case("accidents at the 1095-day boundary", [accident(ago(1095), handled=False), accident(ago(1096), handled=False),
                                                accident(ago(1095), injuries=100), accident(ago(1096), deaths=30)],
         {"loan_incomplete_accidents": 1, "loan_larger_accidents": 1}),
    # signage (4.3)
    Case("board checked 180 days ago", [Sign(BOARD, ago(180), checks=[(ago(180), "good")])],
         {"signage_compliant": True}),
    Case("board checked 181 days ago", [Sign(BOARD, ago(181), checks=[(ago(181), "good")])],
         notes={"signage_compliant": [f"good {ago(181).isoformat()}"]}),
    Case("board damaged", [Sign(BOARD, ago(10), "damaged", checks=[(ago(10), "damaged")])],
         notes={"signage_compliant": [f"damaged {ago(10).isoformat()}"]}),
    Case("board missing", [Sign(BOARD, ago(10), "missing", checks=[(ago(10), "missing")])],
         notes={"signage_compliant": [f"missing {ago(10).isoformat()}"]}),
    Case("board not yet installed at D", [Sign(later(1), later(1))], notes={"signage_compliant": []}),
    Case("board installed on D", [Sign(D, D, checks=[(D, "good")])], {"signage_compliant": True}),
    Case("board check after D ignored", [Sign(BOARD, later(5), "damaged", checks=[(ago(10), "good"),
                                                                                 (later(5), "damaged")])],
         {"signage_compliant": True}),
    Case("board good only after D", [Sign(BOARD, later(5), "good", checks=[(ago(10), "damaged"), (later(5), "good")])],
         notes={"signage_compliant": [f"damaged {ago(10).isoformat()}"]}),
    Case("board without check rows uses its own last check", [Sign(BOARD, ago(30))], {"signage_compliant": True}),
    Case("board without check rows, own check stale", [Sign(BOARD, ago(200))]),
    Case("board without check rows, own check damaged", [Sign(BOARD, ago(30), "damaged")]),
    Case("board without check rows, never checked", [Sign(BOARD, None)], notes={"signage_compliant": ["unchecked"]}),
    Case("board whose only check is after D has no state", [Sign(BOARD, later(3), checks=[(later(3), "good")])],
         notes={"signage_compliant": ["unchecked"]}),
    Case("board check rows win over its own last check", [Sign(BOARD, ago(5), "good", checks=[(ago(300), "good")])]),
    Case("same-day checks: the highest id wins (damaged)",
         [Sign(BOARD, ago(5), "damaged", checks=[(ago(5), "good"), (ago(5), "damaged")])]),
    Case("same-day checks: the highest id wins (good)",
         [Sign(BOARD, ago(5), "good", checks=[(ago(5), "damaged"), (ago(5), "good")])], {"signage_compliant": True}),
    Case("warning sign is not a publicity board", [Sign(BOARD, ago(1), kind="warning_sign",
                                                        checks=[(ago(1), "good")])]),
    Case("one good board among failing ones", [Sign(BOARD, ago(10), "damaged", checks=[(ago(10), "damaged")]),
                                                GOOD_BOARD], {"signage_compliant": True}),
    # inspections and training
    Case("self inspection 90 days ago", [inspection(ago(90), "self")],
         {"self_inspected": True}),
    Case("self inspection 91 days ago", [inspection(ago(91), "self")]),
    Case("three self inspections: the latest is named", [inspection(ago(80), "self"), inspection(ago(5), "self"),
                                                          inspection(ago(40), "self")],
         {"self_inspected": True}, notes={"self_inspected": [ago(5).isoformat()]}),
    Case("self inspection after D", [inspection(later(1), "self")]),
    Case("park inspection only", [inspection(ago(1), "park")]),
    Case("all-staff training 365 days ago",
         [training(ago(365), "all_staff")], {"all_staff_trained": True}),
    Case("all-staff training 366 days ago", [training(ago(366), "all_staff")]),
    Case("two all-staff trainings: the latest is named", [training(ago(30), "all_staff"),
                                                           training(ago(300), "all_staff")],
         {"all_staff_trained": True}, notes={"all_staff_trained": [ago(30).isoformat()]}),
    Case("principal training only", [training(ago(3), "principal")]),
    # enforcement
    Case("fine 365 days ago", [enforcement(ago(365), "fine")], {"severe_enforcement": 1, "loan_fines_or_orders": 1}),
    Case("fine 366 days ago", [enforcement(ago(366), "fine")]),
    Case("fine after D", [enforcement(later(1), "fine")]),
    Case("rectification orders", [enforcement(ago(10), "rectification_order"),
                                  enforcement(ago(20), "rectification_order")],
         {"rectification_orders": 2, "loan_fines_or_orders": 2}),
    Case("suspension lifted before D", [enforcement(ago(100), "suspension", lifted_on=ago(1))],
         {"severe_enforcement": 1}),
    Case("suspension lifted on D", [enforcement(ago(100), "suspension", lifted_on=D)], {"severe_enforcement": 1}),
    Case("suspension lifted after D", [enforcement(ago(100), "suspension", lifted_on=later(1))],
         {"severe_enforcement": 1, "suspension_in_force": 1}),
    Case("suspension never lifted, 2 years ago", [enforcement(ago(730), "suspension")], {"suspension_in_force": 1}),
    Case("suspension decided after D", [enforcement(later(1), "suspension")]),
    Case("closure lifted long ago still counts", [enforcement(ago(800), "closure", lifted_on=ago(700))],
         {"closures": 1}),
    Case("prosecution 365 days ago", [enforcement(ago(365), "prosecution")],
         {"loan_prosecutions": 1, "severe_enforcement": 1}),
    Case("prosecution 366 days ago", [enforcement(ago(366), "prosecution")]),
    # dishonesty list (L7)
    Case("listed a year ago", [listing(ago(365))], {"dishonesty_listed": 1}),
    Case("listed on D", [listing(D)], {"dishonesty_listed": 1}),
    Case("listed after D", [listing(later(1))]),
    Case("listed exactly three years before D", [listing(date(2023, 6, 30))]),
    Case("listed three years before D plus a day", [listing(date(2023, 7, 1))], {"dishonesty_listed": 1}),
    Case("listing removed before D", [listing(ago(100), removed_on=ago(1))]),
    Case("listing removed on D", [listing(ago(100), removed_on=D)]),
    Case("listing removed after D", [listing(ago(100), removed_on=later(1))], {"dishonesty_listed": 1}),
    Case("29 Feb listing, the day before its end", [listing(date(2024, 2, 29))], {"dishonesty_listed": 1},
         as_of=date(2027, 2, 27)),
    Case("29 Feb listing ends on 28 Feb", [listing(date(2024, 2, 29))], as_of=date(2027, 2, 28)),
    Case("28 Feb listing ends on 28 Feb", [listing(date(2024, 2, 28))], as_of=date(2027, 2, 28)),
    Case("1 Mar listing still counts on 28 Feb", [listing(date(2024, 3, 1))], {"dishonesty_listed": 1},
         as_of=date(2027, 2, 28)),
    Case("28 Feb listing ends on 28 Feb of a leap year", [listing(date(2025, 2, 28))], as_of=date(2028, 2, 29)),
    Case("1 Mar listing counts on 29 Feb of a leap year", [listing(date(2025, 3, 1))], {"dishonesty_listed": 1},
         as_of=date(2028, 2, 29)),
    # loan overrides
    Case("override decided after D", [override(later(1), later(100))]),
    Case("override in force", [override(ago(10), later(10))], override_reason="bank visit"),
    Case("override decided on D", [override(D, later(10))], override_reason="bank visit"),
    Case("override expires on D", [override(ago(100), D)], override_reason="bank visit"),
    Case("override expired", [override(ago(100), ago(1))]),
    Case("the latest override wins", [override(ago(10), later(50), "eligible", "later"),
                                      override(ago(20), later(100), "ineligible", "earlier")], override_reason="later"),
    Case("same-day overrides: the highest id wins", [override(ago(10), later(50), "ineligible", "first"),
                                                     override(ago(10), later(20), "eligible", "second")],
         override_reason="second"),
    Case("expired latest override gives way", [override(ago(100), later(50), "ineligible", "old"),
                                               override(ago(50), ago(1), "eligible", "expired")],
         override_reason="old"),
]

FLAGS = ("signage_compliant", "self_inspected", "all_staff_trained")
COUNTS = COUNTED_FACTS


def expected_figures(case: Case) -> dict[str, Any]:
    figures: dict[str, Any] = dict.fromkeys(COUNTS, 0) | dict.fromkeys(FLAGS, False)
    return figures | case.expected


def figures(facts: EnterpriseFacts) -> dict[str, Any]:
    return {name: getattr(facts, name) for name in (*COUNTS, *FLAGS)}


def _add_records(session: Session, enterprise_id: int, records: list[Record]) -> None:
    for record in records:
        if isinstance(record, Sign):
            sign = SafetySign(enterprise_id=enterprise_id, kind=record.kind, location="Gate",
                              installed_on=record.installed_on, last_checked_on=record.last_checked_on,
                              condition=record.condition)
            session.add(sign)
            session.flush()
            for checked_on, condition in record.checks:  # one flush each, so ids follow the list
                session.add(SignCheck(safety_sign_id=sign.id, checked_on=checked_on, condition=condition))
                session.flush()
        else:
            session.add(record.model(enterprise_id=enterprise_id, **record.values))
            session.flush()


@pytest.fixture(scope="module")
def case_park(module_engine: Engine) -> dict[str, int]:
    """One enterprise per case, with the case's records: case name -> enterprise id."""
    ids: dict[str, int] = {}
    with Session(module_engine) as session:
        for number, case in enumerate(CASES, start=1):
            firm = Enterprise(
                uscc=with_check_character(f"91330100{number:09d}"), name=f"测试企业{number}", industry="machinery",
                lat=30.25, lon=120.15, legal_rep="张伟", safety_lead="李娜", phone="0571-1", employees=50,
                safety_staff_parttime=1, license_expires_on=None,
            )
            session.add(firm)
            session.flush()
            assert firm.id is not None
            ids[case.name] = firm.id
            _add_records(session, firm.id, case.records)
        session.commit()
    return ids


@pytest.fixture(scope="module")
def sql_facts(module_engine: Engine, case_park: dict[str, int]) -> Callable[[date], dict[int, EnterpriseFacts]]:
    """The all-enterprise pass at a date, computed once per date."""
    cache: dict[date, dict[int, EnterpriseFacts]] = {}

    def at(as_of: date) -> dict[int, EnterpriseFacts]:
        if as_of not in cache:
            with Session(module_engine) as session:
                cache[as_of] = {f.enterprise_id: f for f in all_enterprise_facts(session, as_of, RULES)}
        return cache[as_of]

    return at


@pytest.fixture(scope="module")
def bulk_detail(module_engine: Engine, case_park: dict[str, int]) -> Callable[[date], dict[int, EnterpriseFacts]]:
    cache: dict[date, dict[int, EnterpriseFacts]] = {}

    def at(as_of: date) -> dict[int, EnterpriseFacts]:
        if as_of not in cache:
            with Session(module_engine) as session:
                cache[as_of] = {f.enterprise_id: f for f in all_enterprise_facts_detail(session, as_of, RULES)}
        return cache[as_of]

    return at


def _check(case: Case, facts: EnterpriseFacts) -> None:
    assert figures(facts) == expected_figures(case)
    if case.override_reason is None:
        assert facts.override is None
    else:
        assert facts.override is not None and facts.override.reason == case.override_reason


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_all_enterprise_sql_pass(case: Case, case_park: dict[str, int],
                                 sql_facts: Callable[[date], dict[int, EnterpriseFacts]]) -> None:
    facts = sql_facts(case.as_of)[case_park[case.name]]
    _check(case, facts)
    assert facts.refs == {}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_one_enterprise_detail(case: Case, case_park: dict[str, int], module_engine: Engine) -> None:
    with Session(module_engine) as session:
        facts = enterprise_facts_detail(session, case_park[case.name], case.as_of, RULES)
    _check(case, facts)
    for name in COUNTS:  # every count is the number of records named behind it
        assert len(facts.refs.get(name, ())) == getattr(facts, name), name
    for name, notes in case.notes.items():
        assert [ref.note for ref in facts.refs.get(name, ())] == notes, name
    assert [ref.table for ref in facts.refs["license"]] == ["enterprise"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_all_enterprise_detail(case: Case, case_park: dict[str, int], module_engine: Engine,
                               bulk_detail: Callable[[date], dict[int, EnterpriseFacts]]) -> None:
    facts = bulk_detail(case.as_of)[case_park[case.name]]
    _check(case, facts)
    with Session(module_engine) as session:
        single = enterprise_facts_detail(session, case_park[case.name], case.as_of, RULES)
    assert facts.refs == single.refs


def test_the_records_named_are_the_cases_records(case_park: dict[str, int], module_engine: Engine) -> None:
    with Session(module_engine) as session:
        facts = enterprise_facts_detail(session, case_park["several hazards"], D, RULES)
        ids = sorted(session.exec(select(Hazard.id).where(Hazard.enterprise_id == facts.enterprise_id)).all())
    named = [ref.id for ref in facts.refs["general_open_not_overdue"] + facts.refs["general_overdue"]]
    assert sorted(named) == ids[:4]  # the fifth was rectified before D
    assert all(ref.table == "hazard" for ref in facts.refs["general_overdue"])


def test_the_profile_comes_through(case_park: dict[str, int], sql_facts: Callable[[date], dict[int, EnterpriseFacts]],
                                   module_engine: Engine) -> None:
    facts = sql_facts(D)[case_park["nothing"]]
    assert (facts.industry, facts.employees, facts.safety_staff_parttime, facts.license_expires_on) == (
        "machinery", 50, 1, None)
    with Session(module_engine) as session:
        detail = enterprise_facts_detail(session, facts.enterprise_id, D, RULES)
    assert {f.name: getattr(detail, f.name) for f in fields(EnterpriseFacts) if f.name != "refs"} == \
        {f.name: getattr(facts, f.name) for f in fields(EnterpriseFacts) if f.name != "refs"}


def test_an_unknown_enterprise_is_named(module_engine: Engine, case_park: dict[str, int]) -> None:
    with Session(module_engine) as session, pytest.raises(UnknownEnterprise, match="999999"):
        enterprise_facts_detail(session, 999_999, D, RULES)


def test_windows_follow_the_settings(module_engine: Engine, case_park: dict[str, int]) -> None:
    rules = RuleSettings(sign_check_max_age_days=181, loan_overdue_ineligible_days=31, self_inspection_window_days=91)
    with Session(module_engine) as session:
        by_id = {f.enterprise_id: f for f in all_enterprise_facts(session, D, rules)}
        for name, fact, value in (("board checked 181 days ago", "signage_compliant", True),
                                  ("hazard overdue by 31", "overdue_within_limit", 1),
                                  ("self inspection 91 days ago", "self_inspected", True)):
            assert getattr(by_id[case_park[name]], fact) == value
            assert getattr(enterprise_facts_detail(session, case_park[name], D, rules), fact) == value


# --- the listing term, without a database ---


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.dates(date(1990, 1, 1), date(2100, 12, 31)),
       st.integers(1, 5))
def test_listing_cutoff_agrees_with_the_anniversary(listed_on: date, as_of: date, years: int) -> None:
    assert (listed_on > listing_cutoff(as_of, years)) == (as_of < anniversary(listed_on, years))


@pytest.mark.parametrize(("listed_on", "years", "expected"), [
    (date(2024, 2, 29), 3, date(2027, 2, 28)),
    (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2024, 2, 28), 3, date(2027, 2, 28)),
    (date(2023, 6, 30), 3, date(2026, 6, 30)),
])
def test_anniversary(listed_on: date, years: int, expected: date) -> None:
    assert anniversary(listed_on, years) == expected


def test_every_case_is_named_once() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))

