"""The Heatmaps page's heat matrices: aggregated DataFrames (``services/heatmaps.py``) in, altair charts out.

Each matrix is a layer of ``rect`` cells coloured by a count and the count written in the cell.
Rows and columns are named in the user's language (``label()``, ``format_month``), ordered
for reading (most first, months in order), and every cell has a tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import altair as alt
import pandas as pd

from dashboard.i18n import format_month, format_number, label, name_in_language, t
from dashboard.services.heatmaps import DAY_BUCKETS

Scheme = Literal["orangered", "reds", "blues", "purples"]
ROW_HEIGHT = 24
MIN_HEIGHT = 72
EMPTY_CELL = "#f1f3f6"  # a cell with nothing in it
COLUMN_AREA = 560  # pixels the columns share on a wide screen, beside the row labels and the legend


def month_label(month: str) -> str:
    """``2026-03`` → 2026年3月 / Mar 2026."""
    year, number = month.split("-")
    return format_month(date(int(year), int(number), 1))


def bucket_label(key: str) -> str:
    """A rectification-day bucket key (``8_15``, ``91_``) in words."""
    for bucket, first, last in DAY_BUCKETS:
        if bucket == key:
            if last is None:
                return t("heatmaps.days_over", first=first)
            return t("heatmaps.days_range", first=first, last=last)
    return key


def _heat(data: pd.DataFrame, *, x: str, x_title: str, x_order: Sequence[str], y: str, y_title: str,
          y_order: Sequence[str], value: str, value_title: str, tooltip: list[alt.Tooltip],
          scheme: Scheme, y_axis_title: bool = True) -> alt.LayerChart:
    """A rect heat matrix with the count written in every non-empty cell."""
    highest = max(int(data[value].max()) if not data.empty else 0, 1)
    height = max(MIN_HEIGHT, ROW_HEIGHT * max(len(y_order), 1))
    base = alt.Chart(data).encode(
        x=alt.X(f"{x}:N", sort=list(x_order), title=x_title,
                axis=alt.Axis(labelAngle=label_angle(x_order), labelLimit=140, orient="top", labelOverlap=False,
                              labelFontSize=11)),
        y=alt.Y(f"{y}:N", sort=list(y_order), title=y_title if y_axis_title else None,
                axis=alt.Axis(labelLimit=300, labelOverlap=False, labelFontSize=11)),
    )
    colour = alt.Color(f"{value}:Q", title=value_title, scale=alt.Scale(scheme=scheme, domainMin=0),
                       legend=alt.Legend(orient="right", gradientLength=min(120, height - 24)))
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.condition(alt.datum[value] > 0, colour, alt.value(EMPTY_CELL)),
        tooltip=tooltip,
    )
    numbers = base.mark_text(fontSize=11).encode(
        text=alt.Text(f"{value}:Q", format=",d"),
        color=alt.condition(alt.datum[value] > highest * 0.55, alt.value("white"), alt.value("#1f2937")),
        tooltip=tooltip,
    ).transform_filter(alt.datum[value] > 0)
    # fit the width only: the height is the cells' (Streamlit's default "fit" would squeeze the rows)
    return alt.LayerChart(layer=[cells, numbers]).properties(
        width="container", height=height, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def _text_width(text: str) -> float:
    """Roughly how many pixels an 11-pixel label takes (a Chinese character about twice a Latin one)."""
    return sum(11.0 if ord(char) > 0x2E80 else 7.0 for char in text)


def label_angle(labels: Sequence[str], width: int = COLUMN_AREA) -> int:
    """0 when the column labels fit side by side in ``width`` pixels, else slanted."""
    if not labels:
        return 0
    room = width / len(labels)
    return 0 if max(_text_width(text) for text in labels) + 6 <= room else -40


def industry_month(table: pd.DataFrame, months: Sequence[str]) -> alt.LayerChart:
    """Hazards found per industry (rows, most first) and month (columns, every month of the range)."""
    industries = list(table.groupby("industry")["hazards"].sum().sort_values(ascending=False, kind="stable").index)
    grid = pd.MultiIndex.from_product([industries, list(months)], names=["industry", "month"]).to_frame(index=False)
    data = grid.merge(table, on=["industry", "month"], how="left").fillna({"hazards": 0, "major": 0})
    data[["hazards", "major"]] = data[["hazards", "major"]].astype(int)
    data["row"] = data["industry"].map(lambda value: label("industry", value))
    data["column"] = data["month"].map(month_label)
    return _heat(
        data[["row", "column", "hazards", "major"]], x="column", x_title=t("heatmaps.month"),
        x_order=[month_label(month) for month in months], y="row", y_title=t("heatmaps.industry"),
        y_order=[label("industry", value) for value in industries], value="hazards",
        value_title=t("heatmaps.hazards_found"), scheme="orangered",
        tooltip=[alt.Tooltip("row:N", title=t("heatmaps.industry")),
                 alt.Tooltip("column:N", title=t("heatmaps.month")),
                 alt.Tooltip("hazards:Q", title=t("heatmaps.hazards_found"), format=",d"),
                 alt.Tooltip("major:Q", title=t("heatmaps.major_found"), format=",d")],
    )


def enterprise_category(table: pd.DataFrame) -> alt.LayerChart:
    """Open hazards per enterprise (rows, most first, as the service ranks them) and hazard category
    (columns, most first); enterprises are named in the user's language."""
    order = list(dict.fromkeys(int(value) for value in table["enterprise_id"]))
    names = {int(enterprise_id): name_in_language(str(name), name_en) for enterprise_id, name, name_en
             in zip(table["enterprise_id"], table["name"], table["name_en"], strict=True)}
    shown = _unique_names(order, names)
    categories = list(table.groupby("category")["hazards"].sum().sort_values(ascending=False, kind="stable").index)
    grid = pd.MultiIndex.from_product([order, categories], names=["enterprise_id", "category"]).to_frame(index=False)
    data = grid.merge(table[["enterprise_id", "category", "hazards"]], on=["enterprise_id", "category"], how="left")
    data["hazards"] = data["hazards"].fillna(0).astype(int)
    totals = table.drop_duplicates("enterprise_id").set_index("enterprise_id")["total"]
    data["total"] = data["enterprise_id"].map(totals).astype(int)
    data["row"] = data["enterprise_id"].map(shown)
    data["column"] = data["category"].map(lambda value: label("hazard_category", value))
    return _heat(
        data[["row", "column", "hazards", "total"]], x="column", x_title=t("heatmaps.category"),
        x_order=[label("hazard_category", value) for value in categories], y="row", y_title=t("heatmaps.enterprise"),
        y_order=[shown[enterprise_id] for enterprise_id in order], value="hazards",
        value_title=t("heatmaps.open_hazards"), scheme="reds", y_axis_title=False,
        tooltip=[alt.Tooltip("row:N", title=t("heatmaps.enterprise")),
                 alt.Tooltip("column:N", title=t("heatmaps.category")),
                 alt.Tooltip("hazards:Q", title=t("heatmaps.open_hazards"), format=",d"),
                 alt.Tooltip("total:Q", title=t("heatmaps.open_total"), format=",d")],
    )


