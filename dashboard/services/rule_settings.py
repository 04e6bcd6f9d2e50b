"""Rule thresholds and weights an administrator may change in the app.

The defaults are the configured :class:`RuleSettings` (the design's values, or
``PARK_SAFETY_RULES__*``). A value changed on the Settings page is stored in ``rule_setting``
and overrides its default; :func:`effective_rules` merges the two. Every change is checked
as a whole (the six component maxima add up to 100, the items of a component to its maximum,
thresholds in order), audited, and bumps the data revision so every figure is recomputed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlmodel import Session, col

from dashboard import clock
from dashboard.services.audit import record_audit
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.revision import bump_revision
from dashboard.settings import RuleSettings, get_settings
from models.enums import Industry
from models.settings_store import RuleSetting
from models.validation import FieldProblem, RecordInvalid, problems_from

log = logging.getLogger(__name__)

ENTITY = "rule_setting"

# The settings page's groups, in order; together they hold every field of RuleSettings.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("weights", ("hazards_max", "accidents_max", "management_max", "training_max", "signage_points",
                 "compliance_max")),
    ("hazards", ("general_open_penalty", "general_overdue_penalty", "major_unverified_penalty",
                 "major_overdue_penalty")),
    ("accidents", ("accident_window_days", "general_accident_penalty", "four_not_letting_go_penalty")),
    ("management", ("staffing_points", "staffing_employee_threshold", "standardization_level1_points",
                    "standardization_level2_points", "standardization_level3_points", "licence_points")),
    ("training", ("principal_certified_points", "safety_managers_certified_points", "special_operators_points",
                  "all_staff_training_points", "training_window_days")),
    ("verification", ("verify_needs_photo",)),
    ("signage_compliance", ("sign_check_max_age_days", "severe_enforcement_penalty", "rectification_order_penalty",
                            "enforcement_window_days", "no_self_inspection_penalty",
                            "self_inspection_window_days")),
    ("grades", ("grade_a_min", "grade_b_min", "grade_c_min")),
    ("loans", ("loan_overdue_ineligible_days", "loan_death_window_days", "loan_larger_accident_window_days",
               "loan_four_not_letting_go_window_days", "loan_prosecution_window_days", "loan_dishonesty_years",
               "loan_fine_window_days", "loan_licence_expiry_warning_days", "loan_override_max_days")),
    ("accident_levels", ("accident_larger_deaths", "accident_larger_serious_injuries", "accident_larger_loss_yuan",
                         "accident_major_deaths", "accident_major_serious_injuries", "accident_major_loss_yuan",
                         "accident_especially_major_deaths", "accident_especially_major_serious_injuries",
                         "accident_especially_major_loss_yuan")),
    ("industries", ("high_risk_industries", "licensed_industries", "inherent_high_industries",
                    "inherent_medium_industries")),
)
NAMES: tuple[str, ...] = tuple(name for _, names in GROUPS for name in names)
INDUSTRY_LISTS = frozenset(dict(GROUPS)["industries"])

# Sums the scorecard relies on: (the whole, its items); the weights' whole is the fixed 100.
WEIGHTS = dict(GROUPS)["weights"]
COMPONENT_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("management_max", ("staffing_points", "standardization_level1_points", "licence_points")),
    ("training_max", ("principal_certified_points", "safety_managers_certified_points", "special_operators_points",
                      "all_staff_training_points")),
)
# (lower, higher): the first may not exceed the second.
ORDER: tuple[tuple[str, str], ...] = (
    ("grade_c_min", "grade_b_min"),
    ("grade_b_min", "grade_a_min"),
    ("standardization_level3_points", "standardization_level2_points"),
    ("standardization_level2_points", "standardization_level1_points"),
    ("accident_larger_deaths", "accident_major_deaths"),
    ("accident_major_deaths", "accident_especially_major_deaths"),
    ("accident_larger_serious_injuries", "accident_major_serious_injuries"),
    ("accident_major_serious_injuries", "accident_especially_major_serious_injuries"),
    ("accident_larger_loss_yuan", "accident_major_loss_yuan"),
    ("accident_major_loss_yuan", "accident_especially_major_loss_yuan"),
)


def unit(name: str) -> str:
    """What a setting counts: points, days, years, people, yuan or industries; or a switch (on or off)."""
    if name in INDUSTRY_LISTS:
        return "industries"
    if RuleSettings.model_fields[name].annotation is bool:
        return "switch"
    if name.endswith("_days"):
        return "days"
    if name.endswith("_years"):
        return "years"
    if name.endswith("_yuan"):
        return "yuan"
    if name.endswith(("_deaths", "_serious_injuries")) or name == "staffing_employee_threshold":
        return "people"
    return "points"


def is_whole_number(name: str) -> bool:
    """True for the settings that take whole numbers (counts, days, years)."""
    return RuleSettings.model_fields[name].annotation is int


@dataclass(frozen=True)
class RuleRow:
    """One setting as the settings page shows it."""

    name: str
    group: str
    unit: str
    default: Any
    current: Any
    changed: bool  # a value set in the app overrides the default
    updated_by: str | None
    updated_at: datetime | None
    description: str | None  # the field's description in the settings model (English), if any


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def same(name: str, a: Any, b: Any) -> bool:
    """True if two values of a setting are the same (an industry list in any order)."""
    if name in INDUSTRY_LISTS and isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return set(a) == set(b)
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return _close(float(a), float(b))
    return bool(_plain(a) == _plain(b))


def default_rules() -> RuleSettings:
    """The configured defaults: the design's values, or ``PARK_SAFETY_RULES__*``."""
    return get_settings().rules


