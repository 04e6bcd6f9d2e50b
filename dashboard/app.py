"""Entry script: page config, language, the sign-in gate, and the navigation for the user's role.

Routing only: the pages under ``pages/`` draw; this script decides who may see which. A database that
cannot be reached or refuses writes, anywhere in the run (the sign-in check, a page), ends the run with
one message in the user's language (``views/faults.py``); the language needs no database.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.i18n import t
from dashboard.navigation import pages_for
from dashboard.views.context import as_of_picker, language_switch, resolve_language
from dashboard.views.faults import page_guard
from dashboard.views.session import current_user, keep_cookie_in_step, sign_in_page, sign_out_button

ICON = Path(__file__).resolve().parent / "icon.png"

# A local icon: a Material icon as page_icon makes the browser fetch it from fonts.gstatic.com.
st.set_page_config(page_title="园区安全生产监管看板", page_icon=str(ICON), layout="wide")

resolve_language()
language_switch()

with page_guard():
    user = current_user()
    if user is None:
        st.navigation([st.Page(sign_in_page, title=t("session.title"), url_path="sign-in", default=True)],
                      position="hidden").run()
        st.stop()

    keep_cookie_in_step()
    as_of_picker()
    sign_out_button(user)

    specs = pages_for(user.actor.role)
    home = specs[0]
    # Streamlit serves the default page at the root only and answers "Page not found" at its url_path, so the
    # default page takes the root ("") and the same script answers at its own path too, hidden from the sidebar:
    # a bookmark or a link to /overview opens the overview.
    pages = [
        st.Page(home.path, title=t(f"page.{home.key}"), icon=home.icon, url_path="", default=True),
        st.Page(home.path, title=t(f"page.{home.key}"), icon=home.icon, url_path=home.url_path, visibility="hidden"),
        *(st.Page(spec.path, title=t(f"page.{spec.key}"), icon=spec.icon, url_path=spec.url_path)
          for spec in specs[1:]),
    ]
    st.navigation(pages).run()
