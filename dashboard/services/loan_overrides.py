"""Recording a finance override of an enterprise's loan status (信贷支持人工认定, DESIGN.md 4.6).

Only finance and admin may record one (``Permission.override_loans``). The decision is taken on
the park's today by the acting user; it needs a reason, and it expires at most
``rules.loan_override_max_days`` days after it was decided (the setting in force, checked here: the
model has no setting to read). A refused override writes nothing; an accepted one is audited and bumps the data
revision, so every page shows the new effective status on its next run.

An override can be ended early: its last day becomes yesterday, so from today the computed status
applies again. One decided today has no yesterday; ending it withdraws it (the row is removed and
the audit log keeps it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from dashboard.clock import park_today
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.rule_settings import effective_rules
from dashboard.services.writes import delete_audited, insert_audited, update_audited
from dashboard.settings import RuleSettings
from models import Enterprise
from models.loan import LoanOverride, LoanOverrideCreate
from models.validation import FieldProblem, RecordInvalid, validate

ENTITY = "loan_override"


def create_override(
    *,
    session: Session,
    actor: Actor,
    data: Mapping[str, Any],
    today: date | None = None,
    rules: RuleSettings | None = None,
) -> LoanOverride:
    """Validate and record one override decided by ``actor`` on ``today`` (the park's today by default).

    ``data`` holds ``enterprise_id``, ``decision`` (eligible / ineligible), ``reason`` and
    ``expires_on``; ``decided_by`` and ``decided_on`` are the actor and the day. Raises
    :class:`PermissionDenied` for a role without ``override_loans`` and :class:`RecordInvalid`
    naming every field with a problem; nothing is written then. The caller commits.
    """
    require(actor, Permission.override_loans)
    decided_on = today or park_today()
    max_days = (rules or effective_rules(session)).loan_override_max_days
    values = {**dict(data), "decided_by": actor.username, "decided_on": decided_on}
    try:
        valid = validate(LoanOverrideCreate, values)
    except RecordInvalid as refused:
        problems = list(refused.problems)
        problems.extend(_unknown_enterprise(session, values.get("enterprise_id"), problems))
        raise RecordInvalid(problems) from None
    problems = list(_unknown_enterprise(session, valid.enterprise_id, []))
    if valid.expires_on > valid.decided_on + timedelta(days=max_days):
        problems.append(_limit_problem(valid.expires_on, valid.decided_on, max_days))
    if problems:
        raise RecordInvalid(problems)
    return insert_audited(session=session, actor=actor, table=LoanOverride, valid=valid)


def end_override(
    *, session: Session, actor: Actor, override_id: int, today: date | None = None
) -> LoanOverride | None:
    """End an override from ``today`` on: its expiry becomes yesterday, or, if it was decided today
    (or later), it is withdrawn. Returns the ended row, or None when it was withdrawn.

    An override that has already run out by yesterday is refused (``expires_on``); so is an
    unknown one (``id``). Audited, and the data revision bumped. The caller commits.
    """
    require(actor, Permission.override_loans)
    yesterday = (today or park_today()) - timedelta(days=1)

    def still_running(row: LoanOverride) -> None:
        if row.expires_on <= yesterday:
            raise RecordInvalid([FieldProblem("expires_on", "already_ended", {"value": row.expires_on})])

    existing = session.get(LoanOverride, override_id)
    if existing is not None and existing.decided_on > yesterday:  # decided today: there is no yesterday to end on
        delete_audited(session=session, actor=actor, table=LoanOverride, record_id=override_id, check=still_running)
        return None

    def end(row: LoanOverride) -> None:
        row.expires_on = yesterday

    return update_audited(session=session, actor=actor, table=LoanOverride, record_id=override_id,
                          check=still_running, change=end)


def _unknown_enterprise(session: Session, enterprise_id: Any, found: list[FieldProblem]) -> list[FieldProblem]:
    """A problem if ``enterprise_id`` is a whole number naming no enterprise (and none is reported yet)."""
    if any(p.field == "enterprise_id" for p in found) or isinstance(enterprise_id, bool):
        return []
    try:
        number = int(enterprise_id)
    except (TypeError, ValueError):
        return []
    if session.get(Enterprise, number) is None:
        return [FieldProblem("enterprise_id", "unknown_reference", {"value": number})]
    return []


def _limit_problem(expires_on: date, decided_on: date, max_days: int) -> FieldProblem:
    return FieldProblem("expires_on", "date_after_limit", {
        "value": expires_on, "days": max_days, "other": "decided_on", "other_value": decided_on,
    })

