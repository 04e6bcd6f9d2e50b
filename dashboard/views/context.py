"""What every page reads from the sidebar: the language and the as-of date.

The language comes from the ``lang`` query parameter (a shared link), else this session's
choice, else the ``park_safety_lang`` cookie (a refresh), else the settings. The as-of date
is the sidebar's date picker, today in the park's time zone unless the user picks another day.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.clock import park_today
from dashboard.http_headers import COOKIE_SCRIPT, inline_script
from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, set_language, t
from dashboard.settings import get_settings

LANGUAGE_KEY = "_park_safety_language"
LANGUAGE_COOKIE = "park_safety_lang"
AS_OF_KEY = "as_of"
EARLIEST = date(2000, 1, 1)


def resolve_language() -> str:
    """Make the user's language current for this run and return it."""
    cookie = st.context.cookies.get(LANGUAGE_COOKIE)
    requested = st.query_params.get("lang") or st.session_state.get(LANGUAGE_KEY) \
        or (cookie if isinstance(cookie, str) else None) or get_settings().language
    language = set_language(str(requested))
    st.session_state[LANGUAGE_KEY] = language
    return language


def language_switch() -> None:
    """The sidebar's language switch; a change is remembered in a cookie and applied at once."""
    language = st.session_state[LANGUAGE_KEY]
    chosen = st.sidebar.radio(
        t("app.language"), LANGUAGES, index=LANGUAGES.index(language), format_func=LANGUAGE_NAMES.__getitem__,
        key="language_select", horizontal=True,
    )
    if chosen != language:
        st.session_state[LANGUAGE_KEY] = chosen
        if "lang" in st.query_params:
            st.query_params["lang"] = chosen
        st.session_state["_park_safety_lang_cookie"] = chosen
        st.rerun()
    pending = st.session_state.pop("_park_safety_lang_cookie", None)
    if pending:
        cookie = f"{LANGUAGE_COOKIE}={pending}; path=/; max-age=31536000; SameSite=Lax"
        st.html(inline_script(COOKIE_SCRIPT, cookie=cookie), unsafe_allow_javascript=True)


def as_of_picker() -> date:
    """The sidebar's as-of date (default today); every page evaluates the park at this date."""
    today = park_today()
    if AS_OF_KEY not in st.session_state:
        st.session_state[AS_OF_KEY] = today
    picked = st.sidebar.date_input(t("app.as_of"), min_value=EARLIEST, max_value=today, key=AS_OF_KEY,
                                   help=t("app.as_of_help"), format="YYYY-MM-DD")
    return picked if isinstance(picked, date) else today


def as_of() -> date:
    """The as-of date picked in the sidebar for this run (today before the sidebar is drawn)."""
    picked = st.session_state.get(AS_OF_KEY)
    return picked if isinstance(picked, date) else park_today()
