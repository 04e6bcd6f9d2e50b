"""Where each enterprise stands on the last day of the history: the situation its file
shows the committee.

The first enterprises are archetypes, chosen so that the default park shows every grade
(A–D), every four-colour risk (蓝黄橙红) and every loan status, each for a reason a reader
can find in the records (DESIGN.md 4.4–4.6). The scores in the comments are what the
rules give with their default weights. The other enterprises get a situation drawn at
random, shaped by how diligent the firm is.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from models.enums import (
    EnforcementAction,
    HazardSeverity,
    HazardStatus,
    Industry,
    LoanDecision,
    MajorHazardSource,
    StandardizationGrade,
)
from seed.industries import HIGH_RISK, LICENSED, MAJOR_HAZARD_SOURCE_ODDS, PROFILES
from seed.phrasebook import AWAITING_VERIFICATION_OVERRIDE

Grade = StandardizationGrade
Action = EnforcementAction
T = TypeVar("T")


class Diligence(StrEnum):
    """How seriously a firm takes safety; shapes its random history."""

    good = "good"
    fair = "fair"
    poor = "poor"


class BoardState(StrEnum):
    """The state of the firm's safety publicity board (安全生产宣传牌) at the as-of date; other signs
    end in good, damaged or missing."""

    good = "good"  # in good condition, checked within 180 days
    stale = "stale"  # in good condition when last checked, more than 180 days ago
    damaged = "damaged"
    missing = "missing"
    absent = "absent"  # the firm never put one up


class LicenceState(StrEnum):
    valid = "valid"  # more than 60 days to run
    expiring = "expiring"  # expires within 60 days
    expired = "expired"
    absent = "absent"  # a licensed industry without a licence


@dataclass(frozen=True)
class OpenHazard:
    """A hazard not yet closed at the as-of date."""

    severity: HazardSeverity
    days_to_deadline: int  # deadline minus the as-of date: negative when overdue
    status: HazardStatus = HazardStatus.open  # open, rectifying, or rectified (awaiting verification)
    rectified_days_ago: int = 0
    exposed: bool = False  # 公开曝光


@dataclass(frozen=True)
class PlannedAccident:
    days_ago: int
    deaths: int
    serious_injuries: int
    loss_yuan: float
    # 四不放过: cause identified, responsibles handled, measures taken, people educated
    flags: tuple[bool | None, bool | None, bool | None, bool | None] = (True, True, True, True)
    confined_space_poisoning: bool = False


@dataclass(frozen=True)
class PlannedEnforcement:
    action: EnforcementAction
    days_ago: int
    lifted_after: int | None = None  # days after the decision; None: not lifted
    fine_yuan: float | None = None
    after_accident: bool = False  # decided because of an accident


@dataclass(frozen=True)
class PlannedListing:
    days_ago: int
    removed_after: int | None = None


@dataclass(frozen=True)
class PlannedOverride:
    decision: LoanDecision
    days_ago: int
    valid_days: int  # expires_on = decided_on + valid_days (at most 180)
    reason: str | None = None  # None: one of the usual reasons for the decision


@dataclass(frozen=True)
class Situation:
    """What an enterprise's file shows at the as-of date, and how its history was lived."""

    archetype: str  # "" for a firm drawn at random
    industry: Industry
    diligence: Diligence
    controlled: bool  # all earlier hazards closed; only ``open_hazards`` are open at the as-of date
    standardization: StandardizationGrade
    major_hazard_source: MajorHazardSource
    licence: LicenceState
    staffing_lawful: bool = True
    principal_certified: bool = True
    managers_certified: bool = True
    operators: tuple[int, int] | None = None  # (special operators, certified); None: by industry and diligence
    all_staff_trained: bool = True  # an all_staff training within 365 days
    self_inspected: bool = True  # a self inspection within 90 days
    board: BoardState = BoardState.good
    licence_days: int | None = None  # days from the as-of date to the licence's expiry, when it matters
    open_hazards: tuple[OpenHazard, ...] = ()
    accidents: tuple[PlannedAccident, ...] = ()
    enforcement: tuple[PlannedEnforcement, ...] = ()
    listing: PlannedListing | None = None
    overrides: tuple[PlannedOverride, ...] = ()

    @property
    def closed_days_ago(self) -> int | None:
        """Days since the closure (关闭取缔), if the firm was closed."""
        closures = [e.days_ago for e in self.enforcement if e.action == Action.closure]
        return max(closures) if closures else None


