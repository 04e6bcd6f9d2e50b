"""The facts the rules read (``dashboard.rules.facts.EnterpriseFacts``), at one as-of date D.

Two deliberately independent implementations of the same facts:

* :func:`all_enterprise_facts` — every enterprise at once, from a handful of grouped SQL
  queries (one per table family, ``GROUP BY enterprise_id`` with conditional sums), joined
  by enterprise id in Python. The window dates (D-N) are computed here and bound as
  parameters, so SQLite and PostgreSQL run the same comparisons and give the same answers.
  This is the fast path: counts and flags only, no ``refs``.
* :func:`enterprise_facts_detail` — one enterprise, from its records, evaluated in Python;
  it also lists the records behind every figure in ``facts.refs``. The same code builds the
  facts of every enterprise with records (:func:`all_enterprise_facts_detail`, for exports
  that name the records) and of one enterprise at several dates (the score trend).

The tests hold the two implementations to the same answers, boundary by boundary.

Conventions (DESIGN.md section 4): "within N days" is D-N <= date <= D; a hazard exists at D
if found_on <= D, is verified if verified_on <= D, else rectified if rectified_on <= D, else
open (the status column is never read); overdue means open and deadline < D, by D - deadline
days.

The notes of the records in ``refs``: a hazard's is its deadline; an accident's the day it
occurred; an enforcement's the day it was decided; a dishonesty listing's the day it was
listed; an override's the day it was decided; the enterprise's (``license``) its licence
expiry, or nothing; a publicity board that fails (``signage_compliant``) says why: its
state's condition and check date (``damaged 2026-01-02``, ``good 2025-11-30`` when the check
is too old) or ``unchecked`` when it has no state at D.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlmodel import Session

from dashboard.rules.accident_level import accident_level
from dashboard.rules.facts import EnterpriseFacts, OverrideFact, RecordRef
from dashboard.rules.hazard_state import HazardState, days_overdue, hazard_state_at
from dashboard.rules.overrides import override_in_force
from dashboard.rules.signage import board_counts, sign_state_at
from dashboard.rules.windows import days_before, listing_cutoff, listing_in_force, within
from dashboard.services.hazard_index import VerifiedOnFirst
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
from models.enums import (
    AccidentLevel,
    EnforcementAction,
    HazardSeverity,
    InspectionTier,
    LoanDecision,
    SignCondition,
    SignKind,
    TrainingAudience,
)

Query: TypeAlias = Select[*tuple[Any, ...]]

SEVERE_ACTIONS = (
    EnforcementAction.suspension, EnforcementAction.closure, EnforcementAction.prosecution, EnforcementAction.fine,
)
FINE_OR_ORDER = (EnforcementAction.fine, EnforcementAction.rectification_order)

# the columns of the enterprise itself that EnterpriseFacts carries, in its order
PROFILE_FIELDS = (
    "uscc", "name", "industry", "employees", "safety_org", "safety_staff_fulltime", "safety_staff_parttime",
    "principal_certified", "safety_managers_certified", "special_operators", "special_operators_certified",
    "standardization_grade", "major_hazard_source", "license_expires_on",
)

# the facts that count records: each is the number of records the detail names behind it in ``refs``
COUNTED_FACTS = tuple(
    f.name for f in fields(EnterpriseFacts) if f.type in ("int", int) and f.name not in PROFILE_FIELDS
    and f.name not in ("enterprise_id",)
)
_COUNTED = frozenset(COUNTED_FACTS)


_HAZARD = Hazard.__table__  # type: ignore[attr-defined]
_ACCIDENT = Accident.__table__  # type: ignore[attr-defined]
_SIGN = SafetySign.__table__  # type: ignore[attr-defined]
_CHECK = SignCheck.__table__  # type: ignore[attr-defined]
_INSPECTION = Inspection.__table__  # type: ignore[attr-defined]
_TRAINING = Training.__table__  # type: ignore[attr-defined]
_ENFORCEMENT = Enforcement.__table__  # type: ignore[attr-defined]
_LISTING = DishonestyListing.__table__  # type: ignore[attr-defined]
_OVERRIDE = LoanOverride.__table__  # type: ignore[attr-defined]
_ENTERPRISE = Enterprise.__table__  # type: ignore[attr-defined]


ID_MAX = 2**31 - 1
"""The largest id a record can have: the id columns are INTEGER, 32 bits on PostgreSQL (which refuses a larger
number in a query with NumericValueOutOfRange, as SQLite overflows past 64 bits)."""


def record_id(raw: object) -> int | None:
    """The record id ``raw`` (text from a URL) names: plain ASCII digits from 1 to :data:`ID_MAX`, blanks
    around them ignored; None for anything else (negative, zero, not a number, too large, or digits such as
    "²" or "１２" that Python reads but no link holds)."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(ID_MAX)):
        return None
    value = int(text)
    return value if 1 <= value <= ID_MAX else None


