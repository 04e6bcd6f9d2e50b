"""The per-enterprise facts the rules read, already evaluated at one as-of date D.

The all-enterprise pass fills the counts and flags from a handful of grouped SQL queries
(``dashboard/services/facts.py``); the one-enterprise detail fills the same counts from the
enterprise's records and also lists those records in ``refs`` so every deduction and
every loan rule can name the records behind it. The rules never read anything else.

Date conventions (DESIGN.md section 4): "within N days" means D-N <= date <= D; a hazard
exists at D if found_on <= D; it is verified at D if verified_on <= D, else rectified at D
if rectified_on <= D, else open; open and deadline < D is overdue by D - deadline days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.enums import Industry, LoanDecision, MajorHazardSource, StandardizationGrade


@dataclass(frozen=True)
class RecordRef:
    """A record behind a figure: its table and id, with a short note (e.g. a deadline)."""

    table: str
    id: int
    note: str = ""


@dataclass(frozen=True)
class OverrideFact:
    """The loan override in force at D (the latest decided_on; on a tie the highest id)."""

    id: int
    decision: LoanDecision
    reason: str
    decided_by: str
    decided_on: date
    expires_on: date


@dataclass(frozen=True)
class EnterpriseFacts:
    """Everything the scorecard, the risk colour and loan eligibility need for one enterprise at D."""

    # the enterprise itself
    enterprise_id: int
    uscc: str
    name: str
    industry: Industry
    employees: int
    safety_org: bool
    safety_staff_fulltime: int
    safety_staff_parttime: int
    principal_certified: bool
    safety_managers_certified: bool
    special_operators: int
    special_operators_certified: int
    standardization_grade: StandardizationGrade
    major_hazard_source: MajorHazardSource
    license_expires_on: date | None

    # hazards at D (4.2)
    general_open_not_overdue: int = 0
    general_overdue: int = 0
    major_unverified_not_overdue: int = 0  # not verified and not overdue (open in time, or rectified)
    major_unverified_overdue: int = 0  # open and past its deadline
    overdue_within_limit: int = 0  # open hazards overdue by 1..loan_overdue_ineligible_days days (C2)
    overdue_past_limit: int = 0  # open hazards overdue by more than that (L3)

    # accidents (4.1 levels computed from the numbers); each window is a rule setting
    general_accidents: int = 0  # general-level accidents within accident_window_days (the scorecard)
    general_accidents_incomplete: int = 0  # ... of which any 四不放过 flag is false or null
    larger_accidents: int = 0  # larger-or-worse within accident_window_days (scorecard, escalation)
    loan_fatal_accidents: int = 0  # deaths >= 1 within loan_death_window_days (L4)
    loan_larger_accidents: int = 0  # larger-or-worse within loan_larger_accident_window_days (L4)
    loan_incomplete_accidents: int = 0  # a 四不放过 flag false or null, in loan_four_not_letting_go_window_days (L5)

    # training, signage, inspections
    all_staff_trained: bool = False  # an all-staff training within training_window_days
    signage_compliant: bool = False
    self_inspected: bool = False  # a self inspection within self_inspection_window_days

    # enforcement
    severe_enforcement: int = 0  # suspension, closure, prosecution or fine within enforcement_window_days
    rectification_orders: int = 0  # rectification orders within enforcement_window_days (compliance)
    suspension_in_force: int = 0  # decided <= D, not lifted at D (L6)
    closures: int = 0  # closure decided <= D, lifted or not (L6)
    loan_prosecutions: int = 0  # within loan_prosecution_window_days (L6)
    loan_fines_or_orders: int = 0  # fine or rectification order within loan_fine_window_days (C3)

    # dishonesty list and override
    dishonesty_listed: int = 0  # listings in force at D (L7)
    override: OverrideFact | None = None

    # the records behind the figures, by fact name; filled only by the one-enterprise detail
    refs: dict[str, tuple[RecordRef, ...]] = field(default_factory=dict)