def _model(archetype: str, industry: Industry, grade: StandardizationGrade,
           source: MajorHazardSource = MajorHazardSource.none) -> Situation:
    """A firm with everything in order; archetypes change what they are about."""
    return Situation(archetype, industry, Diligence.good, True, grade, source, LicenceState.valid)


def _general(days_to_deadline: int, status: HazardStatus = HazardStatus.open, exposed: bool = False) -> OpenHazard:
    return OpenHazard(HazardSeverity.general, days_to_deadline, status, exposed=exposed)


Ind, Src, St = Industry, MajorHazardSource, HazardStatus

# Score, grade, inherent risk → colour, loan status (DESIGN.md 4.4–4.6, default weights).
ARCHETYPES: tuple[Situation, ...] = (
    # 100 A, high → yellow, eligible: the park's model chemical plant
    _model("model_chemicals", Ind.hazardous_chemicals, Grade.level1, Src.grade2),
    # 99 A, low → blue, eligible
    _model("model_machinery", Ind.machinery, Grade.level2),
    # 100-5-2-2-8 = 83 B, low → blue, conditional (C2: overdue 1–30 days)
    replace(_model("overdue_light_industry", Ind.light_industry, Grade.none), principal_certified=False,
            all_staff_trained=False, open_hazards=(_general(-5), _general(-12, St.rectifying))),
    # 100-5-5-2-2-8-8 = 70 C, low → yellow, conditional (C1, C2)
    replace(_model("struggling_textiles", Ind.textiles, Grade.none), staffing_lawful=False,
            principal_certified=False, managers_certified=False, open_hazards=(_general(-3), _general(-20)),
            accidents=(PlannedAccident(200, 0, 1, 180_000),)),
    # 100-10-5-5-2-2-2-5-12 = 57 D, low → orange, ineligible (L1 no publicity board, L9 grade D)
    replace(_model("neglected_trader", Ind.commerce_trade, Grade.none), board=BoardState.absent,
            staffing_lawful=False, principal_certified=False, managers_certified=False, all_staff_trained=False,
            open_hazards=(_general(-4), _general(-9), _general(-26)),
            enforcement=(PlannedEnforcement(Action.fine, 90, fine_yuan=10_000),)),
    # 100-2-5-10-8-13-5 = 57 D, high → red, ineligible (L1, L5, L8, L9)
    replace(_model("unsafe_fireworks", Ind.fireworks, Grade.level3), licence=LicenceState.expired, licence_days=-20,
            board=BoardState.damaged, open_hazards=(_general(-6), _general(-18, St.rectifying)),
            accidents=(PlannedAccident(300, 0, 2, 350_000, (True, True, False, True)),),
            enforcement=(PlannedEnforcement(Action.rectification_order, 290),
                         PlannedEnforcement(Action.fine, 280, fine_yuan=50_000))),
    # 100-1-4-2-2-2-1 = 88 B, high → orange, conditional (C2, C3, C4: licence expires in 25 days)
    replace(_model("busy_chemicals", Ind.hazardous_chemicals, Grade.level2, Src.grade3),
            licence=LicenceState.expiring, licence_days=25, all_staff_trained=False, operators=(12, 9),
            open_hazards=(_general(-8, St.rectifying), _general(6), _general(11)),
            enforcement=(PlannedEnforcement(Action.rectification_order, 200),)),
    # 100-1-18-2 = 79 B, red (major hazard not verified), ineligible (L2, L3); listed and publicly exposed
    replace(_model("major_hazard_overdue", Ind.hazardous_chemicals, Grade.level2, Src.grade1),
            open_hazards=(OpenHazard(HazardSeverity.major, -45, St.rectifying, exposed=True),),
            enforcement=(PlannedEnforcement(Action.rectification_order, 50),)),
    # 100-25-1-5 = 69 C, red (larger accident), ineligible (L4, L5, L6, L7); suspended
    replace(_model("larger_accident", Ind.hazardous_chemicals, Grade.level2, Src.grade2),
            accidents=(PlannedAccident(120, 3, 1, 5_200_000, (True, True, True, None), confined_space_poisoning=True),),
            enforcement=(PlannedEnforcement(Action.suspension, 118, after_accident=True),
                         PlannedEnforcement(Action.fine, 100, fine_yuan=1_500_000, after_accident=True),
                         PlannedEnforcement(Action.prosecution, 60, after_accident=True)),
            listing=PlannedListing(90)),
    # 100-1-12 = 87 B, red, computed ineligible (L2: rectified, awaiting verification); overridden to eligible
    replace(_model("awaiting_verification", Ind.hazardous_chemicals, Grade.level2, Src.grade4),
            open_hazards=(OpenHazard(HazardSeverity.major, 10, St.rectified, rectified_days_ago=5),),
            overrides=(PlannedOverride(LoanDecision.eligible, 3, 60, AWAITING_VERIFICATION_OVERRIDE),)),
    # 100-2-2-3-1.6-2 = 89.4 B, medium → yellow, conditional (C3: rectification order)
    replace(_model("steady_nonferrous", Ind.nonferrous_metals, Grade.level3, Src.grade4), operators=(5, 3),
            all_staff_trained=False, open_hazards=(_general(5), _general(9), _general(14, St.rectifying)),
            enforcement=(PlannedEnforcement(Action.rectification_order, 100),)),
    # 100-5-5-2-2-4-4-1.6-2-5 = 69.4 C, medium → orange, conditional (C1, C2, C3)
    replace(_model("lax_transport", Ind.road_transport, Grade.none), staffing_lawful=False,
            principal_certified=False, managers_certified=False, self_inspected=False, all_staff_trained=False,
            operators=(10, 6), open_hazards=(_general(-15), _general(2), _general(4), _general(8), _general(12)),
            enforcement=(PlannedEnforcement(Action.fine, 150, fine_yuan=20_000),)),
    # 100-1-12 = 87 B, red (major hazard rectifying), ineligible (L2)
    replace(_model("major_hazard_rectifying", Ind.metallurgy, Grade.level2, Src.grade3),
            open_hazards=(OpenHazard(HazardSeverity.major, 20, St.rectifying),)),
    # 100-2-4 = 94 A, low → blue, ineligible (L3: overdue by more than 30 days)
    replace(_model("long_overdue", Ind.building_materials, Grade.level3),
            open_hazards=(_general(-42, exposed=True),)),
    # 100-2-5 = 93 A, medium → blue, ineligible (L8: licence expired); an override that has run out
    replace(_model("expired_licence", Ind.construction, Grade.level3), licence=LicenceState.expired,
            licence_days=-75, overrides=(PlannedOverride(LoanDecision.eligible, 300, 120),)),
    # 100-2-5-2 = 91 A, high → yellow, ineligible (L8: no licence at all)
    replace(_model("unlicensed_quarry", Ind.non_coal_mining, Grade.level3), licence=LicenceState.absent,
            all_staff_trained=False),
    # 100-2-8-5 = 85 B, low → blue, ineligible (L4: a death within 365 days), C3
    replace(_model("fatal_accident", Ind.machinery, Grade.level3),
            accidents=(PlannedAccident(200, 1, 0, 1_500_000),),
            enforcement=(PlannedEnforcement(Action.fine, 180, fine_yuan=400_000, after_accident=True),)),
    # closed (关闭取缔) after a suspension that was never lifted: ineligible (L1 stale board, L6)
    replace(_model("closed_down", Ind.light_industry, Grade.none), board=BoardState.stale, self_inspected=False,
            all_staff_trained=False,
            enforcement=(PlannedEnforcement(Action.suspension, 260), PlannedEnforcement(Action.closure, 150))),
    # 100-2-5 = 93 A, low → blue, conditional (C3); its suspension was lifted
    replace(_model("suspension_lifted", Ind.building_materials, Grade.level3),
            enforcement=(PlannedEnforcement(Action.rectification_order, 250),
                         PlannedEnforcement(Action.suspension, 240, lifted_after=45))),
    # 98 A, low → blue, eligible: listed once, removed after credit repair (信用修复)
    replace(_model("listing_removed", Ind.textiles, Grade.level3), listing=PlannedListing(600, removed_after=400)),
    # 100-1-10 = 89 B, low → blue, ineligible (L1: board last checked more than 180 days ago)
    replace(_model("stale_board", Ind.machinery, Grade.level2), board=BoardState.stale),
    # 100-2-10 = 88 B, medium → yellow, ineligible (L1: board missing)
    replace(_model("missing_board", Ind.warehousing_logistics, Grade.level3), board=BoardState.missing),
    # 100-2-2 = 96 A, medium → blue, eligible (no self inspection within 90 days)
    replace(_model("no_self_inspection", Ind.metallurgy, Grade.level3), self_inspected=False),
    # 99 A, high → yellow, computed eligible; overridden to ineligible
    replace(_model("override_ineligible", Ind.hazardous_chemicals, Grade.level2),
            overrides=(PlannedOverride(LoanDecision.ineligible, 20, 90),)),
    # 98 A, medium → blue, eligible
    _model("model_logistics", Ind.warehousing_logistics, Grade.level3),
    # 99 A, high → yellow, eligible
    _model("model_explosives", Ind.civil_explosives, Grade.level2, Src.grade3),
)

