"""Briefing 会议简报: the committee's monthly meeting briefing, read on the page and taken to the meeting as
a PDF or an XLSX workbook."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, format_date, format_month, t
from dashboard.views.background import result_or_none, wait_for
from dashboard.views.briefing import (
    MIME,
    briefing_now,
    default_month,
    document_filename,
    document_maker,
    draw_section,
    font_missing,
    month_shifted,
    park_today,
    sections,
)
from dashboard.views.context import as_of
from dashboard.views.data import load_park_summary

MONTHS_OFFERED = 36

st.title(t("page.briefing"))
if load_park_summary().name is None:
    st.info(t("overview.no_park"))
    st.stop()

day = as_of()
latest = day.replace(day=1)
months = [month_shifted(latest, -n) for n in range(MONTHS_OFFERED)]
month_names = {first: format_month(first) for first in months}  # named in this run's language
chosen, language_column = st.columns([2, 3])
month = chosen.selectbox(t("briefing.page.month"), months, index=months.index(default_month(day)),
                         format_func=month_names.__getitem__, key="briefing_month")
language = language_column.radio(t("briefing.page.language"), LANGUAGES, index=LANGUAGES.index(current_language()),
                                 format_func=LANGUAGE_NAMES.__getitem__, horizontal=True, key="briefing_language")

future = briefing_now(month, day)
briefing = result_or_none(future)
if briefing is None:
    wait_for(future, t("briefing.page.computing"))
    st.stop()

st.caption(t("briefing.page.caption", closing=format_date(briefing.month.closing),
             previous=format_month(briefing.previous.month), last_year=format_month(briefing.last_year.month)))
generated = park_today()
unavailable = font_missing()
if unavailable:
    st.warning(unavailable, icon=":material/font_download_off:")
buttons = st.columns([1, 1, 3])
for column, fmt, icon in ((buttons[0], "pdf", ":material/picture_as_pdf:"), (buttons[1], "xlsx", ":material/table:")):
    column.download_button(
        t(f"briefing.page.download_{fmt}"), document_maker(month, day, language, fmt, generated),
        file_name=document_filename(briefing, language, fmt), mime=MIME[fmt], icon=icon, key=f"briefing_{fmt}",
        on_click="ignore", type="primary" if fmt == "pdf" else "secondary", disabled=unavailable is not None,
    )

for section in sections(briefing):
    draw_section(section, briefing)
