"""Messages of the heatmaps page."""

MESSAGES: dict[str, str] = {
    "heatmaps.range": "Period",
    "heatmaps.range_help": "The first and the last day counted (default: the 12 months up to the as-of date).",
    "heatmaps.filter_industry": "Industry",
    "heatmaps.all_industries": "All industries",
    "heatmaps.nothing": "No records in this period for the chosen industries.",
    "heatmaps.no_open": "No open hazards at this date for the chosen industries.",
    "heatmaps.industry_month_title": "Hazards found by industry and month",
    "heatmaps.industry_month_caption": "{total} hazards found from {start} to {end}; hover over a cell for "
                                       "the major ones.",
    "heatmaps.enterprise_category_title": "Open hazards: the {top} enterprises with the most, by category",
    "heatmaps.enterprise_category_caption": "As of {date}: {total} open hazards at {enterprises} enterprises "
                                            "(hazards not yet rectified). "
                                            "The period does not apply here.",
    "heatmaps.tier_month_title": "Inspections by tier and month",
    "heatmaps.tier_month_caption": "{total} inspections from {start} to {end}.",
    "heatmaps.rectification_title": "Rectification time by hazard category",
    "heatmaps.rectification_caption": "{total} hazards rectified from {start} to {end}, counted by the days "
                                      "from finding to rectification; each row shows the category's mean.",
    "heatmaps.month": "Month",
    "heatmaps.industry": "Industry",
    "heatmaps.enterprise": "Enterprise",
    "heatmaps.category": "Hazard category",
    "heatmaps.tier": "Inspection tier",
    "heatmaps.hazards_found": "Hazards found",
    "heatmaps.major_found": "of which major",
    "heatmaps.open_hazards": "Open hazards",
    "heatmaps.open_total": "Open hazards, all categories",
    "heatmaps.inspections": "Inspections",
    "heatmaps.inspected_enterprises": "Enterprises inspected",
    "heatmaps.days_taken": "Days to rectify",
    "heatmaps.hazards_rectified": "Hazards rectified",
    "heatmaps.rectified_total": "Rectified in the category",
    "heatmaps.mean_days": "Mean days",
    "heatmaps.max_days": "Longest (days)",
    "heatmaps.days_range": "{first}–{last} days",
    "heatmaps.days_over": "{first}+ days",
    "heatmaps.category_mean": "{name} (mean {days} d)",
}
