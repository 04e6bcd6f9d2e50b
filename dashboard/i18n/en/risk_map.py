"""Messages of the risk_map page."""

MESSAGES: dict[str, str] = {
    "risk_map.no_park": "No park has been set up yet. Run `park-safety seed` to build the demo park.",
    "risk_map.caption": "The park's four-colour risk as of {date}. Each plot takes the highest risk colour "
                        "among its enterprises; the filters narrow the points and the hazard heat.",
    "risk_map.filter_industry": "Industry",
    "risk_map.filter_colour": "Risk colour",
    "risk_map.filter_loan": "Loan status",
    "risk_map.filter_loan_help": "The effective status: an override in force replaces the computed one.",
    "risk_map.all": "All",
    "risk_map.layer_plots": "Plots by risk colour",
    "risk_map.layer_enterprises": "Enterprises",
    "risk_map.layer_hazard_heat": "Open-hazard heat",
    "risk_map.layer_boundary": "Park boundary",
    "risk_map.legend_empty_plot": "Plot without enterprises",
    "risk_map.legend_heat": "Open-hazard heat (weighted by severity)",
    "risk_map.alt": "Site plan of the park: plots coloured by risk, enterprises as points, heat of open hazards",
    "risk_map.shown": "Showing {shown} of {total} enterprises with {hazards} open hazards. The heat weighs "
                      "each open major hazard ×{major} and each general hazard ×{general}; a point's size "
                      "grows with the headcount.",
    "risk_map.how_to": "Hover over a plot or an enterprise for details; click an enterprise to open its scorecard.",
    "risk_map.scorecard_heading": "Open a scorecard",
    "risk_map.pick": "Enterprise (lowest score first)",
    "risk_map.pick_placeholder": "Type a name to search",
    "risk_map.open_scorecard": "Open the scorecard",
    "risk_map.scorecards_missing": "The scorecards page is not available yet.",
    "risk_map.tip_score": "Score {score} · grade {grade}",
    "risk_map.tip_colour": "Risk colour: ",
    "risk_map.tip_open": "Open hazards: {count}",
    "risk_map.tip_plot": "Plot {code}",
    "risk_map.tip_plot_enterprises": "Enterprises: {count}",
    "risk_map.no_enterprises": "No enterprises",
}
