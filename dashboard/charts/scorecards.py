"""Charts of one enterprise's file: its six score components against their maxima, and its score by month.

Both take a small DataFrame the view builds from the services and return an ``altair`` chart;
labels come from ``t()`` (the month labels are formatted for the language before they arrive).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.i18n import t

# the four grades, best first, with the colour of their band on the trend chart
GRADE_BAND_COLOURS = {"A": "#2f9e44", "B": "#74c0fc", "C": "#ffd43b", "D": "#ff8787"}
LINE_COLOUR = "#1c3d6e"
EARNED_COLOUR = "#1c7ed6"
MAXIMUM_COLOUR = "#e9ecef"


def grade_bands(thresholds: dict[str, float]) -> pd.DataFrame:
    """The score range of each grade: ``thresholds`` maps A, B, C to their lowest score (D is the rest)."""
    lows = [thresholds["A"], thresholds["B"], thresholds["C"], 0.0]
    highs = [100.0, thresholds["A"], thresholds["B"], thresholds["C"]]
    return pd.DataFrame({
        "grade": list(GRADE_BAND_COLOURS),
        "band": [t("scorecards.chart.band", grade=g) for g in GRADE_BAND_COLOURS],
        "low": lows,
        "high": highs,
        "middle": [(low + high) / 2 for low, high in zip(lows, highs, strict=True)],
    })


def score_trend_chart(history: pd.DataFrame, thresholds: dict[str, float]) -> alt.LayerChart:
    """The score at each month-end (columns ``month`` (a label, oldest first), ``score``, ``grade``)
    as a line over the grade bands."""
    months = list(history["month"])
    x = alt.X("month:N", sort=months, title=t("scorecards.chart.month"), axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(domain=[0, 100])
    bands_data = grade_bands(thresholds)
    bands = alt.Chart(bands_data).mark_rect(opacity=0.18).encode(
        y=alt.Y("low:Q", scale=y_scale, title=t("scorecards.chart.score")),
        y2="high:Q",
        color=alt.Color("grade:N", scale=alt.Scale(domain=list(GRADE_BAND_COLOURS),
                                                   range=list(GRADE_BAND_COLOURS.values())), legend=None),
    )
    band_labels = alt.Chart(bands_data).mark_text(align="left", dx=6, color="#495057", fontSize=11).encode(
        y=alt.Y("middle:Q", scale=y_scale), x=alt.value("width"), text="band:N",
    )
    tooltip = [
        alt.Tooltip("month:N", title=t("scorecards.chart.month")),
        alt.Tooltip("score:Q", title=t("scorecards.chart.score"), format=".1f"),
        alt.Tooltip("grade:N", title=t("scorecards.chart.grade")),
    ]
    line = alt.Chart(history).mark_line(color=LINE_COLOUR, strokeWidth=2.5).encode(
        x=x, y=alt.Y("score:Q", scale=y_scale, title=t("scorecards.chart.score")),
    )
    points = alt.Chart(history).mark_point(filled=True, size=60, color=LINE_COLOUR).encode(
        x=x, y=alt.Y("score:Q", scale=y_scale), tooltip=tooltip,
    )
    return alt.LayerChart(layer=[bands, band_labels, line, points], height=300)


def components_chart(components: pd.DataFrame) -> alt.LayerChart:
    """Points earned per component against its maximum (columns ``component`` (a label), ``points``, ``maximum``).

    Each bar is the share of the component's maximum earned, so a 5-point component reads as
    clearly as a 35-point one; the label beside it gives the points.
    """
    order = list(components["component"])
    maxima = components["maximum"].astype(float)
    frame = components.assign(
        share=(components["points"].astype(float) / maxima.where(maxima > 0)).fillna(1.0),
        full=1.0,
        text=[f"{p:g} / {m:g}" for p, m in zip(components["points"].astype(float).round(2), maxima, strict=True)],
    )
    y = alt.Y("component:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    x_scale = alt.Scale(domain=[0, 1.3])
    axis = alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])
    tooltip = [
        alt.Tooltip("component:N", title=t("scorecards.chart.component")),
        alt.Tooltip("points:Q", title=t("scorecards.chart.points"), format=".2~f"),
        alt.Tooltip("maximum:Q", title=t("scorecards.chart.maximum"), format=".0f"),
    ]
    maximum = alt.Chart(frame).mark_bar(color=MAXIMUM_COLOUR, cornerRadiusEnd=3).encode(
        y=y, x=alt.X("full:Q", scale=x_scale, axis=axis, title=t("scorecards.chart.share")), tooltip=tooltip,
    )
    earned = alt.Chart(frame).mark_bar(color=EARNED_COLOUR, cornerRadiusEnd=3).encode(
        y=y, x=alt.X("share:Q", scale=x_scale), tooltip=tooltip,
    )
    labels = alt.Chart(frame).mark_text(align="left", dx=6, color="#212529").encode(
        y=y, x=alt.X("full:Q", scale=x_scale), text="text:N",
    )
    return alt.LayerChart(layer=[maximum, earned, labels], height=alt.Step(36))
