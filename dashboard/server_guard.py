"""Guards around Streamlit's own routes in the served dashboard (``dashboard/server.py`` wires them).

Streamlit's server answers any client that connects; these checks make its routes answer only what a
signed-in user of the dashboard's own pages needs:

- **the websocket** (``/_stcore/stream``) opens only for a page of the dashboard's own origin
  (``dashboard/origin.py``); the ``clear_cache`` message is ignored from everyone (a write moves the
  data revision every cached read is keyed by, so nobody needs it, and it would empty every user's
  caches);
- **upload URLs** (``file_urls_request``) go only to a signed-in session whose role uploads on the page
  it is on (:data:`UPLOADS`); the upload route refuses a file for a session and file id it did not give;
- **a download's file** (``/media/…``) is served only to a request with the session cookie of the
  signed-in user whose session made it, still signed in, and **a page's image** (``st.image``: a record's
  photo) only with the cookie of a user signed in in a session that shows it (to anyone only while no
  session showing it is signed in: the sign-in form's own pictures); a backup's file (:data:`SINGLE_USE_MIMETYPES`)
  once, to the download itself (the page's own check that the link answers, a ``fetch`` Streamlit's
  frontend makes just before, gets an empty ``204``);
- **the metrics** (``/_stcore/metrics``, which name the app's cached functions) only to a signed-in
  administrator.

:class:`ServerGuardMiddleware` is an ASGI middleware; on the first request it also wraps three methods
of Streamlit's runtime (the one runtime of the process): ``handle_backmsg``, the upload manager's
``get_upload_urls`` and the media manager's ``execute_deferred``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard.auth_routes import COOKIE
from dashboard.db import get_engine
from dashboard.origin import from_own_origin
from dashboard.services.sign_in import CurrentUser, user_for_token
from dashboard.settings import get_settings
from models.enums import Role

_LOGGER = logging.getLogger(__name__)

# Where a Streamlit session keeps its sign-in: dashboard.views.session.TOKEN_KEY (not imported here: that module
# declares the app's cached functions, which must not be declared before Streamlit's runtime exists).
TOKEN_KEY = "_park_safety_token"

# The pages (url paths, dashboard/navigation.py) on which each role may upload files.
UPLOADS: Mapping[Role, frozenset[str]] = {
    Role.staff: frozenset({"records"}),
    Role.admin: frozenset({"records"}),
}

# Downloads whose link works once: the database backup (dashboard/views/settings.py), every password hash in it.
SINGLE_USE_MIMETYPES = frozenset({"application/vnd.sqlite3"})


def _base_path() -> str:
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _user(token: str | None) -> CurrentUser | None:
    if not token:
        return None
    with Session(get_engine(get_settings().effective_database_url)) as session:
        return user_for_token(session=session, token=token)


class ServerGuard:
    """What the guards remember: upload URLs given, and who made each download's file."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runtime: Any = None
        self._uploads: dict[str, set[str]] = {}  # Streamlit session id -> the file ids it was given URLs for
        self._made_by: dict[str, set[str]] = {}  # media file id -> the Streamlit sessions whose click made it
        self._used: set[str] = set()  # single-use files already handed out

    # --- the runtime's methods ----------------------------------------------------------------------

    def install(self, runtime: Any) -> None:
        """Wrap the runtime's three methods (once per runtime)."""
        with self._lock:
            if self._runtime is runtime:
                return
            self._runtime = runtime
            self._uploads.clear()
            self._made_by.clear()
            self._used.clear()
        handle_backmsg = runtime.handle_backmsg
        uploads = runtime.uploaded_file_mgr
        get_upload_urls = uploads.get_upload_urls
        media = runtime.media_file_mgr
        execute_deferred = media.execute_deferred

        def guarded_handle_backmsg(session_id: str, msg: Any, *args: Any, **kwargs: Any) -> None:
            if msg.WhichOneof("type") == "clear_cache":
                _LOGGER.warning("ignored a clear_cache message from session %s", session_id)
                return
            handle_backmsg(session_id, msg, *args, **kwargs)

        def guarded_get_upload_urls(session_id: str, file_names: Sequence[str]) -> list[Any]:
            if not self.may_upload(session_id):
                _LOGGER.warning("refused upload URLs to session %s", session_id)
                return []
            infos: list[Any] = get_upload_urls(session_id, file_names)
            with self._lock:
                self._forget_ended_sessions()
                self._uploads.setdefault(session_id, set()).update(info.file_id for info in infos)
            return infos

        def guarded_execute_deferred(file_id: str) -> str:
            entry = getattr(media, "_deferred_callables", {}).get(file_id)
            session_id = entry.get("session_id") if entry else None
            url: str = execute_deferred(file_id)
            made = os.path.splitext(url.rsplit("/", 1)[-1])[0]
            with self._lock:
                self._forget_removed_files()
                if session_id:
                    self._made_by.setdefault(made, set()).add(str(session_id))
                self._used.discard(made)  # a new click hands the file out afresh
            return url

        runtime.handle_backmsg = guarded_handle_backmsg
        uploads.get_upload_urls = guarded_get_upload_urls
        media.execute_deferred = guarded_execute_deferred

    def _app_session(self, session_id: str) -> Any:
        info = self._runtime._session_mgr.get_session_info(session_id) if self._runtime is not None else None
        return info.session if info is not None else None

    def _token_of(self, session_id: str) -> str | None:
        app_session = self._app_session(session_id)
        if app_session is None:
            return None
        try:
            token = app_session.session_state[TOKEN_KEY]
        except (KeyError, AttributeError):
            return None
        return token if isinstance(token, str) and token else None

    def _page_of(self, session_id: str) -> str | None:
        app_session = self._app_session(session_id)
        if app_session is None:
            return None
        page = app_session.get_pages().get(app_session.page_script_hash)
        return str(page.get("url_pathname", "")) if page else None

    def may_upload(self, session_id: str) -> bool:
        """Whether the Streamlit session is signed in as a role that uploads on the page it is on."""
        user = _user(self._token_of(session_id))
        return user is not None and self._page_of(session_id) in UPLOADS.get(user.actor.role, frozenset())

    def upload_granted(self, session_id: str, file_id: str) -> bool:
        with self._lock:
            return file_id in self._uploads.get(session_id, ())

    def _forget_ended_sessions(self) -> None:
        for session_id in [sid for sid in self._uploads if self._app_session(sid) is None]:
            del self._uploads[session_id]

    def _forget_removed_files(self) -> None:
        storage = getattr(self._runtime.media_file_mgr, "_storage", None)
        files = getattr(storage, "_files_by_id", None)
        if files is None:
            return
        for file_id in [fid for fid in self._made_by if fid not in files]:
            del self._made_by[file_id]
        self._used &= set(files)

    # --- downloads ----------------------------------------------------------------------------------

    def makers_of(self, file_id: str) -> set[str]:
        """The Streamlit sessions a media file belongs to: whose click made it, or whose page shows it."""
        with self._lock:
            makers = set(self._made_by.get(file_id, ()))
        files_by_session: Mapping[str, Mapping[str, str]] = getattr(
            self._runtime.media_file_mgr, "_files_by_session_and_coord", {})
        for session_id, files in list(files_by_session.items()):
            if file_id in list(files.values()):
                makers.add(session_id)
        return makers

    def may_download(self, cookie: str | None, makers: Iterable[str]) -> bool:
        """Whether the request's session cookie is a live session of the user signed in in one of ``makers``
        (whose own sign-in must be live too). Reads the database: call it off the event loop."""
        asking = _user(cookie)
        if asking is None:
            return False
        for session_id in makers:
            maker = _user(self._token_of(session_id))
            if maker is not None and maker.actor.username == asking.actor.username:
                return True
        return False

    def may_view(self, cookie: str | None, makers: Iterable[str]) -> bool:
        """Whether a file a page shows (``st.image``: a record's photo) may go to the request: with the session
        cookie of a user signed in in one of the sessions showing it; to anyone only while none of them is
        signed in (the sign-in form's own pictures). Reads the database: call it off the event loop."""
        makers = list(makers)
        if self.may_download(cookie, makers):
            return True
        return all(_user(self._token_of(session_id)) is None for session_id in makers)

    def claim_once(self, file_id: str) -> bool:
        """Hand a single-use file out: True the first time only."""
        with self._lock:
            if file_id in self._used:
                return False
            self._used.add(file_id)
            return True

    def drop_file(self, file_id: str) -> None:
        """Remove a handed-out single-use file from Streamlit's media storage."""
        storage = getattr(self._runtime.media_file_mgr, "_storage", None)
        if storage is not None:
            storage.delete_file(file_id)
        with self._lock:
            self._made_by.pop(file_id, None)


