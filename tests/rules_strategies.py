"""Hypothesis strategies for the pure rules: any enterprise's facts at AS_OF."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from dashboard.rules.facts import EnterpriseFacts, OverrideFact, RecordRef
from models.enums import Industry, LoanDecision, MajorHazardSource, StandardizationGrade
from tests.rules_facts import AS_OF

COUNTS = st.integers(min_value=0, max_value=6)
HAZARD_BUCKETS = (
    "general_open_not_overdue", "general_overdue", "major_unverified_not_overdue", "major_unverified_overdue",
)
LICENCE_DATES = st.none() | st.dates(min_value=AS_OF - timedelta(days=400), max_value=AS_OF + timedelta(days=400))

overrides = st.builds(
    OverrideFact,
    id=st.integers(min_value=1, max_value=1000),
    decision=st.sampled_from(LoanDecision),
    reason=st.just("银行已单独尽调"),
    decided_by=st.just("finance"),
    decided_on=st.just(AS_OF - timedelta(days=10)),
    expires_on=st.just(AS_OF + timedelta(days=100)),
)


@st.composite
def refs_for(draw: st.DrawFn, names: tuple[str, ...]) -> dict[str, tuple[RecordRef, ...]]:
    """Records behind some facts, as the one-enterprise detail would list them."""
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=4))
    return {
        name: tuple(RecordRef("hazard", index, "2026-01-31") for index in range(draw(st.integers(1, 3))))
        for name in chosen
    }


@st.composite
def enterprise_facts(draw: st.DrawFn) -> EnterpriseFacts:
    """Any facts the SQL layer could produce (counts within their buckets' bounds)."""
    special = draw(st.integers(min_value=0, max_value=30))
    general = draw(COUNTS)
    return EnterpriseFacts(
        enterprise_id=draw(st.integers(min_value=1, max_value=10_000)),
        uscc="91110000600037341L",
        name="临江化工有限公司",
        industry=draw(st.sampled_from(Industry)),
        employees=draw(st.integers(min_value=0, max_value=500)),
        safety_org=draw(st.booleans()),
        safety_staff_fulltime=draw(st.integers(min_value=0, max_value=3)),
        safety_staff_parttime=draw(st.integers(min_value=0, max_value=3)),
        principal_certified=draw(st.booleans()),
        safety_managers_certified=draw(st.booleans()),
        special_operators=special,
        special_operators_certified=draw(st.integers(min_value=0, max_value=special)),
        standardization_grade=draw(st.sampled_from(StandardizationGrade)),
        major_hazard_source=draw(st.sampled_from(MajorHazardSource)),
        license_expires_on=draw(LICENCE_DATES),
        general_open_not_overdue=draw(COUNTS),
        general_overdue=draw(COUNTS),
        major_unverified_not_overdue=draw(COUNTS),
        major_unverified_overdue=draw(COUNTS),
        overdue_within_limit=draw(COUNTS),
        overdue_past_limit=draw(COUNTS),
        general_accidents=general,
        general_accidents_incomplete=draw(st.integers(min_value=0, max_value=general)),
        larger_accidents=draw(COUNTS),
        loan_fatal_accidents=draw(COUNTS),
        loan_larger_accidents=draw(COUNTS),
        loan_incomplete_accidents=draw(COUNTS),
        all_staff_trained=draw(st.booleans()),
        signage_compliant=draw(st.booleans()),
        self_inspected=draw(st.booleans()),
        severe_enforcement=draw(COUNTS),
        rectification_orders=draw(COUNTS),
        suspension_in_force=draw(COUNTS),
        closures=draw(COUNTS),
        loan_prosecutions=draw(COUNTS),
        loan_fines_or_orders=draw(COUNTS),
        dishonesty_listed=draw(COUNTS),
        override=draw(st.none() | overrides),
        refs=draw(refs_for((*HAZARD_BUCKETS, "overdue_within_limit", "overdue_past_limit", "signage_compliant",
                            "loan_fatal_accidents", "loan_larger_accidents", "suspension_in_force", "closures",
                            "loan_prosecutions", "general_accidents", "severe_enforcement"))),
    )
