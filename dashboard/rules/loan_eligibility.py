"""Loan eligibility (信贷支持, DESIGN.md 4.6): "对于安全生产不重视,企业的贷款我们不支持".

An enterprise is ``ineligible`` if any rule L1–L9 holds, else ``conditional`` if any C1–C4
holds, else ``eligible``. Every rule that holds is listed, L and C alike, with a sentence,
the records behind it and the path to eligibility. A finance override in force at D replaces
the effective status; the computed status is kept beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dashboard.rules.explanations import DEFAULT_LANGUAGE, loan_reason, loan_remedy
from dashboard.rules.facts import EnterpriseFacts, OverrideFact, RecordRef
from dashboard.rules.scorecard import COMPONENTS, Scorecard, licence_refs
from dashboard.rules.staffing import licence_expires_soon, licence_valid
from dashboard.settings import RuleSettings

INELIGIBLE = "ineligible"
CONDITIONAL = "conditional"
ELIGIBLE = "eligible"
STATUSES = (INELIGIBLE, CONDITIONAL, ELIGIBLE)

LOAN_CODES = ("L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", "C1", "C2", "C3", "C4")

# how many components the score remedies (L9, C1) name as the largest losses
_LOSSES_NAMED = 3


@dataclass(frozen=True)
class LoanRule:
    """One rule that holds for an enterprise: its code, the figures behind it and its records."""

    code: str
    params: dict[str, object]
    records: tuple[RecordRef, ...] = ()

    @property
    def makes_ineligible(self) -> bool:
        """L rules make an enterprise ineligible; C rules make it conditional."""
        return self.code.startswith("L")

    def reason(self, language: str = DEFAULT_LANGUAGE) -> str:
        """Why the rule holds, in ``language`` ("en" or "zh")."""
        return loan_reason(self.code, self.params, self.records, language)

    def remedy(self, language: str = DEFAULT_LANGUAGE) -> str:
        """What would clear the rule, naming the records when they are known."""
        return loan_remedy(self.code, self.params, self.records, language)


@dataclass(frozen=True)
class LoanAssessment:
    """The loan decision for one enterprise at D."""

    enterprise_id: int
    status: str
    effective_status: str
    override: OverrideFact | None
    rules: tuple[LoanRule, ...]


def loan_eligibility(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanAssessment:
    """Assess one enterprise's loan eligibility at D from its facts and its scorecard (DESIGN.md 4.6)."""
    held = tuple(rule for check in _CHECKS if (rule := check(facts, card, rules, as_of)) is not None)
    status = loan_status(held)
    effective = str(facts.override.decision) if facts.override is not None else status
    return LoanAssessment(facts.enterprise_id, status, effective, facts.override, held)


def loan_status(held: tuple[LoanRule, ...]) -> str:
    """Ineligible beats conditional beats eligible."""
    if any(rule.makes_ineligible for rule in held):
        return INELIGIBLE
    return CONDITIONAL if held else ELIGIBLE


def _refs(facts: EnterpriseFacts, *names: str) -> tuple[RecordRef, ...]:
    return tuple(dict.fromkeys(ref for name in names for ref in facts.refs.get(name, ())))


