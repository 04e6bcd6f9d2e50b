"""Security headers on every HTTP response of the served app, and the few inline scripts its policy allows.

:class:`SecurityHeaders` is an ASGI middleware (wrapped around Streamlit's Starlette app in
``dashboard/server.py``) that adds to every HTTP response, whatever route made it (the page, Streamlit's
static files and ``/_stcore/*`` endpoints, ``/media``, the ``/auth/*`` cookie routes):

- ``Content-Security-Policy``: scripts only from this origin, plus the inline scripts listed here by their
  SHA-256 (Streamlit's page has one, the app posts the session cookie and keeps the language cookie with
  two more); no ``eval`` (Streamlit draws Vega charts with its interpreter), only WebAssembly's compiler
  (``'wasm-unsafe-eval'``: Streamlit's protobuf decoder uses it for 64-bit numbers); styles inline as Streamlit's
  CSS-in-JS needs; images, fonts, media and workers from this origin or ``data:``/``blob:``; connections
  (the websocket, the cookie routes) only to this origin; no plugins; forms post only here; only this
  origin may frame the app (``frame-ancestors 'self'``).
- ``X-Frame-Options: SAMEORIGIN`` for browsers that predate ``frame-ancestors``.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``.

Nothing is ever fetched from another origin (the risk map has no basemap, the icons are local), so the
policy names none.

An inline script passes the policy only if its text is exactly one of :data:`INLINE_SCRIPTS`; what varies
(a path, a request body, a cookie) travels in ``data-*`` attributes that :func:`inline_script` writes and
the script reads through ``document.currentScript``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import streamlit
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard.auth_routes import HEADER

# POSTs a JSON body to a same-origin route with the X-Park-Safety header (dashboard/auth_routes.py). The body
# (it may hold the session token) is taken off the element before the request is sent, and once the request
# has been answered the script removes itself, so the page keeps no copy of it. A busy server may fail to
# answer (no connection, or a 5xx): the request is tried again, up to five times, 1, 2, 4 and 8 s apart.
POST_SCRIPT = (
    "(() => {"
    " const me = document.currentScript;"
    " const body = me.dataset.body || '{}';"
    " const reload = me.dataset.reload === '1';"
    " me.removeAttribute('data-body');"
    " const send = (tries) => fetch(me.dataset.path, {method: 'POST', credentials: 'same-origin',"
    f" headers: {{'Content-Type': 'application/json', {json.dumps(HEADER)}: '1'}}, body: body}})"
    ".then((answer) => { if (answer.status >= 500) { throw new Error(String(answer.status)); } })"
    ".catch(() => tries < 4 ? new Promise((wait) => setTimeout(wait, 1000 * 2 ** tries)).then(() => send(tries + 1))"
    " : undefined);"
    " send(0).finally(() => { me.remove(); if (reload) { window.location.reload(); } });"
    " })();"
)

# Sets one ordinary (not HttpOnly) cookie: the language choice.
COOKIE_SCRIPT = "document.cookie = document.currentScript.dataset.cookie;"

INLINE_SCRIPTS = (POST_SCRIPT, COOKIE_SCRIPT)


def inline_script(script: str, **data: str) -> str:
    """The HTML of an inline ``<script>`` (one of :data:`INLINE_SCRIPTS`) with ``data-<name>`` attributes."""
    if script not in INLINE_SCRIPTS:
        raise ValueError("the Content-Security-Policy allows only the scripts in INLINE_SCRIPTS")
    attributes = "".join(f' data-{name}="{html.escape(value, quote=True)}"' for name, value in data.items())
    return f"<script{attributes}>{script}</script>"


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script: ``'sha256-…'``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _streamlit_page_scripts() -> tuple[str, ...]:
    """The inline scripts of Streamlit's own page (``static/index.html``; it sets ``window.prerenderReady``)."""
    index = Path(streamlit.__file__).resolve().parent / "static" / "index.html"
    page = index.read_text(encoding="utf-8")
    return tuple(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, flags=re.DOTALL))


def content_security_policy() -> str:
    """The policy every response carries (see the module's docstring)."""
    hashes = " ".join(script_hash(script) for script in (*_streamlit_page_scripts(), *INLINE_SCRIPTS))
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'wasm-unsafe-eval' {hashes}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(directives)


def security_headers() -> dict[str, str]:
    """The headers :class:`SecurityHeaders` puts on every response."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "X-Frame-Options": "SAMEORIGIN",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }


class SecurityHeaders:
    """ASGI middleware: :func:`security_headers` on every HTTP response (websockets pass through untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
