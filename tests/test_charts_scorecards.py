"""The charts of one enterprise's file: the specs carry the data and encodings a reader sees."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from dashboard.charts.scorecards import components_chart, grade_bands, score_trend_chart
from dashboard.i18n import format_month, set_language
from dashboard.services.evaluation import month_ends

THRESHOLDS = {"A": 90.0, "B": 75.0, "C": 60.0}


def _history() -> pd.DataFrame:
    ends = month_ends(date(2026, 11, 15))
    scores = [100, 98, 96, 91, 88, 80, 76, 74, 70, 62, 58, 64.5]
    grades = ["A" if s >= 90 else "B" if s >= 75 else "C" if s >= 60 else "D" for s in scores]
    return pd.DataFrame({"month": [format_month(day) for day in ends], "on": ends, "score": scores, "grade": grades})


def _layer(spec: dict[str, Any], mark: str) -> dict[str, Any]:
    found = [layer for layer in spec["layer"] if (layer["mark"]["type"] if isinstance(layer["mark"], dict)
                                                  else layer["mark"]) == mark]
    assert len(found) == 1, mark
    return found[0]


def _data(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """A layer's rows (its own data, or the chart's when the layers share it)."""
    return list(spec["datasets"][(layer.get("data") or spec["data"])["name"]])


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_trend_has_twelve_month_ends_in_order_over_the_grade_bands(language: str) -> None:
    set_language(language)
    history = _history()
    spec = score_trend_chart(history, THRESHOLDS).to_dict()
    line = _layer(spec, "line")
    rows = _data(spec, line)
    assert len(rows) == 12
    assert [row["score"] for row in rows] == list(history["score"])
    x, y = line["encoding"]["x"], line["encoding"]["y"]
    assert (x["field"], x["type"], y["field"], y["type"]) == ("month", "nominal", "score", "quantitative")
    assert x["sort"] == list(history["month"])  # oldest month first, not alphabetical
    assert y["scale"]["domain"] == [0, 100]
    assert x["title"] == ("月份" if language == "zh" else "Month")
    assert history["month"].iloc[-1] == ("2026年10月" if language == "zh" else "Oct 2026")
    points = _layer(spec, "point")
    assert [tip["field"] for tip in points["encoding"]["tooltip"]] == ["month", "score", "grade"]

    bands = _data(spec, _layer(spec, "rect"))
    assert [(band["grade"], band["low"], band["high"]) for band in bands] == [
        ("A", 90.0, 100.0), ("B", 75.0, 90.0), ("C", 60.0, 75.0), ("D", 0.0, 60.0)]
    labels = _data(spec, _layer(spec, "text"))
    assert [label["band"] for label in labels] == (["A 级", "B 级", "C 级", "D 级"] if language == "zh"
                                                   else ["Grade A", "Grade B", "Grade C", "Grade D"])


def test_grade_bands_follow_the_settings() -> None:
    bands = grade_bands({"A": 85.0, "B": 70.0, "C": 50.0})
    assert list(bands["low"]) == [85.0, 70.0, 50.0, 0.0]
    assert list(bands["high"]) == [100.0, 85.0, 70.0, 50.0]


def test_components_are_drawn_against_their_maxima() -> None:
    set_language("zh")
    components = pd.DataFrame({
        "component": ["隐患排查治理", "事故", "安全管理", "教育培训", "宣传牌", "执法合规"],
        "points": [23.0, 25.0, 5.0, 8.67, 0.0, 3.0],
        "maximum": [35.0, 25.0, 15.0, 10.0, 10.0, 5.0],
    })
    spec = components_chart(components).to_dict()
    bars = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
    assert [bar["encoding"]["x"]["field"] for bar in bars] == ["full", "share"]
    rows = _data(spec, bars[1])
    assert [row["component"] for row in rows] == list(components["component"])
    assert [round(row["share"], 3) for row in rows] == [round(23 / 35, 3), 1.0, round(5 / 15, 3), 0.867, 0.0, 0.6]
    assert bars[1]["encoding"]["y"]["sort"] == list(components["component"])  # in the scorecard's order
    labels = _data(spec, _layer(spec, "text"))
    assert [row["text"] for row in labels] == ["23 / 35", "25 / 25", "5 / 15", "8.67 / 10", "0 / 10", "3 / 5"]
    assert bars[0]["encoding"]["x"]["title"] == "得分率"
