"""The served application: the Streamlit script plus the session-cookie routes, on Starlette, with the
security headers (``dashboard/http_headers.py``) on every response and the guards on Streamlit's own
websocket, upload, media and metrics routes (``dashboard/server_guard.py``).

``park-safety serve`` runs ``streamlit run`` on this file; Streamlit finds ``app`` and serves it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard.auth_routes import auth_routes
from dashboard.http_headers import SecurityHeaders
from dashboard.server_guard import ServerGuardMiddleware

APP_SCRIPT = Path(__file__).resolve().parent / "app.py"

app = st.App(APP_SCRIPT, routes=auth_routes(), middleware=[Middleware(SecurityHeaders),
                                                              Middleware(ServerGuardMiddleware)])
