"""The two HTTP routes that carry the session cookie, mounted beside Streamlit on its Starlette app.

Streamlit talks to the browser over a websocket and cannot set an HttpOnly cookie itself. After a
sign-in the page posts the new token to ``/auth/session``, which checks it against the database
and answers with ``Set-Cookie: park_safety_session=…; HttpOnly; SameSite=Strict``; the script reads
it back through ``st.context.cookies`` on every later page load. ``/auth/sign-out`` ends the
session in the database and clears the cookie.

Both routes accept only a ``POST`` carrying the ``X-Park-Safety`` header (a cross-site form cannot
send it, and a cross-site script would need a CORS preflight that is never granted) and an ``Origin``
that is the dashboard's own, scheme, host and port (``dashboard/origin.py``), so neither another site
nor a page on another port of the same host can sign a browser in or out.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from dashboard.cookie_handoff import mark_delivered
from dashboard.db import get_engine, writing
from dashboard.origin import from_own_origin
from dashboard.services.sign_in import CurrentUser, remember_device, sign_out, user_for_token
from dashboard.services.sign_in_throttle import DEVICE_COOKIE
from dashboard.settings import get_settings

COOKIE = "park_safety_session"
HEADER = "X-Park-Safety"
SESSION_PATH = "/auth/session"
SIGN_OUT_PATH = "/auth/sign-out"

log = logging.getLogger(__name__)


def _same_origin(request: Request) -> bool:
    """The custom header, and an ``Origin`` that is the dashboard's own: scheme, host and port (dashboard/origin.py)."""
    return request.headers.get(HEADER) == "1" and from_own_origin(request.headers, request.url.scheme)


def _secure(request: Request) -> bool:
    """Whether the cookie gets ``Secure``: always with ``PARK_SAFETY_COOKIE_SECURE=always``, else when the browser
    reached us over HTTPS: the request's own scheme, or the first ``X-Forwarded-Proto`` value (the proxy nearest
    the browser comes first in a chain such as ``https,http``)."""
    if get_settings().cookie_secure == "always":
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


async def open_session(request: Request) -> Response:
    """Set the session cookie for a token that belongs to a live session."""
    if not _same_origin(request):
        return JSONResponse({"error": "forbidden"}, status_code=403)
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"error": "bad request"}, status_code=400)
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        return JSONResponse({"error": "bad request"}, status_code=400)
    settings = get_settings()
    # The database work runs in a worker thread: a busy database must not stall the event loop that carries
    # every browser's websocket.
    user = await run_in_threadpool(_user_for, token)
    if user is None:
        return JSONResponse({"error": "unknown session"}, status_code=401)
    response = JSONResponse({"ok": True})
    response.set_cookie(COOKIE, token, max_age=settings.session_hours * 3600, path="/", httponly=True,
                        samesite="strict", secure=_secure(request))
    device = await run_in_threadpool(_known_device, token, request.cookies.get(DEVICE_COOKIE))
    if device is not None:
        response.set_cookie(DEVICE_COOKIE, device, max_age=settings.known_device_days * 86400, path="/",
                            httponly=True, samesite="strict", secure=_secure(request))
    mark_delivered(token)  # the sign-in's next run may now take the script that posted it off the page
    return response


def _user_for(token: str) -> CurrentUser | None:
    with Session(get_engine(get_settings().effective_database_url)) as session:
        return user_for_token(session=session, token=token)


def _known_device(token: str, device: str | None) -> str | None:
    """A new device cookie for a browser that has just signed in (unless it has the account's already): its later
    sign-ins to that account skip the delays that other people's failed attempts impose. The session cookie does
    not depend on it: when the database refuses this write, the browser is signed in without the device mark."""
    try:
        with Session(writing(get_engine(get_settings().effective_database_url))) as session:
            new = remember_device(session=session, token=token, device=device)
            session.commit()
            return new
    except SQLAlchemyError:
        log.warning("could not remember the signed-in browser's device", exc_info=True)
        return None


async def close_session(request: Request) -> Response:
    """End the cookie's session (if any) and clear the cookie."""
    if not _same_origin(request):
        return JSONResponse({"error": "forbidden"}, status_code=403)
    token = request.cookies.get(COOKIE)
    if token:
        await run_in_threadpool(_end_session, token)
    response = JSONResponse({"ok": True})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


def _end_session(token: str) -> None:
    with Session(writing(get_engine(get_settings().effective_database_url))) as session:
        sign_out(session=session, token=token)
        session.commit()


def auth_routes() -> list[BaseRoute]:
    return [Route(SESSION_PATH, open_session, methods=["POST"]), Route(SIGN_OUT_PATH, close_session, methods=["POST"])]