# --- random firms ---

_DILIGENCE_ODDS = {Diligence.good: 0.62, Diligence.fair: 0.28, Diligence.poor: 0.10}
_BOARD_ODDS = {
    Diligence.good: (0.96, 0.015, 0.01, 0.005, 0.01),
    Diligence.fair: (0.86, 0.05, 0.04, 0.02, 0.03),
    Diligence.poor: (0.60, 0.12, 0.10, 0.06, 0.12),
}
_LICENCE_ODDS = {
    Diligence.good: (0.9, 0.05, 0.04, 0.01),
    Diligence.fair: (0.84, 0.06, 0.08, 0.02),
    Diligence.poor: (0.72, 0.06, 0.17, 0.05),
}
# P(lawful staffing, principal certified, managers certified, all-staff training, self inspection within 90 days)
_DUTY_ODDS = {
    Diligence.good: (0.98, 0.97, 0.95, 0.96, 0.97),
    Diligence.fair: (0.92, 0.90, 0.85, 0.85, 0.85),
    Diligence.poor: (0.70, 0.70, 0.65, 0.55, 0.50),
}
ACCIDENT_FACTOR = {Diligence.good: 0.6, Diligence.fair: 1.2, Diligence.poor: 2.5}
# yearly odds of a rectification order, a fine and a (later lifted) suspension
_ENFORCEMENT_ODDS = {
    Diligence.good: (0.08, 0.01, 0.0),
    Diligence.fair: (0.35, 0.06, 0.01),
    Diligence.poor: (0.70, 0.25, 0.05),
}


