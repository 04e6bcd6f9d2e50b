"""Charts of the Overview: hazards found vs closed per month, and this year's accidents against the target."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.i18n import current_language, format_month, label, t
from models.enums import AccidentLevel

FOUND_COLOUR = "#e8710a"
CLOSED_COLOUR = "#1a73e8"
LEVEL_COLOURS = {
    AccidentLevel.general: "#f2b705",
    AccidentLevel.larger: "#f28c28",
    AccidentLevel.major: "#d93025",
    AccidentLevel.especially_major: "#7b1fa2",
}
TARGET_COLOUR = "#202124"
TARGET_BAR_COLOUR = "#c4c7cc"


def _month_format() -> str:
    """The d3 time format of a month on an axis: 2026年3月 / Mar 2026."""
    return "%Y年%-m月" if current_language() == "zh" else "%b %Y"


def hazard_trend_chart(trend: pd.DataFrame) -> alt.Chart:
    """Two lines, hazards found and hazards closed (verified) per month, with a legend in the user's language.

    ``trend`` has one row per month: month (its first day), found, closed. The chart's data keeps
    that shape (one row per month); the two series are folded in the spec.
    """
    found, closed = t("overview.trend.found"), t("overview.trend.closed")
    month_title, series_title, count_title = t("overview.trend.month"), t("overview.trend.series"), \
        t("overview.trend.axis")
    data = pd.DataFrame({
        "month": pd.to_datetime(trend["month"]),
        "month_label": [format_month(day) for day in trend["month"]],
        found: trend["found"].astype(int),
        closed: trend["closed"].astype(int),
    })
    return (
        alt.Chart(data)
        .transform_fold([found, closed], as_=["series", "hazards"])
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("month:T", timeUnit="yearmonth", title=None,
                    axis=alt.Axis(format=_month_format(), labelAngle=0, tickCount=8, grid=False)),
            y=alt.Y("hazards:Q", title=count_title,
                    axis=alt.Axis(tickMinStep=1, format="d", titleAngle=0, titleAlign="left", titleAnchor="end",
                                  titleBaseline="bottom", titleX=0, titleY=-8)),
            color=alt.Color("series:N", title=None,
                            scale=alt.Scale(domain=[found, closed], range=[FOUND_COLOUR, CLOSED_COLOUR]),
                            legend=alt.Legend(orient="top", direction="horizontal")),
            tooltip=[alt.Tooltip("month_label:N", title=month_title),
                     alt.Tooltip("series:N", title=series_title),
                     alt.Tooltip("hazards:Q", title=count_title, format=",d")],
        )
        .properties(height=300)
    )


def accidents_target_chart(accidents: pd.DataFrame, target: int | None) -> alt.LayerChart:
    """A bullet chart: this year's accidents as a bar stacked by level, and beneath it the yearly target
    as a grey bar, with a dashed rule at the target across both (without a target, the first bar alone).

    ``accidents`` has one row per level: level, accidents. The legend names the levels that occurred.
    """
    levels = [str(level) for level in AccidentLevel]
    bar_label, target_label = t("overview.accidents.bar"), t("overview.accidents.target")
    level_title, count_title = t("overview.accidents.level"), t("overview.accidents.axis")
    counts = accidents[accidents["accidents"] > 0]
    present = [level for level in levels if level in set(counts["level"])]
    data = pd.DataFrame({
        "row": bar_label,
        "level": [label("accident_level", level) for level in counts["level"]],
        "order": [levels.index(level) for level in counts["level"]],
        "accidents": counts["accidents"].astype(int).to_list(),
    })
    total = int(accidents["accidents"].sum())
    top = max(total, target or 0, 1)
    rows = [bar_label] if target is None else [bar_label, target_label]
    x_scale = alt.Scale(domain=[0, top], nice=False)
    y = alt.Y("row:N", title=None, sort=rows, scale=alt.Scale(domain=rows), axis=alt.Axis(labelFontSize=12))
    x_axis = alt.Axis(tickMinStep=1, format="d", values=list(range(top + 1)) if top <= 12 else alt.Undefined)
    bars = alt.Chart(data).mark_bar(size=26).encode(
        x=alt.X("accidents:Q", stack="zero", title=count_title, scale=x_scale, axis=x_axis),
        y=y,
        color=alt.Color("level:N", title=level_title,
                        scale=alt.Scale(domain=[label("accident_level", level) for level in present],
                                        range=[LEVEL_COLOURS[AccidentLevel(level)] for level in present]),
                        legend=alt.Legend(orient="top", direction="horizontal", titleOrient="left")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("level:N", title=level_title), alt.Tooltip("accidents:Q", title=count_title)],
    )
    layers: list[alt.Chart] = [bars]
    if target is not None:
        goal = pd.DataFrame({"row": [target_label], "target": [target],
                             "tooltip": [t("overview.target", target=target)]})
        layers += [
            alt.Chart(goal).mark_bar(size=26, color=TARGET_BAR_COLOUR).encode(
                x=alt.X("target:Q", scale=x_scale), y=y, tooltip=alt.Tooltip("tooltip:N", title=None)),
            alt.Chart(goal).mark_rule(color=TARGET_COLOUR, strokeWidth=2, strokeDash=[6, 3]).encode(
                x=alt.X("target:Q", scale=x_scale), tooltip=alt.Tooltip("tooltip:N", title=None)),
        ]
    return alt.LayerChart(layer=layers, height=90 + 44 * len(rows))