def _stored(session: Session) -> dict[str, RuleSetting]:
    rows = session.execute(select(RuleSetting)).scalars().all()
    return {row.name: row for row in rows if row.name in NAMES}


def _merge(base: RuleSettings, values: Mapping[str, Any]) -> dict[str, Any]:
    return {**base.model_dump(), **values}


def effective_rules(session: Session) -> RuleSettings:
    """The rules in force: the configured defaults overridden by the values set in the app.

    Should the stored values not fit the defaults any more (the configuration changed under
    them), the defaults are used and the Settings page says so (:func:`stored_values_ignored`).
    """
    base = default_rules()
    stored = _stored(session)
    if not stored:
        return base
    try:
        return RuleSettings.model_validate(_merge(base, {n: json.loads(r.value) for n, r in stored.items()}))
    except (ValidationError, ValueError) as error:
        log.warning("rule settings stored in the database are ignored: %s", error)
        return base


def stored_values_ignored(session: Session) -> bool:
    """True when values are stored but do not fit the configured defaults, so the defaults apply."""
    stored = _stored(session)
    if not stored:
        return False
    try:
        RuleSettings.model_validate(_merge(default_rules(), {n: json.loads(r.value) for n, r in stored.items()}))
    except (ValidationError, ValueError):
        return True
    return False


def rule_rows(session: Session) -> list[RuleRow]:
    """Every setting, grouped in page order, with its default and the value in force."""
    base = default_rules()
    current = effective_rules(session)
    stored = _stored(session)
    rows = []
    for group, names in GROUPS:
        for name in names:
            row = stored.get(name)
            default, value = _plain(getattr(base, name)), _plain(getattr(current, name))
            rows.append(RuleRow(
                name=name, group=group, unit=unit(name), default=default, current=value,
                changed=not same(name, value, default), updated_by=row.updated_by if row else None,
                updated_at=_aware(row.updated_at) if row else None,
                description=RuleSettings.model_fields[name].description,
            ))
    return rows


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _number(value: Any) -> float:
    return float(value)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9


