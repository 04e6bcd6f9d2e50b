"""The English catalog: one module per area of the app, merged here (a key defined twice is an error)."""

from dashboard.i18n.en import (
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
from dashboard.i18n.merge import merge

MESSAGES: dict[str, str] = merge(
    common, enums, session, overview, risk_map, heatmaps, scorecards, loans, records, worklist, imports, audit,
    settings, briefing, evidence,
)
