"""The served application: the Streamlit script plus the session-cookie routes, on Starlette.

``park-safety serve`` runs ``streamlit run`` on this file; Streamlit finds ``app`` and serves it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.auth_routes import auth_routes

APP_SCRIPT = Path(__file__).resolve().parent / "app.py"

app = st.App(APP_SCRIPT, routes=auth_routes())
