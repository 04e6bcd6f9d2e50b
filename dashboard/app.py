"""Entry script: page config, language, navigation. Routing only."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, set_language, t
from dashboard.settings import get_settings

PAGES = Path(__file__).resolve().parent.parent / "pages"

st.set_page_config(page_title="园区安全生产监管看板", page_icon=":material/health_and_safety:", layout="wide")

requested = st.query_params.get("lang", get_settings().language)
language = set_language(requested)
chosen = st.sidebar.selectbox(
    t("app.language"), LANGUAGES, index=LANGUAGES.index(language), format_func=LANGUAGE_NAMES.__getitem__,
)
if chosen != language:
    st.query_params["lang"] = chosen
    set_language(chosen)
    st.rerun()

navigation = st.navigation([
    st.Page(PAGES / "overview.py", title=t("page.overview"), icon=":material/dashboard:", default=True),
])
navigation.run()