class UnknownEnterprise(LookupError):
    """No enterprise has this id."""

    def __init__(self, enterprise_id: int) -> None:
        super().__init__(f"no enterprise has the id {enterprise_id}")
        self.enterprise_id = enterprise_id


@dataclass(frozen=True)
class Windows:
    """The dates one as-of date binds into the queries: the first day of every window, and the cutoffs."""

    as_of: date
    accidents_from: date  # scorecard accidents (accident_window_days)
    deaths_from: date  # L4 fatal accidents
    larger_from: date  # L4 larger-or-worse accidents
    incomplete_from: date  # L5 四不放过
    training_from: date
    self_inspection_from: date
    enforcement_from: date  # compliance component
    prosecution_from: date  # L6
    fines_from: date  # C3
    sign_checked_from: date  # 4.3: a board counts if checked on or after this day
    overdue_ineligible_before: date  # a deadline before this day is overdue by more than N days (L3)
    listing_after: date  # L7: a listing counts when listed_on is after this day

    @classmethod
    def at(cls, as_of: date, rules: RuleSettings) -> Windows:
        return cls(
            as_of=as_of,
            accidents_from=days_before(as_of, rules.accident_window_days),
            deaths_from=days_before(as_of, rules.loan_death_window_days),
            larger_from=days_before(as_of, rules.loan_larger_accident_window_days),
            incomplete_from=days_before(as_of, rules.loan_four_not_letting_go_window_days),
            training_from=days_before(as_of, rules.training_window_days),
            self_inspection_from=days_before(as_of, rules.self_inspection_window_days),
            enforcement_from=days_before(as_of, rules.enforcement_window_days),
            prosecution_from=days_before(as_of, rules.loan_prosecution_window_days),
            fines_from=days_before(as_of, rules.loan_fine_window_days),
            sign_checked_from=days_before(as_of, rules.sign_check_max_age_days),
            overdue_ineligible_before=days_before(as_of, rules.loan_overdue_ineligible_days),
            listing_after=listing_cutoff(as_of, rules.loan_dishonesty_years),
        )

    @property
    def earliest_accident(self) -> date:
        return min(self.accidents_from, self.deaths_from, self.larger_from, self.incomplete_from)

    @property
    def earliest_enforcement(self) -> date:
        return min(self.enforcement_from, self.prosecution_from, self.fines_from)


# --- the all-enterprise pass: grouped SQL ----------------------------------------------------------


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _between(column: Any, first: date, last: date) -> ColumnElement[bool]:
    return and_(column >= first, column <= last)


def _hazard_query(w: Windows) -> Query:
    """One row per enterprise with an unverified hazard at D: the six hazard counts.

    Only hazards that exist and are not verified at D count for anything, so the query reads
    just those: verified_on null or after D, found_on on or before D (two ranges of
    ``ix_hazard_state_at``, which holds every column needed).
    """
    h, d = _HAZARD, w.as_of
    columns = (h.c.enterprise_id, h.c.severity, h.c.deadline, h.c.rectified_on)
    unverified = union_all(
        select(*columns).where(h.c.verified_on.is_(None), h.c.found_on <= d),
        select(*columns).where(h.c.verified_on > d, h.c.found_on <= d),
    ).subquery("unverified")
    u = unverified.c
    is_open = or_(u.rectified_on.is_(None), u.rectified_on > d)
    overdue = and_(is_open, u.deadline < d)
    general = u.severity == HazardSeverity.general
    major = u.severity == HazardSeverity.major
    return (
        select(
            u.enterprise_id,
            _count(and_(general, is_open, u.deadline >= d)).label("general_open_not_overdue"),
            _count(and_(general, overdue)).label("general_overdue"),
            _count(and_(major, or_(~is_open, u.deadline >= d))).label("major_unverified_not_overdue"),
            _count(and_(major, overdue)).label("major_unverified_overdue"),
            _count(and_(overdue, u.deadline >= w.overdue_ineligible_before)).label("overdue_within_limit"),
            _count(and_(is_open, u.deadline < w.overdue_ineligible_before)).label("overdue_past_limit"),
        )
        .group_by(u.enterprise_id)
    )


