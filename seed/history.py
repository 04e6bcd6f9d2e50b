"""Each enterprise's 24 months of records: inspections in three tiers, the hazards they
found and how their rectification went, safety signs and their checks, training,
accidents, enforcement, dishonesty listings and loan overrides.

Every record is dated on or before the as-of date, and each hazard's status is what its
dates say on that day (DESIGN.md 4.2). Rows go to a sink in parent-before-child order
per enterprise, with ids taken in the order the rows are made.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from dashboard.rules.accident_level import accident_level
from dashboard.settings import RuleSettings
from models.enums import (
    EnforcementAction,
    HazardCategory,
    HazardSeverity,
    HazardStatus,
    Industry,
    InspectionTier,
    SignCondition,
    SignKind,
    TrainingAudience,
)
from seed.enterprises import EnterpriseFile
from seed.industries import COMMON_PLACES, HIGH_RISK, INDUSTRY_DEPARTMENTS, PROFILES
from seed.names import person_name
from seed.phrasebook import (
    ACCIDENT_ENFORCEMENT_REASONS,
    ACCIDENT_KINDS,
    CONTINGENCY_PLANS,
    DISHONESTY_REASONS,
    ENFORCEMENT_DOCUMENTS,
    ENFORCEMENT_REASONS,
    GENERAL_HAZARDS,
    GENERIC_MAJOR_HAZARDS,
    INSPECTION_NOTES,
    LARGER_ACCIDENT,
    MAJOR_HAZARDS,
    MAJOR_MEASURES,
    MEASURES,
    NO_INSPECTION_SOURCES,
    OVERRIDE_REASONS,
    PARK_STAFF,
    SIGN_LOCATIONS,
)
from seed.situations import BoardState, Diligence, OpenHazard, Situation
from seed.timeline import Timeline

Sink = Callable[[str, tuple[Any, ...]], None]
Tier = InspectionTier
Status = HazardStatus

_DAY = timedelta(days=1)
_GENERAL_DEADLINES = (3, 5, 7, 7, 10, 15, 15, 20, 30)
_MAJOR_DEADLINES = (30, 45, 60, 60, 90)
# P(a self inspection in a month)
_INSPECTION_ODDS = {Diligence.good: 0.95, Diligence.fair: 0.75, Diligence.poor: 0.45}
# P(rectified by the deadline), most days late otherwise
_RECTIFICATION = {Diligence.good: (0.93, 12), Diligence.fair: (0.8, 28), Diligence.poor: (0.6, 70)}
_MAJOR_FACTOR = {Diligence.good: 0.8, Diligence.fair: 1.3, Diligence.poor: 2.0}
# the odds that a training of each audience is held in a year
_TRAINING_ODDS = {Diligence.good: 0.92, Diligence.fair: 0.78, Diligence.poor: 0.5}
_TIER_WEIGHT = {Tier.self: 1.0, Tier.industry: 2.5, Tier.park: 3.0}
_SIGN_CONDITION = {BoardState.good: SignCondition.good, BoardState.stale: SignCondition.good,
                   BoardState.damaged: SignCondition.damaged, BoardState.missing: SignCondition.missing}
_CLOSED_OUT_AFTER = 45  # a controlled firm's earlier hazards were all found at least this many days ago


class Ids:
    """The next id of each table, so ids follow the order rows are made."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, table: str) -> int:
        value = self._next.get(table, 1)
        self._next[table] = value + 1
        return value


@dataclass(frozen=True)
class Inspectors:
    """Who inspects: the industry departments' inspectors and the park safety office (园区安监办)."""

    by_department: dict[str, tuple[str, ...]]

    @classmethod
    def draw(cls, rng: random.Random) -> Inspectors:
        departments = sorted({d for names in INDUSTRY_DEPARTMENTS.values() for d in names})
        return cls({d: tuple(person_name(rng) for _ in range(3)) for d in departments})


@dataclass
class _Inspection:
    on: date
    tier: InspectionTier
    inspector: str
    notes: str
    id: int = 0


