"""The Overview's chart specs: encodings, data and labels in the user's language (no browser needed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from dashboard.charts.overview import accidents_target_chart, hazard_trend_chart
from dashboard.i18n import set_language
from dashboard.services.overview import months_ending


def _trend() -> pd.DataFrame:
    months = months_ending(date(2026, 6, 15))
    return pd.DataFrame({"month": months, "found": range(24), "closed": [2 * n for n in range(24)]})


def _only_dataset(spec: dict[str, Any]) -> list[dict[str, Any]]:
    datasets = list(spec["datasets"].values())
    assert len(datasets) == 1
    rows: list[dict[str, Any]] = datasets[0]
    return rows


def test_trend_has_one_row_per_month_and_folds_found_and_closed() -> None:
    spec = hazard_trend_chart(_trend()).to_dict()
    rows = _only_dataset(spec)
    assert len(rows) == 24
    assert rows[0]["发现"] == 0 and rows[-1]["销号（已验收）"] == 46
    assert rows[0]["month_label"] == "2024年7月"
    assert spec["transform"] == [{"fold": ["发现", "销号（已验收）"], "as": ["series", "hazards"]}]
    encoding = spec["encoding"]
    assert encoding["x"]["field"] == "month" and encoding["x"]["type"] == "temporal"
    assert encoding["x"]["timeUnit"] == "yearmonth"
    assert encoding["x"]["axis"]["format"] == "%Y年%-m月"
    assert encoding["y"]["field"] == "hazards" and encoding["y"]["type"] == "quantitative"
    assert encoding["color"]["field"] == "series"
    assert encoding["color"]["scale"]["domain"] == ["发现", "销号（已验收）"]
    assert spec["mark"]["type"] == "line"


def test_trend_speaks_english() -> None:
    set_language("en")
    spec = hazard_trend_chart(_trend()).to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Found", "Closed (verified)"]
    assert spec["encoding"]["y"]["title"] == "Hazards"
    assert spec["encoding"]["x"]["axis"]["format"] == "%b %Y"
    assert _only_dataset(spec)[-1]["month_label"] == "Jun 2026"


def _levels(general: int, larger: int) -> pd.DataFrame:
    return pd.DataFrame({"level": ["general", "larger", "major", "especially_major"],
                         "accidents": [general, larger, 0, 0]})


def test_accidents_bar_is_stacked_by_level_with_the_target_beside_it() -> None:
    spec = accidents_target_chart(_levels(6, 1), target=3).to_dict()
    bars, target_bar, rule = spec["layer"]
    assert bars["encoding"]["x"]["field"] == "accidents" and bars["encoding"]["x"]["stack"] == "zero"
    assert bars["encoding"]["color"]["field"] == "level"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["一般事故", "较大事故"]  # the levels that occurred
    bar_rows = spec["datasets"][bars["data"]["name"]]
    assert {row["level"]: row["accidents"] for row in bar_rows} == {"一般事故": 6, "较大事故": 1}
    assert target_bar["mark"]["type"] == "bar" and rule["mark"]["type"] == "rule"
    assert spec["datasets"][rule["data"]["name"]][0]["target"] == 3
    assert rule["encoding"]["x"]["field"] == "target"
    assert bars["encoding"]["y"]["scale"]["domain"] == ["本年", "年度目标"]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 7]


def test_accidents_without_a_target_show_the_bar_alone() -> None:
    set_language("en")
    spec = accidents_target_chart(_levels(0, 0), target=None).to_dict()
    assert len(spec["layer"]) == 1
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == ["This year"]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == []
