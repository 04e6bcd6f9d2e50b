"""English messages."""

MESSAGES: dict[str, str] = {
    "app.title": "Park Safety Supervision Dashboard",
    "app.language": "Language",
    "page.overview": "Overview",
    "overview.records": "Records in the database",
    "overview.no_park": "No park has been set up yet. Run `park-safety seed` to build the demo park.",
    "overview.target": "Accident target per year: {target}",
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