def _larger_or_worse(a: Any, rules: RuleSettings) -> ColumnElement[bool]:
    """The accident reaches any criterion of larger, major or especially major (DESIGN.md 4.1)."""
    return or_(
        a.c.deaths >= rules.accident_larger_deaths,
        a.c.serious_injuries >= rules.accident_larger_serious_injuries,
        a.c.direct_loss_yuan >= rules.accident_larger_loss_yuan,
        a.c.deaths >= rules.accident_major_deaths,
        a.c.serious_injuries >= rules.accident_major_serious_injuries,
        a.c.direct_loss_yuan >= rules.accident_major_loss_yuan,
        a.c.deaths >= rules.accident_especially_major_deaths,
        a.c.serious_injuries >= rules.accident_especially_major_serious_injuries,
        a.c.direct_loss_yuan >= rules.accident_especially_major_loss_yuan,
    )


def _accident_query(w: Windows, rules: RuleSettings) -> Query:
    a, d = _ACCIDENT, w.as_of
    larger = _larger_or_worse(a, rules)
    incomplete = or_(
        a.c.cause_identified.is_not(true()), a.c.responsibles_handled.is_not(true()),
        a.c.measures_taken.is_not(true()), a.c.people_educated.is_not(true()),
    )
    in_scorecard_window = _between(a.c.occurred_on, w.accidents_from, d)
    return (
        select(
            a.c.enterprise_id,
            _count(and_(in_scorecard_window, ~larger)).label("general_accidents"),
            _count(and_(in_scorecard_window, ~larger, incomplete)).label("general_accidents_incomplete"),
            _count(and_(in_scorecard_window, larger)).label("larger_accidents"),
            _count(and_(_between(a.c.occurred_on, w.deaths_from, d), a.c.deaths >= 1)).label("loan_fatal_accidents"),
            _count(and_(_between(a.c.occurred_on, w.larger_from, d), larger)).label("loan_larger_accidents"),
            _count(and_(_between(a.c.occurred_on, w.incomplete_from, d), incomplete)).label(
                "loan_incomplete_accidents"),
        )
        .where(_between(a.c.occurred_on, w.earliest_accident, d))
        .group_by(a.c.enterprise_id)
    )