def tier_month(table: pd.DataFrame, months: Sequence[str], tiers: Sequence[str]) -> alt.LayerChart:
    """Inspections per tier (rows, in ``tiers`` order) and month (columns, every month of the range)."""
    grid = pd.MultiIndex.from_product([list(tiers), list(months)], names=["tier", "month"]).to_frame(index=False)
    data = grid.merge(table, on=["tier", "month"], how="left").fillna({"inspections": 0, "enterprises": 0})
    data[["inspections", "enterprises"]] = data[["inspections", "enterprises"]].astype(int)
    data["row"] = data["tier"].map(lambda value: label("inspection_tier", value))
    data["column"] = data["month"].map(month_label)
    return _heat(
        data[["row", "column", "inspections", "enterprises"]], x="column", x_title=t("heatmaps.month"),
        x_order=[month_label(month) for month in months], y="row", y_title=t("heatmaps.tier"),
        y_order=[label("inspection_tier", value) for value in tiers], value="inspections",
        value_title=t("heatmaps.inspections"), scheme="blues",
        tooltip=[alt.Tooltip("row:N", title=t("heatmaps.tier")),
                 alt.Tooltip("column:N", title=t("heatmaps.month")),
                 alt.Tooltip("inspections:Q", title=t("heatmaps.inspections"), format=",d"),
                 alt.Tooltip("enterprises:Q", title=t("heatmaps.inspected_enterprises"), format=",d")],
    )


def rectification_days(table: pd.DataFrame) -> alt.LayerChart:
    """Hazards rectified per category (rows, slowest on average first) and days taken (columns, buckets).

    A row is labelled with the category's mean days, so the average reads without hovering.
    """
    per_category = table.drop_duplicates("category").set_index("category")
    categories = list(per_category["mean_days"].sort_values(ascending=False, kind="stable").index)
    buckets = [key for key, _first, _last in DAY_BUCKETS]
    grid = pd.MultiIndex.from_product([categories, buckets], names=["category", "bucket"]).to_frame(index=False)
    data = grid.merge(table[["category", "bucket", "hazards"]], on=["category", "bucket"], how="left")
    data["hazards"] = data["hazards"].fillna(0).astype(int)
    means = {str(category): float(days) for category, days in per_category["mean_days"].items()}
    rows = {category: t("heatmaps.category_mean", name=label("hazard_category", category),
                        days=format_number(means[category]))
            for category in categories}
    data["row"] = data["category"].map(rows)
    data["column"] = data["bucket"].map(bucket_label)
    data["rectified"] = data["category"].map(per_category["rectified"]).astype(int)
    data["mean_days"] = data["category"].map(per_category["mean_days"]).astype(float)
    data["max_days"] = data["category"].map(per_category["max_days"]).astype(int)
    return _heat(
        data[["row", "column", "hazards", "rectified", "mean_days", "max_days"]], x="column",
        x_title=t("heatmaps.days_taken"), x_order=[bucket_label(key) for key in buckets], y="row",
        y_title=t("heatmaps.category"), y_order=[rows[category] for category in categories], value="hazards",
        value_title=t("heatmaps.hazards_rectified"), scheme="purples",
        tooltip=[alt.Tooltip("row:N", title=t("heatmaps.category")),
                 alt.Tooltip("column:N", title=t("heatmaps.days_taken")),
                 alt.Tooltip("hazards:Q", title=t("heatmaps.hazards_rectified"), format=",d"),
                 alt.Tooltip("rectified:Q", title=t("heatmaps.rectified_total"), format=",d"),
                 alt.Tooltip("mean_days:Q", title=t("heatmaps.mean_days"), format=",.1f"),
                 alt.Tooltip("max_days:Q", title=t("heatmaps.max_days"), format=",d")],
    )


def _unique_names(order: Sequence[int], names: dict[int, str]) -> dict[int, str]:
    """Each enterprise's name, with its id added where two share a name (rows must differ)."""
    shown = {enterprise_id: names.get(enterprise_id, str(enterprise_id)) for enterprise_id in order}
    counts = pd.Series(list(shown.values())).value_counts()
    return {enterprise_id: f"{name} (#{enterprise_id})" if counts[name] > 1 else name
            for enterprise_id, name in shown.items()}