def check_rules(values: Mapping[str, Any], changed: Iterable[str]) -> RuleSettings:
    """Validate a full set of values as :class:`RuleSettings`; every problem names its field.

    ``changed`` are the fields the user changed: a sum or order that no longer holds is
    reported on them (on all the fields involved if none of them changed).
    """
    changed = set(changed)
    problems: list[FieldProblem] = []
    for name in changed:
        if name in INDUSTRY_LISTS:
            allowed = {industry.value for industry in Industry}
            items = values.get(name)
            if not isinstance(items, list | tuple):
                problems.append(FieldProblem(name, "invalid", {"value": items, "detail": "list"}))
                continue
            for item in items:
                if item not in allowed:
                    problems.append(FieldProblem(name, "not_one_of", {"value": item, "allowed": ", ".join(allowed)}))
    try:
        RuleSettings.model_validate(values)
    except ValidationError as error:
        problems.extend(p for p in problems_from(error) if p.field in NAMES)
    if problems:
        raise RecordInvalid(problems)
    # Every field is valid by itself: check how they fit together.
    typed = RuleSettings.model_construct(**{name: values[name] for name in NAMES if name in values})

    def blame(names: Iterable[str]) -> list[str]:
        names = list(names)
        return [n for n in names if n in changed] or names

    total = sum(_number(getattr(typed, n)) for n in WEIGHTS)
    if not _close(total, 100):
        for name in blame(WEIGHTS):
            problems.append(FieldProblem(name, "weights_sum", {"value": getattr(typed, name), "total": f"{total:g}"}))
    for whole, items in COMPONENT_ITEMS:
        parts = sum(_number(getattr(typed, n)) for n in items)
        expected = _number(getattr(typed, whole))
        if _close(parts, expected):
            continue
        for name in blame((whole, *items)):
            if name == whole:
                problems.append(FieldProblem(name, "whole_sum", {"value": getattr(typed, name), "total": f"{parts:g}"}))
            else:
                problems.append(FieldProblem(name, "items_sum", {
                    "value": getattr(typed, name), "other": whole, "expected": f"{expected:g}", "total": f"{parts:g}"}))
    for lower, higher in ORDER:
        low, high = getattr(typed, lower), getattr(typed, higher)
        if _number(low) <= _number(high):
            continue
        for name in blame((lower, higher)):
            if name == lower:
                problems.append(FieldProblem(name, "must_not_exceed", {"value": low, "other": higher,
                                                                        "other_value": high}))
            else:
                problems.append(FieldProblem(name, "must_be_at_least", {"value": high, "other": lower,
                                                                         "other_value": low}))
    if problems:
        raise RecordInvalid(problems)
    try:
        return RuleSettings.model_validate(values)
    except ValidationError as error:  # a check of the settings model this module does not know yet
        raise RecordInvalid(problems_from(error)) from None


def _write(session: Session, actor: Actor, *, action: str, merged: dict[str, Any], changed: list[str],
           current: RuleSettings, base: RuleSettings) -> RuleSettings:
    result = check_rules(merged, changed)
    stored = _stored(session)
    now = clock.now()
    for name in changed:
        value = _plain(getattr(result, name))
        if same(name, value, getattr(base, name)):
            # Back at its default: drop the row, so the setting follows the configuration again.
            session.execute(delete(RuleSetting).where(col(RuleSetting.name) == name))
            continue
        row = stored.get(name) or RuleSetting(name=name, value="", updated_by=actor.username)
        row.value = json.dumps(value, ensure_ascii=False)
        row.updated_by = actor.username
        row.updated_at = now
        session.add(row)
    session.flush()
    record_audit(session, actor=actor, action=action, entity=ENTITY, entity_id=None,
                 before={name: _plain(getattr(current, name)) for name in changed},
                 after={name: _plain(getattr(result, name)) for name in changed})
    bump_revision(session)
    return result


def save_rules(*, session: Session, actor: Actor, changes: Mapping[str, Any]) -> RuleSettings:
    """Set rule values; refused as a whole (``RecordInvalid``, nothing written) if any field is wrong.

    Values equal to those in force are ignored; a value equal to its default removes the
    stored one. Returns the rules now in force. The caller commits.
    """
    require(actor, Permission.manage_settings)
    unknown = [FieldProblem(name, "unknown_setting", {"value": name}) for name in changes if name not in NAMES]
    if unknown:
        raise RecordInvalid(unknown)
    base = default_rules()
    current = effective_rules(session)
    values = {name: _plain(value) for name, value in changes.items()}
    changed = [name for name in NAMES if name in values and not same(name, values[name], getattr(current, name))]
    if not changed:
        return current
    merged = {**_merge(current, {}), **{name: values[name] for name in changed}}
    return _write(session, actor, action="update", merged=merged, changed=changed, current=current, base=base)


def reset_rules(*, session: Session, actor: Actor, names: Iterable[str]) -> RuleSettings:
    """Put settings back to their defaults (checked like any change). The caller commits."""
    require(actor, Permission.manage_settings)
    names = list(names)
    unknown = [FieldProblem(name, "unknown_setting", {"value": name}) for name in names if name not in NAMES]
    if unknown:
        raise RecordInvalid(unknown)
    base = default_rules()
    current = effective_rules(session)
    changed = [name for name in NAMES if name in names and not same(name, getattr(current, name), getattr(base, name))]
    if not changed:
        return current
    merged = {**_merge(current, {}), **{name: _plain(getattr(base, name)) for name in changed}}
    return _write(session, actor, action="reset", merged=merged, changed=changed, current=current, base=base)


def reset_rule(*, session: Session, actor: Actor, name: str) -> RuleSettings:
    """Put one setting back to its default."""
    return reset_rules(session=session, actor=actor, names=[name])