def _signage_query(w: Windows) -> Query:
    """Per enterprise with a publicity board installed by D: whether one of them is compliant (4.3).

    A board's state is its latest check on or before D (the highest id on a tie) — one
    backward seek of ``ix_sign_check_sign_latest`` per board, which reads the check's
    condition from the index too; it measured several times faster than ranking every check
    with ROW_NUMBER or joining the latest check back by id — else, when it has no check on
    or before D, its own last_checked_on and condition if last_checked_on <= D, else none.
    """
    s, c, d = _SIGN, _CHECK, w.as_of
    good = SignCondition.good
    latest_check_counts = (
        select(case((and_(c.c.condition == good, c.c.checked_on >= w.sign_checked_from), 1), else_=0))
        .where(c.c.safety_sign_id == s.c.id, c.c.checked_on <= d)
        .order_by(c.c.checked_on.desc(), c.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    own_check_counts = case(
        (and_(s.c.condition == good, _between(s.c.last_checked_on, w.sign_checked_from, d)), 1), else_=0)
    return (
        select(s.c.enterprise_id,
               func.max(func.coalesce(latest_check_counts, own_check_counts)).label("signage_compliant"))
        .where(s.c.kind == SignKind.publicity_board, s.c.installed_on <= d)
        .group_by(s.c.enterprise_id)
    )


def _self_inspection_query(w: Windows) -> Query:
    i = _INSPECTION
    return (
        select(i.c.enterprise_id, literal(1).label("self_inspected"))
        .where(i.c.tier == InspectionTier.self, _between(i.c.inspected_on, w.self_inspection_from, w.as_of))
        .group_by(i.c.enterprise_id)
    )


def _training_query(w: Windows) -> Query:
    t = _TRAINING
    return (
        select(t.c.enterprise_id, literal(1).label("all_staff_trained"))
        .where(t.c.audience == TrainingAudience.all_staff, _between(t.c.held_on, w.training_from, w.as_of))
        .group_by(t.c.enterprise_id)
    )


def _enforcement_query(w: Windows) -> Query:
    e, d = _ENFORCEMENT, w.as_of
    action = e.c.action
    return (
        select(
            e.c.enterprise_id,
            _count(and_(action.in_(SEVERE_ACTIONS), e.c.decided_on >= w.enforcement_from)).label(
                "severe_enforcement"),
            _count(and_(action == EnforcementAction.rectification_order, e.c.decided_on >= w.enforcement_from)).label(
                "rectification_orders"),
            _count(and_(action == EnforcementAction.suspension, or_(e.c.lifted_on.is_(None), e.c.lifted_on > d))).label(
                "suspension_in_force"),
            _count(action == EnforcementAction.closure).label("closures"),
            _count(and_(action == EnforcementAction.prosecution, e.c.decided_on >= w.prosecution_from)).label(
                "loan_prosecutions"),
            _count(and_(action.in_(FINE_OR_ORDER), e.c.decided_on >= w.fines_from)).label("loan_fines_or_orders"),
        )
        .where(e.c.decided_on <= d)
        .group_by(e.c.enterprise_id)
    )


def _listing_query(w: Windows) -> Query:
    li, d = _LISTING, w.as_of
    return (
        select(li.c.enterprise_id, func.count().label("dishonesty_listed"))
        .where(li.c.listed_on <= d, li.c.listed_on > w.listing_after,
               or_(li.c.removed_on.is_(None), li.c.removed_on > d))
        .group_by(li.c.enterprise_id)
    )


def _override_query(w: Windows) -> Query:
    """The override in force at D per enterprise: the latest decided_on, on a tie the highest id."""
    o, d = _OVERRIDE, w.as_of
    ranked = (
        select(
            o.c.id, o.c.enterprise_id, o.c.decision, o.c.reason, o.c.decided_by, o.c.decided_on, o.c.expires_on,
            func.row_number().over(partition_by=o.c.enterprise_id,
                                   order_by=(o.c.decided_on.desc(), o.c.id.desc())).label("rank"),
        )
        .where(o.c.decided_on <= d, o.c.expires_on >= d)
        .subquery("in_force")
    )
    r = ranked.c
    return select(r.id, r.enterprise_id, r.decision, r.reason, r.decided_by, r.decided_on, r.expires_on).where(
        r.rank == 1)


def _profile_query(enterprise_id: int | None = None) -> Query:
    e = _ENTERPRISE
    query = select(e.c.id, *(e.c[name] for name in PROFILE_FIELDS)).order_by(e.c.id)
    return query if enterprise_id is None else query.where(e.c.id == enterprise_id)


def _override_fact(row: Any) -> OverrideFact:
    return OverrideFact(id=row.id, decision=LoanDecision(row.decision), reason=row.reason,
                        decided_by=row.decided_by, decided_on=row.decided_on, expires_on=row.expires_on)


def all_enterprise_facts(session: Session, as_of: date, rules: RuleSettings) -> list[EnterpriseFacts]:
    """The facts of every enterprise at D (no ``refs``), from one grouped query per table family, by id."""
    w = Windows.at(as_of, rules)
    found: dict[int, dict[str, Any]] = defaultdict(dict)
    for query in (_hazard_query(w), _accident_query(w, rules), _signage_query(w), _self_inspection_query(w),
                  _training_query(w), _enforcement_query(w), _listing_query(w)):
        result = session.execute(query)
        names = list(result.keys())[1:]
        for row in result:
            found[row[0]].update(zip(names, row[1:], strict=True))
    for row in session.execute(_override_query(w)):
        found[row.enterprise_id]["override"] = _override_fact(row)
    facts = []
    for row in session.execute(_profile_query()):
        values = found.get(row[0], {})
        for flag in ("signage_compliant", "self_inspected", "all_staff_trained"):
            if flag in values:
                values[flag] = bool(values[flag])
        facts.append(EnterpriseFacts(row[0], *row[1:], **values))
    return facts


# --- one enterprise (or all) from its records, in Python --------------------------------------------


@dataclass(frozen=True, slots=True)
class HazardRecord:
    id: int
    severity: HazardSeverity
    found_on: date
    deadline: date
    rectified_on: date | None
    verified_on: date | None


@dataclass(frozen=True, slots=True)
class AccidentRecord:
    id: int
    occurred_on: date
    deaths: int
    serious_injuries: int
    direct_loss_yuan: float
    handled: bool  # all four 四不放过 flags true (a null flag counts as false)


@dataclass(frozen=True, slots=True)
class CheckRecord:
    id: int
    checked_on: date
    condition: SignCondition


@dataclass(frozen=True, slots=True)
class SignRecord:
    id: int
    kind: SignKind
    installed_on: date
    last_checked_on: date | None
    condition: SignCondition
    checks: tuple[CheckRecord, ...]


@dataclass(frozen=True, slots=True)
class DatedRecord:
    """An inspection (kind = tier), a training (kind = audience), an enforcement (kind = action,
    until = lifted_on) or a dishonesty listing (until = removed_on)."""

    id: int
    on: date
    kind: str = ""
    until: date | None = None


@dataclass
class EnterpriseRecords:
    """One enterprise and the records its facts are made of."""

    enterprise_id: int
    profile: tuple[Any, ...]  # the values of PROFILE_FIELDS
    hazards: list[HazardRecord] = field(default_factory=list)
    accidents: list[AccidentRecord] = field(default_factory=list)
    signs: list[SignRecord] = field(default_factory=list)
    inspections: list[DatedRecord] = field(default_factory=list)
    trainings: list[DatedRecord] = field(default_factory=list)
    enforcements: list[DatedRecord] = field(default_factory=list)
    listings: list[DatedRecord] = field(default_factory=list)
    overrides: list[OverrideFact] = field(default_factory=list)


def load_records(
    session: Session, *, enterprise_id: int | None = None, windows: Windows | None = None,
) -> dict[int, EnterpriseRecords]:
    """The records of one enterprise (``enterprise_id``) or of all, by enterprise id; one query per table.

    For one enterprise every record is loaded, so its facts can be evaluated at any date.
    For all enterprises, give ``windows`` (:meth:`Windows.at` the as-of date, with the rules in force):
    then only the records that can count at D are read — hazards found by D and not verified by D,
    accidents within the longest window, publicity boards installed by D and their checks by D, self
    inspections and all-staff trainings within their windows, enforcement and listings decided by D, and
    overrides in force.
    """
    w = windows if enterprise_id is None else None
    load = _RecordQueries(session, enterprise_id)
    records = {row[0]: EnterpriseRecords(row[0], tuple(row[1:]))
               for row in session.execute(_profile_query(enterprise_id))}

    h = _HAZARD
    hazard_columns = ("severity", "found_on", "deadline", "rectified_on", "verified_on")
    if w is None:
        hazards = load.rows(h, [h.c[name] for name in hazard_columns], None)
    else:  # found by D and unverified at D: two ranges of ix_hazard_state_at, not a walk of every hazard
        hv = VerifiedOnFirst(session)
        hazards = session.execute(
            select(hv.enterprise_id, hv.id, *(getattr(hv, name) for name in hazard_columns))
            .where(hv.found_on <= w.as_of, or_(hv.verified_on.is_(None), hv.verified_on > w.as_of))
            .order_by(hv.enterprise_id, hv.id))
    for row in hazards:
        if (owner := records.get(row[0])) is not None:
            owner.hazards.append(HazardRecord(*row[1:]))

    a = _ACCIDENT
    flags = (a.c.cause_identified, a.c.responsibles_handled, a.c.measures_taken, a.c.people_educated)
    for row in load.rows(a, (a.c.occurred_on, a.c.deaths, a.c.serious_injuries, a.c.direct_loss_yuan, *flags),
                         None if w is None else _between(a.c.occurred_on, w.earliest_accident, w.as_of)):
        if (owner := records.get(row[0])) is not None:
            handled = all(flag is True for flag in row[6:10])  # a null flag counts as false
            owner.accidents.append(AccidentRecord(row[1], row[2], row[3], row[4], row[5], handled))

    _load_signs(session, records, enterprise_id, w)

    i, t, e, li = _INSPECTION, _TRAINING, _ENFORCEMENT, _LISTING
    dated: tuple[tuple[Any, Any, Any, Any, str, ColumnElement[bool] | None], ...] = (
        (i, i.c.inspected_on, i.c.tier, None, "inspections",
         None if w is None else and_(i.c.tier == InspectionTier.self,
                                     _between(i.c.inspected_on, w.self_inspection_from, w.as_of))),
        (t, t.c.held_on, t.c.audience, None, "trainings",
         None if w is None else and_(t.c.audience == TrainingAudience.all_staff,
                                     _between(t.c.held_on, w.training_from, w.as_of))),
        (e, e.c.decided_on, e.c.action, e.c.lifted_on, "enforcements",
         None if w is None else e.c.decided_on <= w.as_of),
        (li, li.c.listed_on, None, li.c.removed_on, "listings", None if w is None else li.c.listed_on <= w.as_of),
    )
    for table, on, kind, until, target, narrowing in dated:
        columns = (on, literal("") if kind is None else kind, literal(None) if until is None else until)
        for row in load.rows(table, columns, narrowing):
            if (owner := records.get(row[0])) is not None:
                getattr(owner, target).append(DatedRecord(row[1], row[2], str(row[3]), row[4]))

    o = _OVERRIDE
    for row in load.rows(o, (o.c.decision, o.c.reason, o.c.decided_by, o.c.decided_on, o.c.expires_on),
                         None if w is None else and_(o.c.decided_on <= w.as_of, o.c.expires_on >= w.as_of)):
        if (owner := records.get(row[0])) is not None:
            owner.overrides.append(_override_fact(row))
    return records


@dataclass(frozen=True)
class _RecordQueries:
    """Reads (enterprise_id, id, *columns) of a table, for one enterprise or all, in id order."""

    session: Session
    enterprise_id: int | None

    def rows(self, table: Any, columns: Sequence[Any], narrowing: ColumnElement[bool] | None) -> Any:
        query: Query = select(table.c.enterprise_id, table.c.id, *columns)
        if self.enterprise_id is not None:
            query = query.where(table.c.enterprise_id == self.enterprise_id)
        if narrowing is not None:
            query = query.where(narrowing)
        return self.session.execute(query.order_by(table.c.enterprise_id, table.c.id))


def _load_signs(session: Session, records: dict[int, EnterpriseRecords], enterprise_id: int | None,
                w: Windows | None) -> None:
    """The signs and their checks. For all enterprises at D: the publicity boards installed by D, each with
    only its latest check on or before D (the one its state at D is read from, as in ``_signage_query``), not
    every check of its history."""
    s, c = _SIGN, _CHECK
    sign_columns = (s.c.enterprise_id, s.c.id, s.c.kind, s.c.installed_on, s.c.last_checked_on, s.c.condition)
    if w is not None:
        earlier = c.alias("earlier")
        latest = (
            select(earlier.c.id).where(earlier.c.safety_sign_id == s.c.id, earlier.c.checked_on <= w.as_of)
            .order_by(earlier.c.checked_on.desc(), earlier.c.id.desc()).limit(1).correlate(s).scalar_subquery()
        )
        boards = (
            select(*sign_columns, c.c.id, c.c.checked_on, c.c.condition)
            .select_from(s.outerjoin(c, c.c.id == latest))
            .where(s.c.kind == SignKind.publicity_board, s.c.installed_on <= w.as_of)
            .order_by(s.c.enterprise_id, s.c.id)
        )
        for row in session.execute(boards):
            if (owner := records.get(row[0])) is not None:
                latest_check = () if row[6] is None else (CheckRecord(row[6], row[7], row[8]),)
                owner.signs.append(SignRecord(row[1], row[2], row[3], row[4], row[5], latest_check))
        return
    signs = select(s.c.id)
    if enterprise_id is not None:
        signs = signs.where(s.c.enterprise_id == enterprise_id)
    check_query = select(c.c.safety_sign_id, c.c.id, c.c.checked_on, c.c.condition).where(
        c.c.safety_sign_id.in_(signs))
    checks: dict[int, list[CheckRecord]] = defaultdict(list)
    for row in session.execute(check_query.order_by(c.c.id)):
        checks[row[0]].append(CheckRecord(row[1], row[2], row[3]))
    sign_query = select(*sign_columns).where(s.c.id.in_(signs))
    for row in session.execute(sign_query.order_by(s.c.enterprise_id, s.c.id)):
        if (owner := records.get(row[0])) is not None:
            owner.signs.append(SignRecord(row[1], row[2], row[3], row[4], row[5], tuple(checks.get(row[1], ()))))


def facts_from_records(records: EnterpriseRecords, as_of: date, rules: RuleSettings) -> EnterpriseFacts:
    """The facts of one enterprise at D, evaluated record by record, with the records behind each in ``refs``."""
    d = as_of
    refs: dict[str, list[RecordRef]] = defaultdict(list)

    for hazard in records.hazards:
        state = hazard_state_at(hazard.found_on, hazard.rectified_on, hazard.verified_on, d)
        if state in (HazardState.absent, HazardState.verified):
            continue  # not yet found, or verified: counts for nothing
        is_open = state == HazardState.open
        overdue = days_overdue(state, hazard.deadline, d)
        ref = RecordRef("hazard", hazard.id, hazard.deadline.isoformat())
        if hazard.severity == HazardSeverity.major:
            refs["major_unverified_overdue" if overdue > 0 else "major_unverified_not_overdue"].append(ref)
        elif is_open:
            refs["general_overdue" if overdue > 0 else "general_open_not_overdue"].append(ref)
        if overdue > rules.loan_overdue_ineligible_days:
            refs["overdue_past_limit"].append(ref)
        elif overdue > 0:
            refs["overdue_within_limit"].append(ref)

    for accident in records.accidents:
        when = accident.occurred_on
        larger = accident_level(accident.deaths, accident.serious_injuries, accident.direct_loss_yuan,
                                rules) != AccidentLevel.general
        ref = RecordRef("accident", accident.id, when.isoformat())
        if within(when, d, rules.accident_window_days):
            if larger:
                refs["larger_accidents"].append(ref)
            else:
                refs["general_accidents"].append(ref)
                if not accident.handled:
                    refs["general_accidents_incomplete"].append(ref)
        if accident.deaths >= 1 and within(when, d, rules.loan_death_window_days):
            refs["loan_fatal_accidents"].append(ref)
        if larger and within(when, d, rules.loan_larger_accident_window_days):
            refs["loan_larger_accidents"].append(ref)
        if not accident.handled and within(when, d, rules.loan_four_not_letting_go_window_days):
            refs["loan_incomplete_accidents"].append(ref)

    signage_compliant = False
    for sign in records.signs:
        if sign.kind != SignKind.publicity_board or sign.installed_on > d:
            continue
        sign_state = sign_state_at(((c.checked_on, c.id, c.condition) for c in sign.checks),
                                   sign.last_checked_on, sign.condition, d)
        if board_counts(sign.kind, sign.installed_on, sign_state, d, rules.sign_check_max_age_days):
            signage_compliant = True
        else:
            note = "unchecked" if sign_state is None else f"{sign_state[1]} {sign_state[0].isoformat()}"
            refs["signage_compliant"].append(RecordRef("safety_sign", sign.id, note))

    # A flag that holds is held up by its latest record; the older ones in the window add nothing to read.
    self_inspections = [i for i in records.inspections
                        if i.kind == InspectionTier.self and within(i.on, d, rules.self_inspection_window_days)]
    if self_inspections:
        latest = max(self_inspections, key=lambda i: (i.on, i.id))
        refs["self_inspected"].append(RecordRef("inspection", latest.id, latest.on.isoformat()))
    trainings = [t for t in records.trainings
                 if t.kind == TrainingAudience.all_staff and within(t.on, d, rules.training_window_days)]
    if trainings:
        latest_training = max(trainings, key=lambda t: (t.on, t.id))
        refs["all_staff_trained"].append(RecordRef("training", latest_training.id, latest_training.on.isoformat()))

    for action in records.enforcements:
        if action.on > d:
            continue
        ref = RecordRef("enforcement", action.id, action.on.isoformat())
        kind = action.kind
        if kind in SEVERE_ACTIONS and within(action.on, d, rules.enforcement_window_days):
            refs["severe_enforcement"].append(ref)
        if kind == EnforcementAction.rectification_order and within(action.on, d, rules.enforcement_window_days):
            refs["rectification_orders"].append(ref)
        if kind == EnforcementAction.suspension and (action.until is None or action.until > d):
            refs["suspension_in_force"].append(ref)
        if kind == EnforcementAction.closure:
            refs["closures"].append(ref)
        if kind == EnforcementAction.prosecution and within(action.on, d, rules.loan_prosecution_window_days):
            refs["loan_prosecutions"].append(ref)
        if kind in FINE_OR_ORDER and within(action.on, d, rules.loan_fine_window_days):
            refs["loan_fines_or_orders"].append(ref)

    for listing in records.listings:
        if listing_in_force(listing.on, listing.until, d, rules.loan_dishonesty_years):
            refs["dishonesty_listed"].append(RecordRef("dishonesty_listing", listing.id, listing.on.isoformat()))

    override = override_in_force(records.overrides, d)
    if override is not None:
        refs["override"].append(RecordRef("loan_override", override.id, override.decided_on.isoformat()))

    expires = records.profile[PROFILE_FIELDS.index("license_expires_on")]
    refs["license"].append(RecordRef("enterprise", records.enterprise_id, expires.isoformat() if expires else ""))

    frozen = {name: tuple(found) for name, found in refs.items()}
    values: dict[str, Any] = dict(zip(PROFILE_FIELDS, records.profile, strict=True))
    values.update((name, len(found)) for name, found in frozen.items() if name in _COUNTED)  # the others are 0
    return EnterpriseFacts(
        enterprise_id=records.enterprise_id, **values,
        signage_compliant=signage_compliant,
        self_inspected=bool(frozen.get("self_inspected")),
        all_staff_trained=bool(frozen.get("all_staff_trained")),
        override=override, refs=frozen,
    )


def enterprise_records(session: Session, enterprise_id: int) -> EnterpriseRecords:
    """Every record of one enterprise (raises :class:`UnknownEnterprise`)."""
    if not 1 <= enterprise_id <= ID_MAX:  # no query: PostgreSQL refuses an id outside its integer
        raise UnknownEnterprise(enterprise_id)
    found = load_records(session, enterprise_id=enterprise_id).get(enterprise_id)
    if found is None:
        raise UnknownEnterprise(enterprise_id)
    return found


def enterprise_facts_detail(session: Session, enterprise_id: int, as_of: date, rules: RuleSettings) -> EnterpriseFacts:
    """One enterprise's facts at D, from its records, with the records behind every figure in ``refs``."""
    return facts_from_records(enterprise_records(session, enterprise_id), as_of, rules)


def all_enterprise_facts_detail(session: Session, as_of: date, rules: RuleSettings) -> list[EnterpriseFacts]:
    """Every enterprise's facts at D with ``refs``, from the records that can count at D (a few queries)."""
    records = load_records(session, windows=Windows.at(as_of, rules))
    return [facts_from_records(found, as_of, rules) for found in records.values()]


def fact_counts(facts: EnterpriseFacts) -> dict[str, Any]:
    """The figures of one enterprise's facts, without ``refs`` (for comparing two implementations)."""
    return {f.name: getattr(facts, f.name) for f in fields(EnterpriseFacts) if f.name != "refs"}