def _pick(rng: random.Random, options: Sequence[T], weights: Sequence[float]) -> T:
    return rng.choices(options, weights)[0]


def _standardization(industry: Industry, diligence: Diligence, rng: random.Random) -> StandardizationGrade:
    grades = (Grade.level1, Grade.level2, Grade.level3, Grade.none)
    if industry in HIGH_RISK:  # standardisation is compulsory for high-risk industries
        odds = {Diligence.good: (0.08, 0.55, 0.35, 0.02), Diligence.fair: (0.02, 0.4, 0.5, 0.08),
                Diligence.poor: (0.0, 0.15, 0.6, 0.25)}[diligence]
    else:
        odds = {Diligence.good: (0.02, 0.18, 0.55, 0.25), Diligence.fair: (0.0, 0.08, 0.5, 0.42),
                Diligence.poor: (0.0, 0.0, 0.25, 0.75)}[diligence]
    return _pick(rng, grades, odds)


def _major_hazard_source(industry: Industry, rng: random.Random) -> MajorHazardSource:
    odds = MAJOR_HAZARD_SOURCE_ODDS.get(industry)
    if odds is None:
        return MajorHazardSource.none
    roll = rng.random()
    for source, p in zip((Src.grade1, Src.grade2, Src.grade3, Src.grade4), odds, strict=True):
        if roll < p:
            return source
        roll -= p
    return MajorHazardSource.none


