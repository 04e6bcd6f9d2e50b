"""Scorecards 企业评分卡: every enterprise ranked by score, and one enterprise's file (一企一档).

``scorecards?enterprise=12`` opens the file of enterprise 12; without it (or with an id no
enterprise has) the page shows the ranked list.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.views.context import as_of
from dashboard.views.data import load_enterprise_table
from dashboard.views.scorecards import draw_file, draw_list, load_file, requested_enterprise

day = as_of()
enterprise_id, raw = requested_enterprise()
record = load_file(day, enterprise_id) if enterprise_id is not None else None

if record is not None:
    draw_file(record)
else:
    if raw is not None:
        st.warning(t("scorecards.unknown_enterprise", value=raw))
    draw_list(load_enterprise_table(day), day)
