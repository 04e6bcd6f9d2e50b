"""The heat matrices' altair specs: rect cells with a count each, rows and columns named in the
user's language and in reading order, complete grids and tooltips (no browser needed)."""

from __future__ import annotations

import pandas as pd

from dashboard.charts.heatmaps import (
    EMPTY_CELL,
    bucket_label,
    enterprise_category,
    industry_month,
    label_angle,
    month_label,
    rectification_days,
    tier_month,
)
from dashboard.i18n import set_language

MONTHS = ["2026-01", "2026-02", "2026-03"]


def _values(spec: dict) -> list[dict]:
    datasets = spec["datasets"]
    assert len(datasets) == 1
    return next(iter(datasets.values()))


def _cells(spec: dict) -> dict:
    rect, text = spec["layer"]
    assert rect["mark"]["type"] == "rect"
    assert text["mark"]["type"] == "text"
    return rect["encoding"]


def test_industry_month_matrix() -> None:
    found = pd.DataFrame({"industry": ["machinery", "hazardous_chemicals", "hazardous_chemicals"],
                          "month": ["2026-02", "2026-01", "2026-03"], "hazards": [1, 2, 5], "major": [0, 1, 2]})
    spec = industry_month(found, MONTHS).to_dict()
    encoding = _cells(spec)
    assert encoding["x"]["field"] == "column" and encoding["y"]["field"] == "row"
    assert encoding["x"]["sort"] == ["2026年1月", "2026年2月", "2026年3月"]
    assert encoding["y"]["sort"] == ["危险化学品", "机械"]  # most hazards first
    assert encoding["color"]["condition"]["field"] == "hazards"
    assert encoding["color"]["value"] == EMPTY_CELL
    assert [item["field"] for item in encoding["tooltip"]] == ["row", "column", "hazards", "major"]
    values = _values(spec)
    assert len(values) == 2 * 3  # every industry × every month, empty months as 0
    cells = {(v["row"], v["column"]): (v["hazards"], v["major"]) for v in values}
    assert cells[("危险化学品", "2026年3月")] == (5, 2)
    assert cells[("机械", "2026年1月")] == (0, 0)
    assert sum(v["hazards"] for v in values) == 8
    assert spec["height"] == 72 and spec["autosize"]["type"] == "fit-x"


def test_enterprise_category_matrix_in_english() -> None:
    set_language("en")
    holders = pd.DataFrame({
        "enterprise_id": [7, 7, 9], "name": ["甲化工有限公司", "甲化工有限公司", "乙机械有限公司"],
        "name_en": ["Jia Chemicals", "Jia Chemicals", None], "category": ["fire", "electrical", "fire"],
        "hazards": [2, 1, 1], "total": [3, 3, 1],
    })
    spec = enterprise_category(holders).to_dict()
    encoding = _cells(spec)
    assert encoding["y"]["sort"] == ["Jia Chemicals", "乙机械有限公司"]
    assert encoding["x"]["sort"] == ["Fire", "Electrical"]
    assert encoding["x"]["title"] == "Hazard category"
    cells = {(v["row"], v["column"]): (v["hazards"], v["total"]) for v in _values(spec)}
    assert cells == {("Jia Chemicals", "Fire"): (2, 3), ("Jia Chemicals", "Electrical"): (1, 3),
                     ("乙机械有限公司", "Fire"): (1, 1), ("乙机械有限公司", "Electrical"): (0, 1)}


def test_enterprises_sharing_a_name_get_separate_rows() -> None:
    holders = pd.DataFrame({"enterprise_id": [1, 2], "name": ["同名有限公司", "同名有限公司"], "name_en": [None, None],
                            "category": ["fire", "fire"], "hazards": [1, 1], "total": [1, 1]})
    encoding = _cells(enterprise_category(holders).to_dict())
    assert encoding["y"]["sort"] == ["同名有限公司 (#1)", "同名有限公司 (#2)"]


def test_tier_month_matrix() -> None:
    inspected = pd.DataFrame({"tier": ["self", "park"], "month": ["2026-01", "2026-03"], "inspections": [2, 1],
                              "enterprises": [1, 1]})
    spec = tier_month(inspected, MONTHS, ["self", "industry", "park"]).to_dict()
    encoding = _cells(spec)
    assert encoding["y"]["sort"] == ["企业全面自查", "行业专项检查", "园区综合督查"]
    values = _values(spec)
    assert len(values) == 9
    assert sum(v["inspections"] for v in values) == 3
    assert [item["title"] for item in encoding["tooltip"]] == ["检查层级", "月份", "检查(次)", "受检企业(家)"]


def test_rectification_days_matrix() -> None:
    rectified = pd.DataFrame({
        "category": ["electrical", "electrical", "fire"], "bucket": ["0_7", "16_30", "8_15"], "hazards": [1, 1, 1],
        "rectified": [2, 2, 1], "mean_days": [14.5, 14.5, 15.0], "max_days": [22, 22, 15],
    })
    spec = rectification_days(rectified).to_dict()
    encoding = _cells(spec)
    assert encoding["y"]["sort"] == ["消防(平均 15.0 天)", "电气(平均 14.5 天)"]  # slowest first
    assert encoding["x"]["sort"] == ["0–7 天", "8–15 天", "16–30 天", "31–60 天", "61–90 天", "91 天及以上"]
    values = _values(spec)
    assert len(values) == 2 * 6
    cells = {(v["row"], v["column"]): v["hazards"] for v in values}
    assert cells[("电气(平均 14.5 天)", "16–30 天")] == 1
    assert cells[("消防(平均 15.0 天)", "0–7 天")] == 0
    assert "mean_days" in [item["field"] for item in encoding["tooltip"]]


def test_labels_in_both_languages() -> None:
    assert month_label("2026-03") == "2026年3月"
    assert bucket_label("91_") == "91 天及以上"
    set_language("en")
    assert month_label("2026-03") == "Mar 2026"
    assert bucket_label("8_15") == "8–15 days"
    assert bucket_label("91_") == "91+ days"


def test_column_labels_slant_only_when_they_do_not_fit() -> None:
    assert label_angle(["Fire", "Electrical", "Other"]) == 0
    assert label_angle([f"2026年{m}月" for m in range(1, 13)]) == -40
