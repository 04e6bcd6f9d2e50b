"""Enterprises (一企一档): the facts of each firm, drawn to fit its industry and its situation."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from models.enums import EnforcementAction, EnterpriseStatus
from seed.geography import SitePlan
from seed.industries import HIGH_RISK, LICENSED, PROFILES
from seed.names import enterprise_names, licence_number, mobile_number, person_name, uscc
from seed.situations import Diligence, LicenceState, Situation
from seed.timeline import Timeline

HAZARD_DILIGENCE_FACTOR = {Diligence.good: 0.8, Diligence.fair: 1.1, Diligence.poor: 1.5}


@dataclass
class EnterpriseFile:
    """One enterprise: its table row and what its history needs to know."""

    id: int
    situation: Situation
    safety_lead: str
    legal_rep: str
    employees: int
    safety_staff: int
    special_operators: int
    closed_on: date | None
    row: tuple[Any, ...]

    @property
    def hazard_weight(self) -> float:
        """How many hazards the firm's inspections find, relative to others (size, industry, diligence)."""
        profile = PROFILES[self.situation.industry]
        size = (max(self.employees, 10) / 150) ** 0.3
        weight = profile.hazards_per_month * size * HAZARD_DILIGENCE_FACTOR[self.situation.diligence]
        if self.closed_on is not None:
            weight *= 0.6
        return weight


def _employees(median: int, rng: random.Random) -> int:
    return max(10, min(2000, round(median * math.exp(rng.gauss(0, 0.75)))))


def _staffing(situation: Situation, employees: int, rng: random.Random) -> tuple[bool, int, int]:
    """(safety_org, full-time, part-time safety staff), lawful or not as the situation says (安全生产法 art. 24)."""
    strict = situation.industry in HIGH_RISK or employees > 100
    if situation.staffing_lawful:
        if strict:
            org = rng.random() < 0.85
            fulltime = max(1, round(employees / 150 * rng.uniform(0.6, 1.4))) if not org or rng.random() < 0.9 else 0
            return org, fulltime, rng.randint(0, 3)
        fulltime = 1 if rng.random() < 0.3 else 0
        return rng.random() < 0.15, fulltime, rng.randint(1, 2) if fulltime == 0 else rng.randint(0, 2)
    if strict:
        return False, 0, rng.randint(0, 2)
    return rng.random() < 0.4, 0, 0  # a safety body on paper, nobody in it


def _operators(situation: Situation, employees: int, rng: random.Random) -> tuple[int, int]:
    if situation.operators is not None:
        return situation.operators
    share = PROFILES[situation.industry].special_operator_share
    total = max(0, round(employees * share * rng.uniform(0.6, 1.4)))
    if situation.controlled or total == 0:
        return total, total
    if situation.diligence == Diligence.good:
        certified = total if rng.random() < 0.85 else total - 1
    elif situation.diligence == Diligence.fair:
        certified = round(total * rng.uniform(0.8, 1.0))
    else:
        certified = round(total * rng.uniform(0.5, 0.9))
    return total, max(0, min(total, certified))


def _licence(situation: Situation, rng: random.Random, timeline: Timeline,
             site_plan: SitePlan) -> tuple[str | None, date | None]:
    if situation.industry not in LICENSED or situation.licence == LicenceState.absent:
        return None, None
    days = situation.licence_days
    if days is None:
        days = {
            LicenceState.valid: rng.randint(61, 1050),
            LicenceState.expiring: rng.randint(5, 58),
            LicenceState.expired: -rng.randint(1, 240),
        }[situation.licence]
    expires = timeline.as_of + timedelta(days=days)
    issued = expires - timedelta(days=3 * 365 - 1)  # a licence runs for three years
    return licence_number(situation.industry, site_plan.site, issued, rng), expires


def build_enterprise(enterprise_id: int, situation: Situation, plan: SitePlan, timeline: Timeline,
                     rng: random.Random, usccs: set[str]) -> EnterpriseFile:
    """The enterprise row and file for a firm in this situation."""
    industry = situation.industry
    profile = PROFILES[industry]
    name, name_en = enterprise_names(industry, plan.site, rng)
    plot_index = rng.choice(plan.plots_in_zones(profile.zones[0] if rng.random() < 0.8 else profile.zones))
    lat, lon = plan.point_in_plot(plan.plots[plot_index], rng)
    legal_rep, safety_lead = person_name(rng), person_name(rng)
    employees = _employees(profile.median_employees, rng)
    safety_org, fulltime, parttime = _staffing(situation, employees, rng)
    operators, certified = _operators(situation, employees, rng)
    license_no, license_expires_on = _licence(situation, rng, timeline, plan)

    closed_days_ago = situation.closed_days_ago
    closed_on = timeline.ago(closed_days_ago) if closed_days_ago is not None else None
    suspended = any(
        e.action == EnforcementAction.suspension and (e.lifted_after is None or e.lifted_after > e.days_ago)
        for e in situation.enforcement
    )
    status = (EnterpriseStatus.closed if closed_on else EnterpriseStatus.suspended if suspended
              else EnterpriseStatus.operating)

    created_at = timeline.stamp(timeline.start, rng.randint(60, 240))
    updated_at: datetime = max(created_at, timeline.stamp(timeline.ago(rng.randint(0, 400)), rng.randint(0, 540)))
    row = (
        enterprise_id, uscc(plan.site.region_code, rng, usccs), name, name_en, industry.value, plot_index + 1,
        lat, lon, legal_rep, safety_lead, mobile_number(rng), employees, safety_org, fulltime, parttime,
        situation.principal_certified, situation.managers_certified, operators, certified,
        situation.standardization.value, situation.major_hazard_source.value, license_no, license_expires_on,
        status.value, created_at, updated_at, 1,
    )
    return EnterpriseFile(enterprise_id, situation, safety_lead, legal_rep, employees, fulltime + parttime,
                          operators, closed_on, row)
