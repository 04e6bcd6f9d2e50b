"""The Briefing page on the demo park, both backends: the month that ended last by default, its key figures
equal to the Overview's for the same as-of date, every section, the two charts, the PDF and the XLSX made
on the click in the chosen language, a month in progress, and English."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from dashboard.i18n import CATALOGS
from tests.apptest import download, open_app, texts

ZH, EN = CATALOGS["zh"], CATALOGS["en"]
SECTIONS = ("summary", "hazards", "hazard_list", "colours", "accidents", "enforcement", "loans", "at_risk", "work")
# the Overview's key figure -> the same figure's row in the briefing's summary
SAME_FIGURES = {
    "overview.kpi.enterprises": "briefing.figure.enterprises",
    "overview.kpi.signage": "briefing.figure.signage_rate",
    "overview.kpi.open": "briefing.figure.open",
    "overview.kpi.overdue": "briefing.figure.overdue",
    "overview.kpi.major": "briefing.figure.major",
    "overview.kpi.on_time": "briefing.figure.on_time_365",
    "overview.kpi.accidents": "briefing.figure.accidents_this_year",
    "overview.kpi.ineligible": "briefing.figure.ineligible",
}


def _last_month_end(today: date) -> date:
    return today.replace(day=1) - timedelta(days=1)


def _summary(at: AppTest) -> dict[str, str]:
    """The summary table's figures in the briefing's month: figure -> value as shown."""
    table = at.dataframe[0].value
    return dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))


def test_the_briefings_figures_equal_the_overviews_for_the_same_as_of_date(demo_app_url: str, today: date) -> None:
    month_end = _last_month_end(today)
    overview = open_app("committee", as_of=month_end)
    assert not overview.exception
    metrics = {m.label: m.value for m in overview.metric}

    at = open_app("committee", page="briefing", as_of=month_end)
    assert not at.exception
    assert at.selectbox(key="briefing_month").value == month_end.replace(day=1)
    summary = _summary(at)
    for kpi, figure in SAME_FIGURES.items():
        assert summary[ZH[figure]] == metrics[ZH[kpi]], (figure, summary[ZH[figure]], metrics[ZH[kpi]])


def test_every_section_the_charts_and_both_documents(demo_app_url: str, today: date) -> None:
    month_end = _last_month_end(today)
    at = open_app("committee", page="briefing", as_of=month_end)
    assert not at.exception
    shown = [s.value for s in at.subheader]
    assert shown == [ZH[f"briefing.section.{key}"].format(count=10) for key in SECTIONS]
    assert len(at.get("vega_lite_chart")) == 2  # the documents' two charts, drawn by the browser
    assert "下载 PDF" in [b.label for b in at.get("download_button")]
    month = f"{month_end.year}年{month_end.month}月"
    assert ZH["briefing.page.caption"].split("{")[0] in texts(at)

    name, pdf = download(at, "briefing_pdf")
    assert name == f"briefing-{month_end:%Y-%m}-zh.pdf"
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    assert all(month in "".join(text.split()) for text in pages)

    at.radio(key="briefing_language").set_value("en").run()
    assert not at.exception
    assert at.subheader[0].value == ZH["briefing.section.summary"]  # the page stays in the user's language
    name, xlsx = download(at, "briefing_xlsx")
    assert name == f"briefing-{month_end:%Y-%m}-en.xlsx"
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == [EN[f"briefing.sheet.{key}"] for key in SECTIONS]


def test_the_month_in_progress_and_english(demo_app_url: str, today: date) -> None:
    at = open_app("admin", page="briefing", language="en", as_of=today)
    assert not at.exception
    at.selectbox(key="briefing_month").set_value(today.replace(day=1)).run()
    assert not at.exception
    assert at.subheader[0].value == "1. The month at a glance"
    in_progress = (today + timedelta(days=1)).day != 1  # unless today is the month's last day
    shown = texts(at).replace("\\", "")  # markdown escapes what it shows as typed
    assert ("The month is not over: its figures are counted up to" in shown) == in_progress
