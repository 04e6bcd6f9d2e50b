"""The briefing's two charts, for a printed page: the four-colour distribution in the three months compared,
and hazards found and closed per month. Fixed sizes and no tooltips; the font is set so that Chinese
renders in any renderer that has the CJK font (the PDF's, the page's)."""

from __future__ import annotations

from typing import TypeVar

import altair as alt
import pandas as pd

from dashboard.charts.overview import CLOSED_COLOUR, FOUND_COLOUR
from dashboard.i18n import current_language, format_month, label, t
from dashboard.maps import RISK_RGB
from dashboard.rules.risk_colour import COLOURS
from dashboard.services.briefing import MonthlyBriefing

FONT = "Noto Sans CJK SC"
WIDTH = 620


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


_Chart = TypeVar("_Chart", alt.Chart, alt.LayerChart)


def _printed(chart: _Chart) -> _Chart:
    return chart.configure(font=FONT).configure_view(stroke=None).configure_axis(
        labelFontSize=12, titleFontSize=12).configure_legend(labelFontSize=12, titleFontSize=12)


def colour_distribution_chart(briefing: MonthlyBriefing) -> alt.LayerChart:
    """One bar per month compared (the month, the previous month, a year earlier), split into the four risk
    colours, each segment labelled with its count."""
    periods = (briefing.month, briefing.previous, briefing.last_year)
    names = [format_month(p.month) for p in periods]
    colour_names = [label("risk_colour", colour) for colour in COLOURS]
    data = pd.DataFrame([
        {"month": name, "colour": label("risk_colour", colour), "order": index, "enterprises": p.colours[colour]}
        for name, p in zip(names, periods, strict=True) for index, colour in enumerate(COLOURS)
    ])
    colour_title = t("briefing.chart.colour")
    base = alt.Chart(data).encode(
        y=alt.Y("month:N", title=None, sort=names, axis=alt.Axis(labelFontSize=13, labelPadding=8)),
        x=alt.X("enterprises:Q", stack="zero", title=t("briefing.chart.enterprises"),
                axis=alt.Axis(format=",d", tickMinStep=1)),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar(size=30).encode(
        color=alt.Color("colour:N", title=colour_title,
                        scale=alt.Scale(domain=colour_names, range=[_hex(RISK_RGB[c]) for c in COLOURS]),
                        legend=alt.Legend(orient="top", direction="horizontal", titleOrient="left")),
    )
    widest = max(sum(p.colours.values()) for p in periods) or 1
    counts = base.transform_filter(alt.datum.enterprises >= widest * 0.04).mark_text(
        align="center", baseline="middle", color="white", fontSize=12, fontWeight="bold",
    ).encode(x=alt.X("mid:Q", stack=None), text=alt.Text("enterprises:Q", format=",d")).transform_stack(
        stack="enterprises", groupby=["month"], sort=[alt.SortField("order")], as_=["start", "end"],
    ).transform_calculate(mid="(datum.start + datum.end) / 2")
    # a band of fixed height per month: with a fixed chart height, Streamlit drew the three bars in one row
    chart = alt.LayerChart(layer=[bars, counts]).properties(width=WIDTH - 140, height=alt.Step(44),
                                                           title=t("briefing.chart.colours_title"))
    return _printed(chart)


def hazard_trend_chart(briefing: MonthlyBriefing) -> alt.Chart:
    """Hazards found and closed (verified) per month, the months ending with the briefing's month."""
    trend = briefing.trend
    found, closed = t("briefing.chart.found"), t("briefing.chart.closed")
    data = pd.DataFrame({
        "month": [format_month(month) for month in trend["month"]],
        found: trend["found"].astype(int),
        closed: trend["closed"].astype(int),
    })
    months = data["month"].to_list()
    chart = (
        alt.Chart(data)
        .transform_fold([found, closed], as_=["series", "hazards"])
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("month:N", sort=months, title=None,
                    axis=alt.Axis(labelAngle=-40 if current_language() == "en" else -30, labelFontSize=11)),
            y=alt.Y("hazards:Q", title=None, axis=alt.Axis(format=",d", tickMinStep=1)),
            color=alt.Color("series:N", title=None,
                            scale=alt.Scale(domain=[found, closed], range=[FOUND_COLOUR, CLOSED_COLOUR]),
                            legend=alt.Legend(orient="top", direction="horizontal")),
        )
        .properties(width=WIDTH - 80, height=220, title=t("briefing.chart.trend_title"))
    )
    return _printed(chart)
