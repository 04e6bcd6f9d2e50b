"""The enterprise scorecard (企业评分卡, DESIGN.md 4.4): six components, 0–100, graded A–D.

Every component is its maximum minus the points lost in it, and it never falls below 0.
Each cause of lost points is one :class:`Deduction` — a penalty ("3 overdue general
hazards") or points not earned ("standardisation level3") — naming the records behind it.
When a component reaches its floor, the deductions are cut short in the order they are
listed (the most serious cause first), so the deductions of a component always add up to
exactly what it lost, and all deductions to the full mark minus the score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from dashboard.rules.explanations import DEFAULT_LANGUAGE, deduction_reason
from dashboard.rules.facts import EnterpriseFacts, RecordRef
from dashboard.rules.grade import grade
from dashboard.rules.staffing import lawful_staffing, licence_valid, needs_body_or_fulltime
from dashboard.settings import RuleSettings
from models.enums import StandardizationGrade

COMPONENTS = ("hazards", "accidents", "management", "training", "signage", "compliance")


@dataclass(frozen=True)
class Deduction:
    """Points lost in one component for one cause, with the records behind it.

    ``params`` holds the figures the sentence uses; ``full_points`` is present only when the
    component's floor cut the deduction short, and holds the points before the cut.
    """

    component: str
    points: float
    code: str
    params: dict[str, object]
    records: tuple[RecordRef, ...] = ()

    def reason(self, language: str = DEFAULT_LANGUAGE) -> str:
        """A sentence a committee member understands, in ``language`` ("en" or "zh")."""
        return deduction_reason(self.component, self.code, self.points, self.params, language)


@dataclass(frozen=True)
class Scorecard:
    """One enterprise's score at D: the unrounded score, its grade, the components and every deduction."""

    enterprise_id: int
    score: float
    grade: str
    components: dict[str, float]
    deductions: tuple[Deduction, ...]

    def lost(self, component: str) -> float:
        """The points lost in one component."""
        return sum(d.points for d in self.deductions if d.component == component)


@dataclass(frozen=True)
class _Loss:
    """A cause of lost points before the component's floor is applied."""

    code: str
    points: float
    params: dict[str, object] = field(default_factory=dict)
    records: tuple[RecordRef, ...] = ()


def component_maxima(rules: RuleSettings) -> dict[str, float]:
    """The most each component can score; with the default settings they add up to 100."""
    return {
        "hazards": rules.hazards_max,
        "accidents": rules.accidents_max,
        "management": rules.management_max,
        "training": rules.training_max,
        "signage": rules.signage_points,
        "compliance": rules.compliance_max,
    }


def scorecard(facts: EnterpriseFacts, rules: RuleSettings, as_of: date) -> Scorecard:
    """The scorecard of one enterprise from its facts at D (DESIGN.md 4.4)."""
    losses = {
        "hazards": _hazard_losses(facts, rules),
        "accidents": _accident_losses(facts, rules),
        "management": _management_losses(facts, rules, as_of),
        "training": _training_losses(facts, rules),
        "signage": _signage_losses(facts, rules),
        "compliance": _compliance_losses(facts, rules),
    }
    components: dict[str, float] = {}
    deductions: list[Deduction] = []
    for component, maximum in component_maxima(rules).items():
        value, taken = _apply_floor(component, maximum, losses[component])
        components[component] = value
        deductions.extend(taken)
    score = sum(components.values())
    return Scorecard(facts.enterprise_id, score, grade(score, rules), components, tuple(deductions))


def _apply_floor(component: str, maximum: float, losses: Iterable[_Loss]) -> tuple[float, list[Deduction]]:
    """Take the losses in order until the component reaches 0; the rest are not deducted."""
    remaining = float(maximum)
    taken = []
    for loss in losses:
        points = min(float(loss.points), remaining)
        if points <= 0:
            continue
        params = loss.params if points == loss.points else {**loss.params, "full_points": float(loss.points)}
        taken.append(Deduction(component, points, loss.code, params, loss.records))
        remaining -= points
    return remaining, taken


def _refs(facts: EnterpriseFacts, *names: str) -> tuple[RecordRef, ...]:
    """The records behind one or more facts, each once, in order."""
    return tuple(dict.fromkeys(ref for name in names for ref in facts.refs.get(name, ())))


def _enterprise_ref(facts: EnterpriseFacts) -> tuple[RecordRef, ...]:
    """The enterprise's own record, behind the causes that are its attributes (staffing, grade, licence)."""
    return (RecordRef("enterprise", facts.enterprise_id),)


def licence_refs(facts: EnterpriseFacts) -> tuple[RecordRef, ...]:
    """The enterprise record behind the licence, with its expiry as the note when the detail gives it."""
    return facts.refs.get("license") or _enterprise_ref(facts)


def _hazard_losses(facts: EnterpriseFacts, rules: RuleSettings) -> list[_Loss]:
    """Hazards (隐患排查治理): major before general, overdue before in time."""
    causes: Sequence[tuple[str, str, int, float]] = (
        ("hazard_major_overdue", "major_unverified_overdue", facts.major_unverified_overdue,
         rules.major_overdue_penalty),
        ("hazard_major_unverified", "major_unverified_not_overdue", facts.major_unverified_not_overdue,
         rules.major_unverified_penalty),
        ("hazard_general_overdue", "general_overdue", facts.general_overdue, rules.general_overdue_penalty),
        ("hazard_general_open", "general_open_not_overdue", facts.general_open_not_overdue,
         rules.general_open_penalty),
    )
    return [
        _Loss(code, count * penalty, {"count": count, "penalty": penalty}, _refs(facts, fact))
        for code, fact, count, penalty in causes
        if count > 0
    ]