GUARD = ServerGuard()


def _forbidden() -> PlainTextResponse:
    return PlainTextResponse("forbidden", status_code=403)


class ServerGuardMiddleware:
    """The guards on the websocket, upload, media and metrics routes (see the module's text)."""

    def __init__(self, app: ASGIApp, guard: ServerGuard | None = None) -> None:
        self.app = app
        self.guard = guard or GUARD
        base = _base_path()
        self.stream = f"{base}/_stcore/stream"
        self.metrics = f"{base}/_stcore/metrics"
        self.upload = f"{base}/_stcore/upload_file/"
        self.media = f"{base}/media/"

    def _runtime(self) -> Any:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return None
        runtime = Runtime.instance()
        self.guard.install(runtime)
        return runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        runtime = self._runtime()
        if scope["type"] == "websocket":
            if path == self.stream and not from_own_origin(Headers(scope=scope), scope.get("scheme", "ws")):
                headers = Headers(scope=scope)
                _LOGGER.warning("refused a websocket from origin %r (host %r)", headers.get("origin"),
                                headers.get("host"))
                await send({"type": "websocket.close", "code": 1008})
                return
            await self.app(scope, receive, send)
            return
        if path == self.metrics:
            await self._metrics(scope, receive, send)
        elif path.startswith(self.upload) and runtime is not None:
            await self._upload(scope, receive, send, runtime, path[len(self.upload):])
        elif path.startswith(self.media) and runtime is not None:
            await self._media(scope, receive, send, runtime, path[len(self.media):])
        else:
            await self.app(scope, receive, send)

    async def _metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        cookie = HTTPConnection(scope).cookies.get(COOKIE)
        user = await run_in_threadpool(_user, cookie)
        if user is None or user.actor.role != Role.admin:
            await _forbidden()(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _upload(self, scope: Scope, receive: Receive, send: Send, runtime: Any, rest: str) -> None:
        session_id, _, file_id = rest.partition("/")
        # (a session that is not active is refused by Streamlit's own route)
        if (scope["method"] in ("PUT", "DELETE") and runtime.is_active_session(session_id)
                and not self.guard.upload_granted(session_id, file_id.strip("/"))):
            _LOGGER.warning("refused an upload for session %s that was given no URL for it", session_id)
            await _forbidden()(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _media(self, scope: Scope, receive: Receive, send: Send, runtime: Any, name: str) -> None:
        from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError

        storage = getattr(runtime.media_file_mgr, "_storage", None)
        try:
            media_file = storage.get_file(name) if storage is not None else None
        except MediaFileStorageError:
            media_file = None
        if media_file is None:
            await self.app(scope, receive, send)  # Streamlit answers 404 for an unknown file
            return
        file_id = os.path.splitext(name)[0]
        cookie = HTTPConnection(scope).cookies.get(COOKIE)
        makers = self.guard.makers_of(file_id)
        if media_file.kind != MediaFileKind.DOWNLOADABLE:
            if not await run_in_threadpool(self.guard.may_view, cookie, makers):
                _LOGGER.warning("refused a page's image to a request without a signed-in viewer's cookie")
                await _forbidden()(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        if not await run_in_threadpool(self.guard.may_download, cookie, makers):
            _LOGGER.warning("refused a download to a request without its maker's signed-in cookie")
            await _forbidden()(scope, receive, send)
            return
        if media_file.mimetype not in SINGLE_USE_MIMETYPES or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        mode = Headers(scope=scope).get("sec-fetch-mode")
        if mode and mode != "navigate":
            # Streamlit's page fetches a download's link to check that it answers, then opens it: the check
            # gets an empty answer and leaves the one use to the download itself
            await Response(status_code=204)(scope, receive, send)
            return
        if not self.guard.claim_once(file_id):
            await PlainTextResponse("gone", status_code=404)(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.guard.drop_file(file_id)

