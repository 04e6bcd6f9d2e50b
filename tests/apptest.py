"""Helpers for AppTest page tests: a demo park database per module and backend, and a signed-in app.

``demo_app_url`` (a fixture in ``conftest.py``) seeds the demo park into a fresh database on each
backend once per test module and points the app's settings at it; :func:`open_app` starts an
AppTest of ``dashboard/app.py`` signed in as one of the demo users, in a language, on a page.
Page tests only read, so they share the module's database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard.db import get_engine
from dashboard.services.sign_in import sign_in
from dashboard.settings import get_settings
from dashboard.views.context import LANGUAGE_KEY
from dashboard.views.session import TOKEN_KEY

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
DEMO_PASSWORD = "park-demo"
TIMEOUT = 60


def page_path(name: str) -> str:
    """The path AppTest.switch_page wants for ``pages/<name>.py`` (relative to dashboard/)."""
    return f"../pages/{name}.py"


def token_for(username: str) -> str:
    """A fresh session token for a demo user of the configured database."""
    with Session(get_engine(get_settings().effective_database_url)) as session:
        signed_in = sign_in(session=session, username=username, password=DEMO_PASSWORD)
        session.commit()
    return signed_in.token


def open_app(username: str, *, page: str | None = None, language: str = "zh", as_of: date | None = None,
             query: dict[str, str] | None = None) -> AppTest:
    """An AppTest signed in as ``username``, run once, then switched to ``pages/<page>.py`` if given.

    ``query`` sets query parameters before the page's run (e.g. ``{"enterprise": "12"}``).
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[TOKEN_KEY] = token_for(username)
    at.session_state[LANGUAGE_KEY] = language
    if as_of is not None:
        at.session_state["as_of"] = as_of
    at.run()
    if page is not None:
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.switch_page(page_path(page))
        at.run()
    return at


def texts(at: AppTest) -> str:
    """Everything the page wrote as text (titles, headers, markdown, captions, metrics, alerts), joined."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error",
                 "success"):
        parts.extend(str(element.value) for element in getattr(at, kind))
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    return "\n".join(parts)



# A download made when clicked is a callable registered with the run's media file manager, which AppTest
# discards after each run; keep them here (by file id) so a test can make the file as the click would.
_DEFERRED: dict[str, tuple[str | None, Callable[[], Any]]] = {}
_add_deferred = MediaFileManager.add_deferred


def _recording_add_deferred(self: MediaFileManager, data: Any, mimetype: str, coordinates: str,
                            **kwargs: Any) -> str:
    file_id = _add_deferred(self, data, mimetype, coordinates, **kwargs)
    _DEFERRED[file_id] = (kwargs.get("file_name"), data)
    return file_id


MediaFileManager.add_deferred = _recording_add_deferred  # type: ignore[method-assign]


def download(at: AppTest, key: str) -> tuple[str | None, bytes]:
    """What clicking the download button ``key`` gives the browser: (file name, content), made now as the
    server would make it on the click."""
    button = next(b for b in at.get("download_button") if getattr(b, "key", None) == key or b.proto.id.endswith(key))
    file_id = button.proto.deferred_file_id
    assert file_id, f"the download {key!r} is not made on the click"
    name, make = _DEFERRED[file_id]
    content = make()
    return name, content.encode("utf-8") if isinstance(content, str) else bytes(content)


def import_uploader(at: AppTest) -> Any:
    """The import panel's file uploader (its key carries a nonce; the Records page has attachment uploaders too)."""
    [uploader] = [u for u in at.file_uploader if str(u.key).startswith("imports_file_")]
    return uploader