def _poisson(mean: float, rng: random.Random) -> int:
    """A Poisson draw (Knuth), for the small means of accidents and enforcement."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _accident(rng: random.Random) -> PlannedAccident:
    days_ago = rng.randint(1, 729)
    roll = rng.random()
    deaths = 0 if roll < 0.86 else 1 if roll < 0.98 else 2 if roll < 0.995 else 3
    serious = _pick(rng, (0, 1, 2, 3), (0.25, 0.55, 0.15, 0.05)) if deaths == 0 else rng.randint(0, 2)
    loss = round(rng.uniform(20_000, 800_000) + deaths * rng.uniform(1_200_000, 2_000_000), -3)
    flags: tuple[bool | None, bool | None, bool | None, bool | None]
    if days_ago <= 60:  # the investigation is still under way
        flags = (rng.choice((True, None)), None, rng.choice((True, None)), None)
    elif rng.random() < 0.85:
        flags = (True, True, True, True)
    else:  # one of the four left undone
        done: list[bool | None] = [True, True, True, True]
        done[rng.randrange(4)] = rng.choice((False, None))
        flags = (done[0], done[1], done[2], done[3])
    return PlannedAccident(days_ago, deaths, serious, loss, flags, confined_space_poisoning=deaths >= 3)


def random_situation(industry: Industry, rng: random.Random) -> Situation:
    """A firm of this industry with a random, plausible history."""
    diligence = _pick(rng, list(_DILIGENCE_ODDS), list(_DILIGENCE_ODDS.values()))
    lawful, principal, managers, trained, inspected = (rng.random() < p for p in _DUTY_ODDS[diligence])
    board = _pick(rng, list(BoardState), _BOARD_ODDS[diligence])
    licence = LicenceState.valid
    if industry in LICENSED:
        licence = _pick(rng, list(LicenceState), _LICENCE_ODDS[diligence])

    accidents = tuple(_accident(rng)
                      for _ in range(_poisson(PROFILES[industry].accident_rate * ACCIDENT_FACTOR[diligence], rng)))
    enforcement: list[PlannedEnforcement] = []
    listing: PlannedListing | None = None
    order_odds, fine_odds, suspension_odds = _ENFORCEMENT_ODDS[diligence]
    for year in range(2):
        if rng.random() < order_odds:
            days_ago = rng.randint(365 * year, 365 * year + 364)
            enforcement.append(PlannedEnforcement(Action.rectification_order, days_ago))
        if rng.random() < fine_odds:
            enforcement.append(PlannedEnforcement(Action.fine, rng.randint(365 * year, 365 * year + 364),
                                                  fine_yuan=round(rng.uniform(10_000, 200_000), -3)))
        if rng.random() < suspension_odds:
            enforcement.append(PlannedEnforcement(Action.suspension, rng.randint(365 * year + 120, 365 * year + 364),
                                                  lifted_after=rng.randint(20, 90)))
    for accident in accidents:
        after = accident.days_ago - rng.randint(20, 60)
        if after <= 0:
            continue
        if rng.random() < (0.95 if accident.deaths else 0.3):
            per_death = rng.uniform(300_000, 900_000)
            fine = round(max(20_000.0, accident.deaths * per_death), -3)
            enforcement.append(PlannedEnforcement(Action.fine, after, fine_yuan=fine, after_accident=True))
        if accident.deaths and rng.random() < 0.4:
            enforcement.append(PlannedEnforcement(Action.suspension, accident.days_ago - 2,
                                                  lifted_after=rng.randint(30, 90), after_accident=True))
        if accident.deaths >= 3:
            enforcement.append(PlannedEnforcement(Action.prosecution, max(1, after - 30), after_accident=True))
            listing = PlannedListing(max(1, after - 10))
    roll = rng.random()
    if roll < 0.008:
        closed = rng.randint(30, 500)
        enforcement.append(PlannedEnforcement(Action.suspension, closed + rng.randint(60, 150)))
        enforcement.append(PlannedEnforcement(Action.closure, closed))
        inspected, board = False, BoardState.stale
    elif roll < 0.02:
        enforcement.append(PlannedEnforcement(Action.suspension, rng.randint(5, 120)))
    if listing is None and diligence == Diligence.poor and rng.random() < 0.03:
        listed = rng.randint(30, 700)
        removed = rng.randint(365, 500)
        listing = PlannedListing(listed, removed if removed < listed else None)
    overrides: tuple[PlannedOverride, ...] = ()
    if rng.random() < 0.012:
        decision = LoanDecision.eligible if rng.random() < 0.65 else LoanDecision.ineligible
        overrides = (PlannedOverride(decision, rng.randint(0, 400), rng.randint(30, 180)),)

    return Situation(
        "", industry, diligence, False, _standardization(industry, diligence, rng),
        _major_hazard_source(industry, rng), licence, staffing_lawful=lawful, principal_certified=principal,
        managers_certified=managers, all_staff_trained=trained, self_inspected=inspected, board=board,
        accidents=accidents, enforcement=tuple(enforcement), listing=listing, overrides=overrides,
    )


def industry_mix(count: int, rng: random.Random) -> list[Industry]:
    """The industries of the firms after the archetypes: the park's mix, every industry at least once."""
    shares = {industry: profile.share for industry, profile in PROFILES.items()}
    total = sum(shares.values())
    everyone = len(ARCHETYPES) + count
    quotas = {industry: share * everyone / total for industry, share in shares.items()}
    for archetype in ARCHETYPES:
        quotas[archetype.industry] -= 1
    wanted = {industry: max(0.0, quota) for industry, quota in quotas.items()}
    # every industry the archetypes leave out comes first, then the rest by largest remainder
    mix = [industry for industry in Industry if industry not in {a.industry for a in ARCHETYPES}][:count]
    for industry in mix:
        wanted[industry] = max(0.0, wanted[industry] - 1)
    remaining = count - len(mix)
    scale = remaining / sum(wanted.values()) if sum(wanted.values()) else 0.0
    exact = {industry: quota * scale for industry, quota in wanted.items()}
    counts = {industry: int(value) for industry, value in exact.items()}
    short = remaining - sum(counts.values())
    for industry in sorted(exact, key=lambda i: (counts[i] - exact[i], list(Industry).index(i)))[:short]:
        counts[industry] += 1
    for industry in Industry:
        mix += [industry] * counts[industry]
    rng.shuffle(mix)
    return mix


def situations(enterprises: int, rng: random.Random) -> list[Situation]:
    """One situation per enterprise: the archetypes first, then random firms in the park's mix."""
    chosen = list(ARCHETYPES[:enterprises])
    extra = enterprises - len(chosen)
    if extra > 0:
        chosen += [random_situation(industry, rng) for industry in industry_mix(extra, rng)]
    return chosen
