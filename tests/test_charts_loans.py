"""The loan desk's chart specs: encodings, colours, data and labels in the user's language."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from dashboard.charts.loans import STATUS_COLOURS, enterprise_status_chart, park_status_chart
from dashboard.i18n import set_language
from dashboard.rules.loan_eligibility import STATUSES
from dashboard.services.evaluation import month_ends

MONTHS = month_ends(date(2026, 5, 20), 12)


def rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    (data,) = spec["datasets"].values()
    return list(data)


def park_counts() -> pd.DataFrame:
    return pd.DataFrame([
        {"on": on, "status": status, "enterprises": 10 * (index + 1) + month}
        for month, on in enumerate(MONTHS) for index, status in enumerate(STATUSES)
    ])


def test_the_park_chart_stacks_one_bar_per_month_end_coloured_by_status() -> None:
    spec = park_status_chart(park_counts()).to_dict()
    assert spec["mark"]["type"] == "bar"
    encoding = spec["encoding"]
    assert (encoding["x"]["field"], encoding["x"]["timeUnit"]) == ("month", "yearmonth")
    assert (encoding["y"]["field"], encoding["y"]["stack"], encoding["y"]["title"]) == ("enterprises", "zero", "企业数")
    assert encoding["color"]["scale"] == {
        "domain": ["不予支持", "有条件支持", "支持"], "range": [STATUS_COLOURS[s] for s in STATUSES]}
    assert [t["title"] for t in encoding["tooltip"]] == ["月末", "状态", "企业数"]
    data = rows(spec)
    assert len(data) == 12 * 3
    may = [row for row in data if row["month_label"] == "2026年4月"]
    assert {row["status"]: row["enterprises"] for row in may} == {"不予支持": 21, "有条件支持": 31, "支持": 41}
    assert {row["order"] for row in may} == {0, 1, 2}


def test_the_park_chart_speaks_english() -> None:
    set_language("en")
    try:
        spec = park_status_chart(park_counts()).to_dict()
    finally:
        set_language("zh")
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Not supported", "Conditional", "Eligible"]
    assert spec["encoding"]["y"]["title"] == "Enterprises"
    assert rows(spec)[0]["month_label"] == "May 2025"


def test_the_enterprise_chart_shows_the_computed_and_the_effective_status_of_each_month() -> None:
    history = pd.DataFrame({
        "on": MONTHS,
        "status": ["ineligible"] * 12,
        "effective_status": ["ineligible"] * 10 + ["eligible"] * 2,  # an override for the last two months
        "score": [58.5] * 12,
        "grade": ["D"] * 12,
    })
    spec = enterprise_status_chart(history).to_dict()
    assert spec["mark"]["type"] == "rect"
    assert spec["encoding"]["y"]["sort"] == ["规则认定", "有效状态"]
    assert spec["height"] == {"step": 34}
    data = rows(spec)
    assert len(data) == 24
    last = {row["which"]: row["status"] for row in data if row["month_label"] == "2026年4月"}
    assert last == {"规则认定": "不予支持", "有效状态": "支持"}
    assert {row["score"] for row in data} == {58.5}
