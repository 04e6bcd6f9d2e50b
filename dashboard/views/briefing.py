"""The Briefing page's pieces: the cached briefing (beside the page for a large park), the documents made
on the click in the chosen language, and the sections drawn on the page."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from contextvars import copy_context
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from dashboard.briefing import briefing_document, briefing_filename
from dashboard.briefing.fonts import FontMissing, cjk_font_file
from dashboard.briefing.sections import NUMERIC_KINDS, Section, Table, briefing_sections, cell, cell_text
from dashboard.charts.briefing import colour_distribution_chart, hazard_trend_chart
from dashboard.clock import park_today  # noqa: F401  (for the page)
from dashboard.i18n import set_language
from dashboard.services.briefing import (  # noqa: F401  (default_month, month_shifted: for the page)
    MonthlyBriefing,
    default_month,
    month_shifted,
    monthly_briefing,
    monthly_briefing_of,
)
from dashboard.views.background import INLINE_ENTERPRISES, job
from dashboard.views.data import current_rules, database_key, engine, evaluations_at, load_evaluations
from dashboard.views.forms_common import plain
from dashboard.views.signed_in import on_click

TREND_HEIGHT_PX = 320
ROW_PX, MAX_TABLE_PX = 35, 740  # a table shows up to 20 rows without scrolling
MIME = {"pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@st.cache_resource(show_spinner=False, max_entries=8)
def _inline_briefing(url: str, revision: int, month: date, today: date) -> MonthlyBriefing:
    with Session(engine()) as session:
        return monthly_briefing(session, month, current_rules(), today,
                                evaluate_at=lambda day: evaluations_at(url, revision, day))


def briefing_now(month: date, today: date) -> Future[MonthlyBriefing]:
    """The briefing of ``month`` as seen on ``today`` (the as-of date): three all-enterprise passes. A small
    park's is made in the page's run (sharing the cached evaluations), a larger one's beside the page, once
    per month, date and data revision for every session."""
    url, revision = database_key()
    if len(load_evaluations(today)) <= INLINE_ENTERPRISES:
        done: Future[MonthlyBriefing] = Future()
        done.set_result(_inline_briefing(url, revision, month, today))
        return done
    return job(("briefing", url, revision, month, today), monthly_briefing_of, url, month, current_rules(), today)


@st.cache_data(show_spinner=False, max_entries=8)
def _document(url: str, revision: int, month: date, today: date, language: str, fmt: str, generated: date) -> bytes:
    briefing = briefing_now(month, today).result()
    context = copy_context()

    def make() -> bytes:
        set_language(language)
        return briefing_document(briefing, current_rules(), fmt, generated)

    return context.run(make)


def font_missing() -> str | None:
    """Why the documents cannot be made here (no CJK font), or None."""
    try:
        cjk_font_file()
    except FontMissing as error:
        return str(error)
    return None


def document_maker(month: date, today: date, language: str, fmt: str, generated: date) -> Callable[[], bytes]:
    """The briefing document, made when the download button is clicked (and kept per data revision), only while
    this tab's user may still open the briefing."""
    key = database_key()
    return on_click(lambda _: _document(*key, month, today, language, fmt, generated), page="briefing")


def document_filename(briefing: MonthlyBriefing, language: str, fmt: str) -> str:
    context = copy_context()

    def name() -> str:
        set_language(language)
        return briefing_filename(briefing, fmt)

    return context.run(name)


def _frame(table: Table) -> pd.DataFrame:
    titles = [column.title for column in table.columns]
    rows = [[cell_text(*cell(column, value)) for column, value in zip(table.columns, row, strict=True)]
            for row in table.rows]
    return pd.DataFrame(rows, columns=pd.Index(titles))


def _alignment(table: Table) -> dict[str, Any]:
    """Numbers right-aligned, as in the documents (a column of a comparison table holds numbers of several
    kinds, so the column's own kind or its first row's decides)."""
    config: dict[str, Any] = {}
    for index, column in enumerate(table.columns):
        kind = cell(column, table.rows[0][index])[0] if table.rows else column.kind
        if kind in NUMERIC_KINDS:
            config[column.title] = st.column_config.TextColumn(alignment="right")
    return config


def draw_section(section: Section, briefing: MonthlyBriefing) -> None:
    """One section as the page shows it: heading, sentences, charts (the documents' charts, drawn by the
    browser), then its tables or its numbered items."""
    st.subheader(section.title)
    for paragraph in section.paragraphs:
        st.markdown(plain(paragraph))
    for name in section.charts:  # drawn by the browser; the documents' pictures are drawn on the click
        if name == "colours":
            st.altair_chart(colour_distribution_chart(briefing))
        else:  # with Streamlit's theme the title and legend take their room out of the spec's height
            st.altair_chart(hazard_trend_chart(briefing), height=TREND_HEIGHT_PX)
    if section.bullets:
        st.markdown("\n".join(f"{index}. {plain(item)}" for index, item in enumerate(section.bullets, start=1)))
        return
    for table in section.tables:
        if not table.printed:  # the data behind a chart, for the workbook
            continue
        if table.title:
            st.markdown(f"**{plain(table.title)}**")
        if not table.rows:
            if table.empty:
                st.caption(plain(table.empty))
            continue
        st.dataframe(_frame(table), hide_index=True, width="stretch",
                     height=min(ROW_PX * (len(table.rows) + 1) + 3, MAX_TABLE_PX), column_config=_alignment(table))


def sections(briefing: MonthlyBriefing) -> list[Section]:
    return briefing_sections(briefing, current_rules())
