"""Scorecards and loan assessments as plain data, for the command line and for exports (DESIGN.md section 6).

``scorecard_record`` and ``loan_record`` give one JSON-ready dict per enterprise with exactly
the contract's fields; ``scorecard_row`` and ``loan_row`` flatten them for CSV:

* scorecards: enterprise_id, uscc, name, industry, score, grade, inherent_risk, risk_color, one
  column per component (hazards … compliance), ``deductions`` (the deduction codes joined with
  ``;``) and ``reasons`` (their sentences, each with its component and points, joined with `` | ``);
* loans: enterprise_id, uscc, name, status, effective_status, the override's fields as
  ``override_decision``, ``override_reason``, ``override_decided_by``, ``override_decided_on``,
  ``override_expires_on`` (empty without one), ``rules`` (the rule codes joined with ``;``),
  ``reasons`` and ``remedies`` (each ``CODE: sentence``, joined with `` | ``).

A score is shown truncated to one decimal, as the sentences show it, so that it never shows a
grade threshold the unrounded score has not reached (89.96 is 89.9, grade B); points and
components are rounded to two decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

from dashboard.rules.facts import RecordRef
from dashboard.rules.scorecard import COMPONENTS
from dashboard.services.evaluation import EnterpriseEvaluation

SCORECARD_FIELDS = (
    "enterprise_id", "uscc", "name", "industry", "score", "grade", "inherent_risk", "risk_color", "components",
    "deductions",
)
LOAN_FIELDS = ("enterprise_id", "uscc", "name", "status", "effective_status", "override", "rules")
SCORECARD_COLUMNS = (
    "enterprise_id", "uscc", "name", "industry", "score", "grade", "inherent_risk", "risk_color", *COMPONENTS,
    "deductions", "reasons",
)
LOAN_COLUMNS = (
    "enterprise_id", "uscc", "name", "status", "effective_status", "override_decision", "override_reason",
    "override_decided_by", "override_decided_on", "override_expires_on", "rules", "reasons", "remedies",
)
CODE_SEPARATOR = ";"
TEXT_SEPARATOR = " | "


def shown_score(score: float) -> float:
    """The score with one decimal, truncated (never rounded up across a grade threshold)."""
    return float(Decimal(repr(float(score))).quantize(Decimal("0.1"), rounding=ROUND_DOWN))


def _points(value: float) -> float:
    return round(float(value), 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _records(records: Sequence[RecordRef]) -> list[dict[str, Any]]:
    return [{"table": ref.table, "id": ref.id} for ref in records]


def scorecard_record(result: EnterpriseEvaluation, language: str) -> dict[str, Any]:
    """One enterprise's scorecard with the contract's fields (DESIGN.md section 6)."""
    facts, card = result.facts, result.scorecard
    return {
        "enterprise_id": facts.enterprise_id,
        "uscc": facts.uscc,
        "name": facts.name,
        "industry": str(facts.industry),
        "score": shown_score(card.score),
        "grade": card.grade,
        "inherent_risk": result.inherent_risk,
        "risk_color": result.risk_colour,
        "components": {component: _points(card.components[component]) for component in COMPONENTS},
        "deductions": [
            {"component": d.component, "points": _points(d.points), "reason": d.reason(language),
             "records": _records(d.records)}
            for d in card.deductions
        ],
    }


def loan_record(result: EnterpriseEvaluation, language: str) -> dict[str, Any]:
    """One enterprise's loan assessment with the contract's fields (DESIGN.md section 6)."""
    facts, loan = result.facts, result.loan
    override = loan.override
    return {
        "enterprise_id": facts.enterprise_id,
        "uscc": facts.uscc,
        "name": facts.name,
        "status": loan.status,
        "effective_status": loan.effective_status,
        "override": None if override is None else {
            "decision": str(override.decision), "reason": override.reason, "decided_by": override.decided_by,
            "decided_on": override.decided_on.isoformat(), "expires_on": override.expires_on.isoformat(),
        },
        "rules": [
            {"code": rule.code, "reason": rule.reason(language), "records": _records(rule.records),
             "remedy": rule.remedy(language)}
            for rule in loan.rules
        ],
    }


def scorecard_row(result: EnterpriseEvaluation, language: str) -> dict[str, Any]:
    """One enterprise's scorecard as one flat CSV row (SCORECARD_COLUMNS)."""
    record = scorecard_record(result, language)
    deductions = result.scorecard.deductions
    return {
        **{name: record[name] for name in SCORECARD_FIELDS[:8]},
        **record["components"],
        "deductions": CODE_SEPARATOR.join(d.code for d in deductions),
        "reasons": TEXT_SEPARATOR.join(
            f"{d['component']} -{d['points']:g}: {d['reason']}" for d in record["deductions"]),
    }


def loan_row(result: EnterpriseEvaluation, language: str) -> dict[str, Any]:
    """One enterprise's loan assessment as one flat CSV row (LOAN_COLUMNS)."""
    record = loan_record(result, language)
    override = record["override"] or {}
    return {
        **{name: record[name] for name in LOAN_FIELDS[:5]},
        **{f"override_{name}": override.get(name, "") for name in
           ("decision", "reason", "decided_by", "decided_on", "expires_on")},
        "rules": CODE_SEPARATOR.join(rule["code"] for rule in record["rules"]),
        "reasons": TEXT_SEPARATOR.join(f"{rule['code']}: {rule['reason']}" for rule in record["rules"]),
        "remedies": TEXT_SEPARATOR.join(f"{rule['code']}: {rule['remedy']}" for rule in record["rules"]),
    }
