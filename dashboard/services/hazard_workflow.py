"""The hidden-hazard closed loop (DESIGN.md 4.2): find → rectify → verify → close (销号), and back.

Transitions, each asking only for what it needs:

============  ==============  =========================================================
from          to              needs
============  ==============  =========================================================
open          rectifying      nothing (work has started)
rectifying    open            a reason (the work stopped)
open,         rectified       ``rectified_on``: on or after ``found_on``, not in the future
rectifying
rectified     verified        ``verified_on`` on or after ``rectified_on``, not in the future,
                              and ``verified_by``; a major hazard also a file attached at the
                              stage ``rectified`` (整改后), unless the rule setting
                              ``verify_needs_photo`` is off
verified      open            a reason (reopening); clears rectified_on, verified_on and
                              verified_by, which the audit row keeps
============  ==============  =========================================================

Anything else is refused with the field ``status`` named. Every transition checks the
version the user saw (another user's save in between is refused, never overwritten),
writes an audit row with the record before and after (and the reason), and bumps the data
revision. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from dashboard.services.attachments import live_count
from dashboard.services.permissions import Actor, Permission, require
from dashboard.services.rule_settings import effective_rules
from dashboard.services.writes import update_audited
from models import Hazard
from models.attachment import AttachmentStage
from models.enums import HazardSeverity, HazardStatus
from models.validation import FieldProblem, RecordInvalid

REASON_MAX = 1000


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[HazardStatus]
    target: HazardStatus


TRANSITIONS: dict[str, Transition] = {
    t.name: t for t in (
        Transition("start_rectifying", frozenset({HazardStatus.open}), HazardStatus.rectifying),
        Transition("stop_rectifying", frozenset({HazardStatus.rectifying}), HazardStatus.open),
        Transition("rectify", frozenset({HazardStatus.open, HazardStatus.rectifying}), HazardStatus.rectified),
        Transition("verify", frozenset({HazardStatus.rectified}), HazardStatus.verified),
        Transition("reopen", frozenset({HazardStatus.verified}), HazardStatus.open),
    )
}


def allowed_transitions(status: HazardStatus) -> list[str]:
    """The transitions a hazard in ``status`` may take, in workflow order."""
    return [name for name, t in TRANSITIONS.items() if status in t.sources]


def _check_transition(hazard: Hazard, name: str) -> Transition:
    transition = TRANSITIONS[name]
    if hazard.status not in transition.sources:
        raise RecordInvalid([FieldProblem("status", "transition_refused", {
            "value": hazard.status.value, "target": transition.target.value,
            "allowed": ", ".join(sorted(s.value for s in transition.sources)),
        })])
    return transition


def _day(field: str, value: date | None, *, earliest: date, earliest_field: str, today: date) -> list[FieldProblem]:
    if value is None:
        return [FieldProblem(field, "required", {})]
    if value < earliest:
        return [FieldProblem(field, "date_before", {"value": value, "other": earliest_field, "other_value": earliest})]
    if value > today:
        return [FieldProblem(field, "in_the_future", {"value": value, "today": today})]
    return []


def _reason(reason: str | None) -> tuple[str | None, list[FieldProblem]]:
    text = (reason or "").strip()
    if not text:
        return None, [FieldProblem("reason", "required", {})]
    if len(text) > REASON_MAX:
        return None, [FieldProblem("reason", "too_long", {"max_length": REASON_MAX})]
    return text, []


def _rectification_photo(session: Session, hazard: Hazard) -> list[FieldProblem]:
    """A major hazard is verified on the evidence of its rectification (整改后): a live file at that stage,
    while the rule setting ``verify_needs_photo`` is on."""
    if hazard.severity != HazardSeverity.major or not effective_rules(session).verify_needs_photo:
        return []
    if live_count(session, "hazard", int(hazard.id or 0), AttachmentStage.rectified):
        return []
    return [FieldProblem("files", "verify_needs_photo", {})]


def transition_hazard(
    *,
    session: Session,
    actor: Actor,
    hazard_id: int,
    version: int,
    transition: str,
    today: date,
    rectified_on: date | None = None,
    verified_on: date | None = None,
    verified_by: str | None = None,
    reason: str | None = None,
) -> Hazard:
    """Move one hazard along the closed loop; raises ``RecordInvalid`` (nothing changed) or ``PermissionDenied``."""
    require(actor, Permission.edit_records)
    if transition not in TRANSITIONS:
        raise RecordInvalid([FieldProblem("status", "not_one_of", {"value": transition,
                                                                    "allowed": ", ".join(TRANSITIONS)})])
    note = _reason(reason)[0] if transition in ("stop_rectifying", "reopen") else None
    verifier = (verified_by or "").strip() or None

    def change(hazard: Hazard) -> None:
        """Checked against the hazard as it stands (after its version): the transition, then what it needs."""
        target = _check_transition(hazard, transition).target
        problems: list[FieldProblem] = []
        if transition == "rectify":
            problems += _day("rectified_on", rectified_on, earliest=hazard.found_on, earliest_field="found_on",
                             today=today)
        elif transition == "verify":
            assert hazard.rectified_on is not None  # status rectified implies it (a CHECK holds it)
            problems += _day("verified_on", verified_on, earliest=hazard.rectified_on,
                             earliest_field="rectified_on", today=today)
            if verifier is None:
                problems.append(FieldProblem("verified_by", "required", {}))
            problems += _rectification_photo(session, hazard)
        elif transition in ("stop_rectifying", "reopen"):
            problems += _reason(reason)[1]
        if problems:
            raise RecordInvalid(problems)
        hazard.status = target
        if transition == "rectify":
            hazard.rectified_on = rectified_on
        elif transition == "verify":
            hazard.verified_on = verified_on
            hazard.verified_by = verifier
        elif transition == "reopen":
            hazard.rectified_on = None
            hazard.verified_on = None
            hazard.verified_by = None

    return update_audited(session=session, actor=actor, table=Hazard, record_id=hazard_id, version=version,
                          change=change, action=transition, note={"reason": note} if note is not None else None)
