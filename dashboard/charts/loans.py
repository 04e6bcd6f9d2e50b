"""Charts of the loan desk: the park's loan statuses by month, and one enterprise's status by month."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from dashboard.i18n import current_language, format_month, label, t
from dashboard.rules.loan_eligibility import STATUSES

STATUS_COLOURS = {"ineligible": "#d93025", "conditional": "#f29900", "eligible": "#188038"}


def _month_format() -> str:
    """The d3 time format of a month on an axis: 2026年3月 / Mar 2026."""
    return "%Y年%-m月" if current_language() == "zh" else "%b %Y"


def _status_scale() -> tuple[list[str], alt.Scale]:
    names = [label("loan_status", status) for status in STATUSES]
    return names, alt.Scale(domain=names, range=[STATUS_COLOURS[status] for status in STATUSES])


def park_status_chart(counts: pd.DataFrame) -> alt.Chart:
    """Stacked bars, one per month-end: how many enterprises have each effective loan status.

    ``counts`` has one row per month-end and status: on, status, enterprises. Not supported sits at
    the bottom of each bar, eligible on top; the legend and tooltips speak the user's language.
    """
    names, scale = _status_scale()
    data = pd.DataFrame({
        "month": pd.to_datetime(counts["on"]),
        "month_label": [format_month(day) for day in counts["on"]],
        "status": [label("loan_status", status) for status in counts["status"]],
        "order": [STATUSES.index(status) for status in counts["status"]],
        "enterprises": counts["enterprises"].astype(int).to_list(),
    })
    count_title, month_title, status_title = t("loans.chart.enterprises"), t("loans.chart.month"), \
        t("loans.chart.status")
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("month:O", timeUnit="yearmonth", title=None,
                    axis=alt.Axis(format=_month_format(), labelAngle=0 if current_language() == "zh" else -30)),
            y=alt.Y("enterprises:Q", stack="zero", title=count_title, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("status:N", title=None, scale=scale, sort=names,
                            legend=alt.Legend(orient="top", direction="horizontal")),
            order=alt.Order("order:Q", sort="ascending"),
            tooltip=[alt.Tooltip("month_label:N", title=month_title),
                     alt.Tooltip("status:N", title=status_title),
                     alt.Tooltip("enterprises:Q", title=count_title, format=",d")],
        )
        .properties(height=280)
    )


def enterprise_status_chart(history: pd.DataFrame) -> alt.Chart:
    """Two strips of month-end cells, the computed status above and the effective one below,
    coloured by status, so that an override shows as a difference between the rows.

    ``history`` has one row per month-end: on, status, effective_status, score, grade.
    """
    names, scale = _status_scale()
    computed, effective = t("loans.chart.computed"), t("loans.chart.effective")
    rows = []
    for record in history.to_dict("records"):
        on: date = record["on"]
        for which, status in ((computed, record["status"]), (effective, record["effective_status"])):
            rows.append({
                "month": pd.Timestamp(on),
                "month_label": format_month(on),
                "which": which,
                "status": label("loan_status", status),
                "score": float(record["score"]),
                "grade": str(record["grade"]),
            })
    data = pd.DataFrame(rows, columns=["month", "month_label", "which", "status", "score", "grade"])
    return (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X("month:O", timeUnit="yearmonth", title=None,
                    axis=alt.Axis(format=_month_format(), labelAngle=0 if current_language() == "zh" else -30)),
            y=alt.Y("which:N", title=None, sort=[computed, effective]),
            color=alt.Color("status:N", title=None, scale=scale, sort=names,
                            legend=alt.Legend(orient="top", direction="horizontal")),
            tooltip=[alt.Tooltip("month_label:N", title=t("loans.chart.month")),
                     alt.Tooltip("which:N", title=t("loans.chart.which")),
                     alt.Tooltip("status:N", title=t("loans.chart.status")),
                     alt.Tooltip("score:Q", title=t("loans.chart.score"), format=".1f"),
                     alt.Tooltip("grade:N", title=t("loans.chart.grade"))],
        )
        .properties(height=alt.Step(34))
    )
