"""The served application: the Streamlit script plus the session-cookie routes, on Starlette, with the
security headers (``dashboard/http_headers.py``) on every response and the guards on Streamlit's own
websocket, upload, media and metrics routes (``dashboard/server_guard.py``).

``park-safety serve`` runs ``streamlit run`` on this file; Streamlit finds ``app`` and serves it. When the
server shuts down (SIGTERM, SIGINT) it ends its background worker processes, a job in progress with them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.middleware import Middleware

from dashboard.auth_routes import auth_routes
from dashboard.http_headers import SecurityHeaders
from dashboard.server_guard import ServerGuardMiddleware
from dashboard.views.background import stop_workers

APP_SCRIPT = Path(__file__).resolve().parent / "app.py"


@asynccontextmanager
async def _workers_end_with_the_server(_app: Any) -> AsyncIterator[None]:
    yield
    stop_workers()


app = st.App(APP_SCRIPT, routes=auth_routes(), lifespan=_workers_end_with_the_server,
             middleware=[Middleware(SecurityHeaders), Middleware(ServerGuardMiddleware)])