def _signage(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """L1: not signage-compliant (no 安全生产宣传牌 in good condition, checked within the window)."""
    if facts.signage_compliant:
        return None
    return LoanRule("L1", {"days": rules.sign_check_max_age_days}, _refs(facts, "signage_compliant"))


def _major_hazard(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """L2: a major hazard (重大隐患) not verified."""
    count = facts.major_unverified_overdue + facts.major_unverified_not_overdue
    if count <= 0:
        return None
    records = _refs(facts, "major_unverified_overdue", "major_unverified_not_overdue")
    return LoanRule("L2", {"count": count, "overdue": facts.major_unverified_overdue}, records)


def _long_overdue(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """L3: a hazard overdue by more than 30 days."""
    if facts.overdue_past_limit <= 0:
        return None
    params: dict[str, object] = {"count": facts.overdue_past_limit, "days": rules.loan_overdue_ineligible_days}
    return LoanRule("L3", params, _refs(facts, "overdue_past_limit"))


def _serious_accident(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """L4: an accident with deaths within 365 days, or a larger-or-worse accident within 1095 days."""
    if facts.loan_fatal_accidents <= 0 and facts.loan_larger_accidents <= 0:
        return None
    fatal_records = _refs(facts, "loan_fatal_accidents")
    larger_records = _refs(facts, "loan_larger_accidents")
    params: dict[str, object] = {
        "fatal": facts.loan_fatal_accidents, "death_days": rules.loan_death_window_days,
        "larger": facts.loan_larger_accidents, "larger_days": rules.loan_larger_accident_window_days,
        "fatal_records": fatal_records, "larger_records": larger_records,
    }
    return LoanRule("L4", params, tuple(dict.fromkeys(fatal_records + larger_records)))


def _four_not_letting_go(
    facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date
) -> LoanRule | None:
    """L5: an accident within 1095 days with any 四不放过 flag false."""
    if facts.loan_incomplete_accidents <= 0:
        return None
    params: dict[str, object] = {
        "count": facts.loan_incomplete_accidents, "days": rules.loan_four_not_letting_go_window_days,
    }
    return LoanRule("L5", params, _refs(facts, "loan_incomplete_accidents"))


def _severe_enforcement(
    facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date
) -> LoanRule | None:
    """L6: a suspension (停产整顿) in force, a closure (关闭) ever, or a prosecution (移送司法) within 365 days."""
    if facts.suspension_in_force <= 0 and facts.closures <= 0 and facts.loan_prosecutions <= 0:
        return None
    suspension_records = _refs(facts, "suspension_in_force")
    closure_records = _refs(facts, "closures")
    prosecution_records = _refs(facts, "loan_prosecutions")
    params: dict[str, object] = {
        "suspensions": facts.suspension_in_force, "closures": facts.closures,
        "prosecutions": facts.loan_prosecutions, "prosecution_days": rules.loan_prosecution_window_days,
        "suspension_records": suspension_records, "closure_records": closure_records,
        "prosecution_records": prosecution_records,
    }
    records = tuple(dict.fromkeys(suspension_records + closure_records + prosecution_records))
    return LoanRule("L6", params, records)


def _dishonesty(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """L7: on the list of seriously dishonest entities (安全生产严重失信主体名单) at D."""
    if facts.dishonesty_listed <= 0:
        return None
    params: dict[str, object] = {"count": facts.dishonesty_listed, "years": rules.loan_dishonesty_years}
    return LoanRule("L7", params, _refs(facts, "dishonesty_listed"))


def _licence_invalid(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """L8: a licence (安全生产许可证) is required and license_expires_on is null or before D."""
    if licence_valid(facts, rules, as_of):
        return None
    expires = facts.license_expires_on
    params: dict[str, object] = {"variant": "missing" if expires is None else "expired", "industry": facts.industry}
    if expires is not None:
        params["expires_on"] = expires
    return LoanRule("L8", params, licence_refs(facts))


def _grade_d(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """L9: scorecard grade D."""
    if card.grade != "D":
        return None
    return LoanRule("L9", {"score": card.score, "c_min": rules.grade_c_min, "losses": _largest_losses(card)})


def _grade_c(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """C1: scorecard grade C."""
    if card.grade != "C":
        return None
    return LoanRule("C1", {"score": card.score, "b_min": rules.grade_b_min, "losses": _largest_losses(card)})


def _recently_overdue(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """C2: a hazard overdue by 1–30 days."""
    if facts.overdue_within_limit <= 0:
        return None
    params: dict[str, object] = {"count": facts.overdue_within_limit, "days": rules.loan_overdue_ineligible_days}
    return LoanRule("C2", params, _refs(facts, "overdue_within_limit"))


def _fine_or_order(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """C3: a fine (罚款) or rectification order (责令限期整改) within 365 days."""
    if facts.loan_fines_or_orders <= 0:
        return None
    params: dict[str, object] = {"count": facts.loan_fines_or_orders, "days": rules.loan_fine_window_days}
    return LoanRule("C3", params, _refs(facts, "loan_fines_or_orders"))


def _licence_expiring(facts: EnterpriseFacts, card: Scorecard, rules: RuleSettings, as_of: date) -> LoanRule | None:
    """C4: a required licence expires soon: D <= license_expires_on <= D + 60 days."""
    expires = facts.license_expires_on
    if expires is None or not licence_expires_soon(facts, rules, as_of):
        return None
    params: dict[str, object] = {
        "expires_on": expires, "days": rules.loan_licence_expiry_warning_days, "days_left": (expires - as_of).days,
    }
    return LoanRule("C4", params, licence_refs(facts))


def _largest_losses(card: Scorecard) -> tuple[tuple[str, float], ...]:
    """The components that lost the most points, largest first, for the score remedies."""
    lost = [(component, card.lost(component)) for component in COMPONENTS]
    ranked = sorted((item for item in lost if item[1] > 0), key=lambda item: -item[1])
    return tuple(ranked[:_LOSSES_NAMED])


_Check = Callable[[EnterpriseFacts, Scorecard, RuleSettings, date], LoanRule | None]

# in code order: L1..L9, then C1..C4
_CHECKS: tuple[_Check, ...] = (
    _signage, _major_hazard, _long_overdue, _serious_accident, _four_not_letting_go, _severe_enforcement,
    _dishonesty, _licence_invalid, _grade_d, _grade_c, _recently_overdue, _fine_or_order, _licence_expiring,
)
