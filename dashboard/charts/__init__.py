"""Charts: functions from a DataFrame (already aggregated by a service) to an ``altair.Chart``.

One module per page area (overview, heatmaps, scorecards, loans); charts never draw and never
query. Labels come from ``t()`` so a chart speaks the user's language.
"""