def _accident_losses(facts: EnterpriseFacts, rules: RuleSettings) -> list[_Loss]:
    """Accidents within the window: a larger-or-worse one takes everything; else per general accident and 四不放过."""
    days = rules.accident_window_days
    if facts.larger_accidents > 0:
        params: dict[str, object] = {"count": facts.larger_accidents, "days": days, "penalty": rules.accidents_max}
        return [_Loss("accident_larger", rules.accidents_max, params, _refs(facts, "larger_accidents"))]
    losses = []
    if facts.general_accidents > 0:
        count = facts.general_accidents
        losses.append(_Loss(
            "accident_general", count * rules.general_accident_penalty,
            {"count": count, "days": days, "penalty": rules.general_accident_penalty},
            _refs(facts, "general_accidents"),
        ))
    if facts.general_accidents_incomplete > 0:
        count = facts.general_accidents_incomplete
        losses.append(_Loss(
            "accident_four_not_letting_go", count * rules.four_not_letting_go_penalty,
            {"count": count, "days": days, "penalty": rules.four_not_letting_go_penalty},
            _refs(facts, "general_accidents_incomplete"),
        ))
    return losses


def standardisation_points(standardization_grade: StandardizationGrade, rules: RuleSettings) -> float:
    """Points for the safety standardisation grade (安全生产标准化等级)."""
    return {
        StandardizationGrade.level1: rules.standardization_level1_points,
        StandardizationGrade.level2: rules.standardization_level2_points,
        StandardizationGrade.level3: rules.standardization_level3_points,
    }.get(standardization_grade, 0.0)


def _management_losses(facts: EnterpriseFacts, rules: RuleSettings, as_of: date) -> list[_Loss]:
    """Management (安全管理): lawful staffing, standardisation, a valid licence — points not earned."""
    losses = []
    if not lawful_staffing(facts, rules):
        required = "body_or_fulltime" if needs_body_or_fulltime(facts.industry, facts.employees, rules) else "any_staff"
        losses.append(_Loss(
            "staffing_unlawful", rules.staffing_points,
            {"variant": required, "threshold": rules.staffing_employee_threshold}, _enterprise_ref(facts),
        ))
    best = max(rules.standardization_level1_points, rules.standardization_level2_points,
               rules.standardization_level3_points)
    earned = standardisation_points(facts.standardization_grade, rules)
    if best - earned > 0:
        losses.append(_Loss(
            "standardisation", best - earned,
            {"grade": facts.standardization_grade, "earned": earned, "max": best}, _enterprise_ref(facts),
        ))
    if not licence_valid(facts, rules, as_of):
        expires = facts.license_expires_on
        params: dict[str, object] = {"variant": "missing" if expires is None else "expired", "industry": facts.industry}
        if expires is not None:
            params["expires_on"] = expires
        losses.append(_Loss("licence_invalid", rules.licence_points, params, licence_refs(facts)))
    return losses


def _training_losses(facts: EnterpriseFacts, rules: RuleSettings) -> list[_Loss]:
    """Training (教育培训): certified principal and safety managers, certified special operators, all-staff training."""
    losses = []
    if not facts.principal_certified:
        losses.append(_Loss("principal_uncertified", rules.principal_certified_points, {}, _enterprise_ref(facts)))
    if not facts.safety_managers_certified:
        losses.append(_Loss(
            "safety_managers_uncertified", rules.safety_managers_certified_points, {}, _enterprise_ref(facts),
        ))
    total = facts.special_operators
    if total > 0:
        uncertified = total - min(max(facts.special_operators_certified, 0), total)
        if uncertified > 0:
            losses.append(_Loss(
                "special_operators_uncertified", rules.special_operators_points * uncertified / total,
                {"uncertified": uncertified, "total": total, "max": rules.special_operators_points},
                _enterprise_ref(facts),
            ))
    if not facts.all_staff_trained:
        losses.append(_Loss(
            "no_all_staff_training", rules.all_staff_training_points, {"days": rules.training_window_days},
        ))
    return losses


def _signage_losses(facts: EnterpriseFacts, rules: RuleSettings) -> list[_Loss]:
    """Signage: at least one compliant safety publicity board (安全生产宣传牌), DESIGN.md 4.3."""
    if facts.signage_compliant:
        return []
    return [_Loss(
        "signage_not_compliant", rules.signage_points, {"days": rules.sign_check_max_age_days},
        _refs(facts, "signage_compliant"),
    )]


def _compliance_losses(facts: EnterpriseFacts, rules: RuleSettings) -> list[_Loss]:
    """Compliance (执法合规): severe enforcement and rectification orders (each once), self-inspection."""
    losses = []
    days = rules.enforcement_window_days
    if facts.severe_enforcement > 0:
        losses.append(_Loss(
            "severe_enforcement", rules.severe_enforcement_penalty,
            {"count": facts.severe_enforcement, "days": days}, _refs(facts, "severe_enforcement"),
        ))
    if facts.rectification_orders > 0:
        losses.append(_Loss(
            "rectification_order", rules.rectification_order_penalty,
            {"count": facts.rectification_orders, "days": days}, _refs(facts, "rectification_orders"),
        ))
    if not facts.self_inspected:
        losses.append(_Loss(
            "no_self_inspection", rules.no_self_inspection_penalty, {"days": rules.self_inspection_window_days},
        ))
    return losses
