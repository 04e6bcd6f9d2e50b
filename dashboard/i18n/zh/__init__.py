"""The 简体中文 catalog: one module per area of the app, merged here (a key defined twice is an error)."""

from dashboard.i18n.merge import merge
from dashboard.i18n.zh import (
    audit,
    briefing,
    common,
    enums,
    evidence,
    heatmaps,
    imports,
    loans,
    overview,
    records,
    risk_map,
    scorecards,
    session,
    settings,
    worklist,
)

MESSAGES: dict[str, str] = merge(
    common, enums, session, overview, risk_map, heatmaps, scorecards, loans, records, worklist, imports, audit,
    settings, briefing, evidence,
)