@dataclass(frozen=True)
class _HazardSources:
    closed_out: bool  # every drawn hazard must be closed by the as-of date
    latest: date  # the last day a drawn hazard may be found
    inspections: list[_Inspection]
    cumulative_weights: list[float]


class HistoryWriter:
    """Writes one enterprise's history at a time."""

    def __init__(self, timeline: Timeline, sink: Sink, ids: Ids, inspectors: Inspectors,
                 rules: RuleSettings) -> None:
        self.timeline = timeline
        self.rules = rules  # the thresholds in force: an accident's stored level follows them
        self.sink = sink
        self.ids = ids
        self.inspectors = inspectors
        self.as_of = timeline.as_of
        self.start = timeline.start
        self.months = timeline.months()
        self._category_weights: dict[Industry, tuple[list[HazardCategory], list[float]]] = {
            industry: (list(p.categories), list(accumulate(p.categories.values())))
            for industry, p in PROFILES.items()
        }

    def write(self, firm: EnterpriseFile, random_hazards: int, planned_hazards: int, rng: random.Random) -> None:
        """All of ``firm``'s records: ``random_hazards`` from its history plus its first ``planned_hazards``
        open ones (the situation's)."""
        situation = firm.situation
        planned = situation.open_hazards[:planned_hazards]
        inspections = self._inspections(firm, rng)
        planned_found = [self._planned_found_on(hazard, rng) for hazard in planned]
        for found in planned_found:
            inspections.append(self._inspection(firm, found, rng.choice((Tier.park, Tier.industry)), rng))
        inspections.sort(key=lambda inspection: inspection.on)
        for inspection in inspections:
            inspection.id = self.ids.take("inspection")
            self.sink("inspection", (inspection.id, firm.id, inspection.on, inspection.tier.value,
                                     inspection.inspector, inspection.notes))

        pool = self._hazard_sources(firm, inspections)
        hazards = [self._random_hazard(firm, pool, rng) for _ in range(random_hazards)]
        by_date = {inspection.on: inspection for inspection in inspections if inspection.tier != Tier.self}
        hazards += [self._planned_hazard(firm, hazard, found, by_date[found], rng)
                    for hazard, found in zip(planned, planned_found, strict=True)]
        hazards.sort(key=lambda row: row[2])
        for row in hazards:
            self.sink("hazard", (self.ids.take("hazard"), *row))

        self._signs(firm, rng)
        self._training(firm, rng)
        self._accidents(firm, rng)
        self._enforcement(firm, rng)
        self._listing_and_overrides(firm, rng)

    # --- inspections (企业全面自查、行业专项检查、园区综合督查) ---

    def _inspection(self, firm: EnterpriseFile, on: date, tier: InspectionTier, rng: random.Random) -> _Inspection:
        if tier == Tier.self:
            return _Inspection(on, tier, firm.safety_lead, rng.choice(INSPECTION_NOTES["self"]))
        if tier == Tier.industry:
            department = rng.choice(INDUSTRY_DEPARTMENTS[firm.situation.industry])
            inspector = f"{department} {rng.choice(self.inspectors.by_department[department])}"
            return _Inspection(on, tier, inspector, rng.choice(INSPECTION_NOTES["industry"]).format(
                department=department.removeprefix("县")))
        half = "上半年" if on.month <= 6 else "下半年"
        return _Inspection(on, tier, f"园区安监办 {rng.choice(PARK_STAFF)}",
                           rng.choice(INSPECTION_NOTES["park"]).format(half=half))

    def _inspections(self, firm: EnterpriseFile, rng: random.Random) -> list[_Inspection]:
        situation = firm.situation
        until = firm.closed_on or self.as_of
        no_self_after = self.as_of - timedelta(days=95)
        odds = _INSPECTION_ODDS[situation.diligence]
        found: list[_Inspection] = []

        def some_day(first: date, last: date) -> date | None:
            last = min(last, until)
            return first + timedelta(days=rng.randint(0, (last - first).days)) if last >= first else None

        for first, last in self.months:
            day = some_day(first, last)
            if day is not None and rng.random() < odds and (situation.self_inspected or day < no_self_after):
                found.append(self._inspection(firm, day, Tier.self, rng))
        industry_odds = 0.85 if situation.industry in HIGH_RISK else 0.6
        for group, tier, group_odds in ((3, Tier.industry, industry_odds), (6, Tier.park, 0.95)):
            # periods counted back from the as-of month, so the latest is a whole quarter or half-year;
            # a shorter, oldest period gets its share of the odds
            for end in range(len(self.months), 0, -group):
                chunk = self.months[max(0, end - group):end]
                day = some_day(chunk[0][0], chunk[-1][1])
                if day is not None and rng.random() < group_odds * len(chunk) / group:
                    found.append(self._inspection(firm, day, tier, rng))
        recent = self.as_of - timedelta(days=89)
        if situation.self_inspected and until == self.as_of and not any(
                i.tier == Tier.self and i.on >= recent for i in found):
            found.append(self._inspection(firm, self.timeline.ago(rng.randint(2, 60)), Tier.self, rng))
        return found

    # --- hazards (隐患): find → rectify → verify ---

    def _planned_found_on(self, hazard: OpenHazard, rng: random.Random) -> date:
        deadline = self.as_of + timedelta(days=hazard.days_to_deadline)
        if hazard.severity == HazardSeverity.major:
            found = deadline - timedelta(days=rng.choice((45, 60)))
        elif hazard.days_to_deadline >= 0:
            found = self.as_of - timedelta(days=rng.randint(0, 6))
        else:
            found = deadline - timedelta(days=rng.choice((7, 10, 15)))
        return min(found, self.as_of)

    def _describe(self, firm: EnterpriseFile, major: bool, rng: random.Random) -> tuple[HazardCategory, str]:
        industry = firm.situation.industry
        if major:
            return rng.choice(MAJOR_HAZARDS.get(industry, GENERIC_MAJOR_HAZARDS))
        categories, cumulative = self._category_weights[industry]
        category = rng.choices(categories, cum_weights=cumulative)[0]
        place = rng.choice(PROFILES[industry].places if rng.random() < 0.75 else COMMON_PLACES)
        return category, rng.choice(GENERAL_HAZARDS[category]).format(place=place)

    def _hazard_row(self, firm: EnterpriseFile, inspection: _Inspection | None, found: date, major: bool,
                    category: HazardCategory, description: str, deadline: date, rectified: date | None,
                    verified: date | None, status: HazardStatus, exposed: bool,
                    rng: random.Random) -> tuple[Any, ...]:
        measures: str | None
        if major:
            responsible, measures = firm.legal_rep, rng.choice(MAJOR_MEASURES)
            funds: float | None = round(rng.uniform(50_000, 1_500_000), -3)
            plan: str | None = rng.choice(CONTINGENCY_PLANS)
        else:
            responsible = firm.safety_lead if rng.random() < 0.6 else person_name(rng)
            measures = rng.choice(MEASURES[category]) if rng.random() < 0.85 else None
            funds = round(rng.uniform(300, 30_000), -2) if rng.random() < 0.5 else None
            plan = None
        if inspection is None:
            description = f"{description}（{rng.choice(NO_INSPECTION_SOURCES)}）"
        verified_by = None
        if verified is not None:
            by_park = major or (inspection is not None and inspection.tier != Tier.self)
            verified_by = f"园区安监办 {rng.choice(PARK_STAFF)}" if by_park else firm.safety_lead
        if status == Status.rectifying:
            last_event = found + timedelta(days=rng.randint(0, max(0, (self.as_of - found).days)))
        else:
            last_event = verified or rectified or found
        return (
            firm.id, inspection.id if inspection else None, found, category.value,
            HazardSeverity.major.value if major else HazardSeverity.general.value, description, responsible,
            measures, funds, deadline, plan, status.value, rectified, verified, verified_by, major, exposed,
            self.timeline.stamp(found, rng.randint(60, 540)), self.timeline.stamp(last_event, rng.randint(560, 620)),
            1,
        )

    def _hazard_sources(self, firm: EnterpriseFile, inspections: list[_Inspection]) -> _HazardSources:
        """The inspections the firm's drawn hazards may come from, and the last day one may be found."""
        closed_out = firm.situation.controlled or firm.closed_on is not None
        latest = (firm.closed_on or self.as_of) - timedelta(days=_CLOSED_OUT_AFTER if closed_out else 0)
        latest = max(latest, self.start)
        candidates = [i for i in inspections if i.on <= latest]
        return _HazardSources(closed_out, latest, candidates,
                              list(accumulate(_TIER_WEIGHT[i.tier] for i in candidates)))

    def _random_hazard(self, firm: EnterpriseFile, pool: _HazardSources, rng: random.Random) -> tuple[Any, ...]:
        situation = firm.situation
        closed_out = pool.closed_out
        inspection: _Inspection | None = None
        if pool.inspections and rng.random() < 0.9:
            inspection = rng.choices(pool.inspections, cum_weights=pool.cumulative_weights)[0]
            found = inspection.on
        else:
            found = self.start + timedelta(days=rng.randint(0, (pool.latest - self.start).days))
        major_share = PROFILES[situation.industry].major_share * _MAJOR_FACTOR[situation.diligence]
        major = rng.random() < major_share
        category, description = self._describe(firm, major, rng)
        deadline = found + timedelta(days=rng.choice(_MAJOR_DEADLINES if major else _GENERAL_DEADLINES))

        on_time, most_late = _RECTIFICATION[Diligence.good if closed_out else situation.diligence]
        late_by = 0
        if rng.random() < on_time:
            rectified = found + timedelta(days=rng.randint(0, (deadline - found).days))
        else:
            late_by = rng.randint(1, most_late)
            rectified = deadline + timedelta(days=late_by)
        verified = rectified + timedelta(days=rng.randint(3, 20) if major else rng.randint(0, 7))
        if closed_out and verified > self.as_of:
            verified = self.as_of
            rectified = min(rectified, verified)
        exposed = (major and (late_by > 30 or rng.random() < 0.2)) or (late_by > 20 and rng.random() < 0.1)
        if rectified > self.as_of:
            progressed = (self.as_of - found).days >= 2 and rng.random() < 0.55
            status = Status.rectifying if progressed else Status.open
            return self._hazard_row(firm, inspection, found, major, category, description, deadline, None, None,
                                    status, exposed, rng)
        if verified > self.as_of:
            return self._hazard_row(firm, inspection, found, major, category, description, deadline, rectified,
                                    None, Status.rectified, exposed, rng)
        return self._hazard_row(firm, inspection, found, major, category, description, deadline, rectified,
                                verified, Status.verified, exposed, rng)

    def _planned_hazard(self, firm: EnterpriseFile, hazard: OpenHazard, found: date, inspection: _Inspection,
                        rng: random.Random) -> tuple[Any, ...]:
        major = hazard.severity == HazardSeverity.major
        category, description = self._describe(firm, major, rng)
        deadline = max(found, self.as_of + timedelta(days=hazard.days_to_deadline))
        rectified = None
        if hazard.status == Status.rectified:
            rectified = max(found, self.timeline.ago(hazard.rectified_days_ago))
        return self._hazard_row(firm, inspection, found, major, category, description, deadline, rectified, None,
                                hazard.status, hazard.exposed, rng)

    # --- safety signs (安全标志) and their checks ---

    def _signs(self, firm: EnterpriseFile, rng: random.Random) -> None:
        situation = firm.situation
        kinds: list[tuple[SignKind, BoardState]] = []  # (kind, state at the as-of date)
        if situation.board != BoardState.absent:
            kinds.append((SignKind.publicity_board, situation.board))
            if situation.board == BoardState.good and rng.random() < 0.25:
                kinds.append((SignKind.publicity_board, BoardState.good))
        careful = situation.controlled or situation.diligence == Diligence.good
        for kind, low, high in ((SignKind.warning_sign, 1, 4), (SignKind.evacuation_map, 1, 2), (SignKind.other, 0, 2)):
            for _ in range(rng.randint(low, high)):
                roll = rng.random()
                kinds.append((kind, BoardState.good if roll < (0.95 if careful else 0.85)
                              else BoardState.damaged if roll < 0.97 else BoardState.missing))
        locations: dict[SignKind, list[str]] = {
            kind: rng.sample(options, len(options)) for kind, options in SIGN_LOCATIONS.items()
        }
        for index, (kind, state) in enumerate(kinds):
            pool = locations[kind]
            location = pool[index % len(pool)]
            self._sign(firm, kind, location, state, rng)

    def _sign(self, firm: EnterpriseFile, kind: SignKind, location: str, state: BoardState,
              rng: random.Random) -> None:
        until = firm.closed_on or self.as_of
        board = kind == SignKind.publicity_board
        installed = self.timeline.ago(rng.randint(60, 1500))
        if not board and firm.closed_on is None and rng.random() < 0.04:
            installed = self.timeline.ago(rng.randint(0, 40))  # new, not yet checked
            sign_id = self.ids.take("safety_sign")
            self.sink("safety_sign",
                      (sign_id, firm.id, kind.value, location, installed, None, SignCondition.good.value))
            return
        if state == BoardState.stale:
            last = self.timeline.ago(rng.randint(200, 400))
        elif state == BoardState.good:
            last = self.timeline.ago(rng.randint(0, 150 if board else 300))
        else:
            last = self.timeline.ago(rng.randint(3, 120))
        last = max(min(last, until), self.start)
        installed = min(installed, last - timedelta(days=rng.randint(10, 200)))
        earliest = max(installed, self.start)
        low, high = (60, 120) if board else (150, 210)
        dates = [last]
        while (previous := dates[-1] - timedelta(days=rng.randint(low, high))) >= earliest:
            dates.append(previous)
        dates.reverse()
        final = _SIGN_CONDITION[state]
        conditions = [SignCondition.damaged if rng.random() < 0.05 else SignCondition.good for _ in dates[:-1]]
        conditions.append(final)
        sign_id = self.ids.take("safety_sign")
        self.sink("safety_sign", (sign_id, firm.id, kind.value, location, installed, last, final.value))
        for checked_on, condition in zip(dates, conditions, strict=True):
            by = firm.safety_lead if rng.random() < 0.7 else f"园区安监办 {rng.choice(PARK_STAFF)}"
            self.sink("sign_check", (self.ids.take("sign_check"), sign_id, checked_on, condition.value, by))

    # --- training (安全培训, 持证上岗) ---

    def _training(self, firm: EnterpriseFile, rng: random.Random) -> None:
        situation = firm.situation
        until = firm.closed_on or self.as_of
        high_risk = situation.industry in HIGH_RISK
        sessions: list[tuple[date, TrainingAudience, int, float]] = []
        if situation.all_staff_trained:
            last: date | None = self.timeline.ago(rng.randint(10, 330))
        else:
            last = self.timeline.ago(rng.randint(380, 700)) if rng.random() < 0.7 else None
        while last is not None and last >= self.start:
            if last <= until:
                attendees = max(1, round(firm.employees * rng.uniform(0.7, 0.98)))
                sessions.append((last, TrainingAudience.all_staff, attendees, 16.0 if high_risk else 8.0))
            last -= timedelta(days=rng.randint(330, 400))
        odds = 1.0 if situation.controlled else _TRAINING_ODDS[situation.diligence]
        years = ((self.start, self.start + timedelta(days=364)), (self.start + timedelta(days=365), self.as_of))
        audiences = [(TrainingAudience.principal, rng.randint(1, 2)),
                     (TrainingAudience.safety_manager, max(1, firm.safety_staff))]
        if firm.special_operators:
            audiences.append((TrainingAudience.special_operator, firm.special_operators))
        for first, last_day in years:
            for audience, people in audiences:
                day = first + timedelta(days=rng.randint(0, (last_day - first).days))
                if day <= until and rng.random() < odds:
                    if audience == TrainingAudience.special_operator:
                        attendees, hours = max(1, round(people * rng.uniform(0.5, 1.0))), float(rng.choice((8, 12, 16)))
                    else:
                        attendees, hours = people, 16.0 if high_risk else 12.0
                    sessions.append((day, audience, attendees, hours))
        sessions.sort(key=lambda session: session[0])
        for day, audience, attendees, hours in sessions:
            self.sink("training", (self.ids.take("training"), firm.id, day, audience.value, attendees, hours))

    # --- accidents (四不放过), enforcement (四个一律), listings, loan overrides ---

    def _accidents(self, firm: EnterpriseFile, rng: random.Random) -> None:
        industry = firm.situation.industry
        for accident in sorted(firm.situation.accidents, key=lambda a: -a.days_ago):
            if accident.confined_space_poisoning:
                kind, story = LARGER_ACCIDENT
            else:
                kind, story = rng.choice(ACCIDENT_KINDS[industry])
            harm = [f"{accident.deaths}人死亡"] if accident.deaths else []
            if accident.serious_injuries:
                harm.append(f"{accident.serious_injuries}人重伤")
            casualties = "、".join(harm) if harm else f"{rng.randint(1, 3)}人轻伤"
            description = (f"{story}，发生一起{kind}事故，造成{casualties}，"
                           f"直接经济损失约{accident.loss_yuan / 10_000:.1f}万元。")
            level = accident_level(accident.deaths, accident.serious_injuries, accident.loss_yuan, self.rules)
            self.sink("accident", (self.ids.take("accident"), firm.id, self.timeline.ago(accident.days_ago),
                                   accident.deaths, accident.serious_injuries, accident.loss_yuan,
                                   description, *accident.flags, level.value))

    def _enforcement(self, firm: EnterpriseFile, rng: random.Random) -> None:
        for planned in sorted(firm.situation.enforcement, key=lambda e: -e.days_ago):
            decided = self.timeline.ago(planned.days_ago)
            lifted = None
            if planned.lifted_after is not None and planned.lifted_after <= planned.days_ago:
                lifted = decided + timedelta(days=planned.lifted_after)
            action = planned.action.value
            document = ENFORCEMENT_DOCUMENTS[action].format(year=decided.year, n=rng.randint(1, 260))
            if planned.after_accident and action in ACCIDENT_ENFORCEMENT_REASONS:
                reason = ACCIDENT_ENFORCEMENT_REASONS[action]
            else:
                reason = rng.choice(ENFORCEMENT_REASONS[action])
            fine = planned.fine_yuan if planned.action == EnforcementAction.fine else None
            self.sink("enforcement", (self.ids.take("enforcement"), firm.id, decided, action, fine,
                                      f"{document}：{reason}", lifted))

    def _listing_and_overrides(self, firm: EnterpriseFile, rng: random.Random) -> None:
        situation: Situation = firm.situation
        listing = situation.listing
        if listing is not None:
            listed = self.timeline.ago(listing.days_ago)
            removed = None
            if listing.removed_after is not None and listing.removed_after <= listing.days_ago:
                removed = listed + timedelta(days=listing.removed_after)
            larger = any(a.deaths >= 3 for a in situation.accidents)
            reason = DISHONESTY_REASONS[0] if larger else rng.choice(DISHONESTY_REASONS[1:])
            self.sink("dishonesty_listing", (self.ids.take("dishonesty_listing"), firm.id, listed, reason, removed))
        for override in sorted(situation.overrides, key=lambda o: -o.days_ago):
            decided = self.timeline.ago(override.days_ago)
            expires = decided + timedelta(days=min(180, override.valid_days))
            reason = override.reason or rng.choice(OVERRIDE_REASONS[override.decision.value])
            self.sink("loan_override", (self.ids.take("loan_override"), firm.id, override.decision.value, reason,
                                        "finance", decided, expires))
