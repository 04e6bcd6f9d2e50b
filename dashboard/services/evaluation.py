"""Scorecards, four-colour risk and loan eligibility for the park at an as-of date, and their history.

:func:`evaluate_all` is the set-based pass: every enterprise's facts from a handful of grouped
queries, then the pure rules. Its deductions and loan rules carry codes and figures but no
records; :func:`evaluate_enterprise` (and ``evaluate_all(..., detail=True)``, for exports)
evaluates from the records themselves and names them.

History is taken at month-ends: the last ``months`` month-ends on or before the as-of date,
oldest first, so the most recent month-end is last (it is the as-of date itself when that is
the last day of a month). The figures at the as-of date itself are :func:`evaluate_all`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from dashboard.cycle_collection import cycle_collection_paused
from dashboard.rules.facts import EnterpriseFacts
from dashboard.rules.grade import GRADES
from dashboard.rules.loan_eligibility import STATUSES, LoanAssessment, loan_eligibility
from dashboard.rules.risk_colour import COLOURS, inherent_risk, risk_colour
from dashboard.rules.scorecard import Scorecard, scorecard
from dashboard.services.facts import (
    all_enterprise_facts,
    all_enterprise_facts_detail,
    enterprise_facts_detail,
    enterprise_records,
    facts_from_records,
)
from dashboard.settings import RuleSettings


@dataclass(frozen=True)
class EnterpriseEvaluation:
    """One enterprise at D: its facts, scorecard, inherent risk, four-colour risk and loan assessment."""

    facts: EnterpriseFacts
    scorecard: Scorecard
    inherent_risk: str
    risk_colour: str
    loan: LoanAssessment

    @property
    def enterprise_id(self) -> int:
        return self.facts.enterprise_id

    @property
    def score(self) -> float:
        return self.scorecard.score

    @property
    def grade(self) -> str:
        return self.scorecard.grade

    @property
    def status(self) -> str:
        """The computed loan status (eligible, conditional, ineligible)."""
        return self.loan.status

    @property
    def effective_status(self) -> str:
        """The loan status after an override in force, if any."""
        return self.loan.effective_status


def evaluate(facts: EnterpriseFacts, as_of: date, rules: RuleSettings) -> EnterpriseEvaluation:
    """The rules applied to one enterprise's facts at D."""
    card = scorecard(facts, rules, as_of)
    return EnterpriseEvaluation(
        facts=facts,
        scorecard=card,
        inherent_risk=inherent_risk(facts.industry, facts.major_hazard_source, rules),
        risk_colour=risk_colour(facts, card, rules),
        loan=loan_eligibility(facts, card, rules, as_of),
    )


EvaluateAt = Callable[[date], Sequence["EnterpriseEvaluation"]]
"""Every enterprise's evaluation at a date: :func:`evaluate_all` on a session, or a cached copy of it
(the pages share one evaluation per date and data revision)."""


def evaluate_all(
    session: Session, as_of: date, rules: RuleSettings, *, detail: bool = False
) -> list[EnterpriseEvaluation]:
    """Every enterprise at D, by id. Fast by default (figures and codes, no records); with
    ``detail`` the facts come from the records and every deduction and loan rule names them."""
    with cycle_collection_paused():
        if detail:
            facts = all_enterprise_facts_detail(session, as_of, rules)
        else:
            facts = all_enterprise_facts(session, as_of, rules)
        return [evaluate(f, as_of, rules) for f in facts]


def evaluate_enterprise(
    session: Session, enterprise_id: int, as_of: date, rules: RuleSettings
) -> EnterpriseEvaluation:
    """One enterprise at D in full detail (raises ``UnknownEnterprise``)."""
    return evaluate(enterprise_facts_detail(session, enterprise_id, as_of, rules), as_of, rules)


# --- history ------------------------------------------------------------------------------------


def month_ends(as_of: date, months: int = 12) -> list[date]:
    """The last ``months`` month-ends on or before D, oldest first."""
    is_month_end = (as_of + timedelta(days=1)).day == 1
    found = [as_of if is_month_end else as_of.replace(day=1) - timedelta(days=1)]
    while len(found) < months:
        found.append(found[-1].replace(day=1) - timedelta(days=1))
    return found[::-1]


@dataclass(frozen=True)
class HistoryPoint:
    """One enterprise at one month-end."""

    on: date
    score: float
    grade: str
    risk_colour: str
    status: str
    effective_status: str


def enterprise_history(
    session: Session, enterprise_id: int, as_of: date, rules: RuleSettings, months: int = 12
) -> list[HistoryPoint]:
    """One enterprise's score, grade, colour and loan status at each of the last month-ends, oldest first.

    Its records are read once and evaluated at every month-end.
    """
    records = enterprise_records(session, enterprise_id)
    points = []
    for day in month_ends(as_of, months):
        result = evaluate(facts_from_records(records, day, rules), day, rules)
        points.append(HistoryPoint(day, result.score, result.grade, result.risk_colour, result.status,
                                   result.effective_status))
    return points


@dataclass(frozen=True)
class ParkMonth:
    """The park at one month-end: how many enterprises per status, colour and grade, and each one's status."""

    on: date
    statuses: dict[str, int]  # computed loan status -> enterprises
    effective_statuses: dict[str, int]  # effective loan status (after overrides) -> enterprises
    colours: dict[str, int]
    grades: dict[str, int]
    effective_status: dict[int, str]  # enterprise id -> effective loan status


def park_history(
    session: Session, as_of: date, rules: RuleSettings, months: int = 12, evaluate_at: EvaluateAt | None = None
) -> list[ParkMonth]:
    """The park at each of the last month-ends, oldest first: one set-based pass per month-end.

    Every enterprise in the database is counted at every month-end. Each count covers every
    status, colour and grade, with 0 where none has it.
    """
    history = []
    for day in month_ends(as_of, months):
        results = evaluate_at(day) if evaluate_at is not None else evaluate_all(session, day, rules)
        history.append(ParkMonth(
            on=day,
            statuses=_tally((r.status for r in results), STATUSES),
            effective_statuses=_tally((r.effective_status for r in results), STATUSES),
            colours=_tally((r.risk_colour for r in results), COLOURS),
            grades=_tally((r.grade for r in results), GRADES),
            effective_status={r.enterprise_id: r.effective_status for r in results},
        ))
    return history


def _tally(values: Iterable[str], keys: tuple[str, ...]) -> dict[str, int]:
    counted = Counter(values)
    return {key: counted.get(key, 0) for key in keys}
