"""The month's work items (工作部署): what the briefing's figures ask the meeting to do, most urgent first.

Each item is generated from the briefing's own data, names the enterprises concerned (by id, in the
order the meeting should take them) and carries the figures its sentence uses; the briefing's
catalogs turn it into a sentence (``briefing.work.<code>``). A month whose data asks nothing yields
no item, and the document says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dashboard.services.briefing import MonthlyBriefing
from dashboard.settings import RuleSettings

ACCIDENT_TARGET_WARNING = 0.8  # accidents this year at 80% of the yearly target or more: a warning


@dataclass(frozen=True)
class WorkItem:
    """One thing to do: its code, how many records or enterprises it concerns, and those enterprises."""

    code: str
    count: int
    enterprise_ids: tuple[int, ...] = ()
    params: dict[str, int] = field(default_factory=dict)


def _unique(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(i) for i in ids))


def work_items(briefing: MonthlyBriefing, rules: RuleSettings) -> list[WorkItem]:
    """The month's work items, most urgent first."""
    items: list[WorkItem] = []
    hazards = briefing.hazards
    open_listed = hazards[hazards["listed_supervision"] & (hazards["state"] != "verified")]
    if len(open_listed):
        overdue = int(open_listed["days_overdue"].notna().sum())
        items.append(WorkItem("major_hazards", len(open_listed), _unique(open_listed["enterprise_id"]),
                              {"overdue": overdue}))
    overdue_days = hazards["days_overdue"].fillna(0)
    long_overdue = hazards[overdue_days > rules.loan_overdue_ineligible_days]
    if len(long_overdue):
        items.append(WorkItem("long_overdue", len(long_overdue), _unique(long_overdue["enterprise_id"]),
                              {"days": rules.loan_overdue_ineligible_days}))
    recently_overdue = hazards[(overdue_days > 0) & (overdue_days <= rules.loan_overdue_ineligible_days)]
    if len(recently_overdue):
        items.append(WorkItem("overdue", len(recently_overdue), _unique(recently_overdue["enterprise_id"]),
                              {"days": rules.loan_overdue_ineligible_days}))

    results = sorted(briefing.evaluations, key=lambda r: briefing.enterprise_names[r.enterprise_id][0])
    turned_red = briefing.colour_changes[briefing.colour_changes["after"] == "red"]
    if len(turned_red):
        items.append(WorkItem("turned_red", len(turned_red), _unique(turned_red["enterprise_id"])))
    incomplete = [r.enterprise_id for r in results if r.facts.loan_incomplete_accidents]
    if incomplete:
        items.append(WorkItem("four_not_letting_go", sum(r.facts.loan_incomplete_accidents for r in results),
                              _unique(incomplete), {"enterprises": len(incomplete)}))
    target = briefing.accident_target_per_year
    accidents = briefing.month.figures.accidents_this_year
    if target is not None and accidents > target:
        items.append(WorkItem("accidents_over_target", accidents, params={"target": target}))
    elif target is not None and accidents >= target * ACCIDENT_TARGET_WARNING and accidents:
        items.append(WorkItem("accidents_near_target", accidents, params={"target": target}))
    no_board = [r.enterprise_id for r in results if not r.facts.signage_compliant]
    if no_board:
        items.append(WorkItem("no_publicity_board", len(no_board), _unique(no_board)))
    licences = briefing.licences
    lapsed = licences[licences["licence_state"] != "expiring"]
    if len(lapsed):
        items.append(WorkItem("licences_lapsed", len(lapsed), _unique(lapsed["enterprise_id"])))
    expiring = licences[licences["licence_state"] == "expiring"]
    if len(expiring):
        items.append(WorkItem("licences_expiring", len(expiring), _unique(expiring["enterprise_id"]),
                              {"days": rules.loan_licence_expiry_warning_days}))
    suspended = [r.enterprise_id for r in results if r.facts.suspension_in_force]
    if suspended:
        items.append(WorkItem("suspended", len(suspended), _unique(suspended)))
    no_self_inspection = [r.enterprise_id for r in results if not r.facts.self_inspected]
    if no_self_inspection:
        items.append(WorkItem("no_self_inspection", len(no_self_inspection), _unique(no_self_inspection),
                              {"days": rules.self_inspection_window_days}))
    became_ineligible = briefing.loan_changes[briefing.loan_changes["after"] == "ineligible"]
    if len(became_ineligible):
        items.append(WorkItem("became_ineligible", len(became_ineligible), _unique(became_ineligible["enterprise_id"])))
    if briefing.signs_due:
        items.append(WorkItem("signs_due", briefing.signs_due, params={"days": rules.sign_check_max_age_days}))
    return items
