"""English messages."""

MESSAGES: dict[str, str] = {
    "app.title": "Park Safety Supervision Dashboard",
    "app.language": "Language",
    "app.as_of": "As of",
    "app.as_of_help": "Every page shows the park as it stood at the end of this day.",
    "page.risk_map": "Risk map",
    "page.heatmaps": "Heatmaps",
    "page.scorecards": "Scorecards",
    "page.loans": "Loan desk",
    "page.overview": "Overview",
    "table.enterprise": "Enterprises",
    "table.plot": "Plots",
    "table.safety_sign": "Safety signs",
    "table.sign_check": "Sign checks",
    "table.inspection": "Inspections",
    "table.hazard": "Hidden hazards",
    "table.accident": "Accidents",
    "table.training": "Training sessions",
    "table.enforcement": "Enforcement actions",
    "table.dishonesty_listing": "Dishonesty listings",
    "table.loan_override": "Loan overrides",
}
