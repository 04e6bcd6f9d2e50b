"""The session cookie's ``Secure`` flag: behind a TLS proxy (the first ``X-Forwarded-Proto`` value is ``https``,
also in a chain like ``https,http``) the cookie is Secure, both when it is set and when it is cleared, and
``PARK_SAFETY_COOKIE_SECURE=always`` makes it Secure whatever the request says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dashboard.auth_routes import COOKIE, HEADER, SESSION_PATH, SIGN_OUT_PATH, auth_routes
from dashboard.db import make_engine
from dashboard.services.permissions import SYSTEM
from dashboard.services.sign_in import sign_in
from dashboard.services.users import add_user
from dashboard.settings import Settings, get_settings


@pytest.fixture
def routes(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, str]]:
    """The cookie routes over a fresh database with one signed-in user: (client, that user's token)."""
    monkeypatch.setenv("PARK_SAFETY_DATABASE_URL", db_url)
    monkeypatch.delenv("PARK_SAFETY_COOKIE_SECURE", raising=False)
    get_settings.cache_clear()
    engine = make_engine(db_url)
    with Session(engine) as session:
        add_user(session=session, actor=SYSTEM, data={"username": "li", "display_name": "李晓梅", "role": "finance",
                                                      "password": "correct-horse"})
        token = sign_in(session=session, username="li", password="correct-horse").token
        session.commit()
    with TestClient(Starlette(routes=auth_routes())) as client:
        yield client, token
    engine.dispose()
    get_settings.cache_clear()


def _cookie_flags(client: TestClient, token: str, forwarded: str | None) -> tuple[str, str]:
    """The Set-Cookie header of a sign-in's cookie and of the sign-out's clearing it, as a browser sends them
    through a proxy that says ``X-Forwarded-Proto: forwarded`` (its Origin has the scheme the browser used)."""
    scheme = "http" if forwarded is None else forwarded.split(",")[0].strip().lower()
    headers = {HEADER: "1", "Origin": f"{scheme}://testserver"}
    if forwarded is not None:
        headers["X-Forwarded-Proto"] = forwarded
    opened = client.post(SESSION_PATH, json={"token": token}, headers=headers)
    assert opened.status_code == 200
    client.cookies.set(COOKIE, "not-a-live-token")  # sign-out clears the cookie without ending the session
    closed = client.post(SIGN_OUT_PATH, headers=headers)
    assert closed.status_code == 200
    return opened.headers["set-cookie"], closed.headers["set-cookie"]


@pytest.mark.parametrize("forwarded", ["https", "https,http", "https, http", "HTTPS", "https,https"])
def test_the_first_forwarded_proto_https_makes_the_cookie_secure(
    routes: tuple[TestClient, str], forwarded: str
) -> None:
    client, token = routes
    opened, closed = _cookie_flags(client, token, forwarded)
    assert "; secure" in opened.lower()
    assert "; secure" in closed.lower()


@pytest.mark.parametrize("forwarded", [None, "http", "http,https", "http, https"])
def test_plain_http_gets_no_secure_flag_by_default(routes: tuple[TestClient, str], forwarded: str | None) -> None:
    client, token = routes
    opened, closed = _cookie_flags(client, token, forwarded)
    assert "secure" not in opened.lower()
    assert "secure" not in closed.lower()


@pytest.mark.parametrize("forwarded", [None, "http", "http,https"])
def test_cookie_secure_always_makes_every_cookie_secure(
    routes: tuple[TestClient, str], monkeypatch: pytest.MonkeyPatch, forwarded: str | None
) -> None:
    client, token = routes
    monkeypatch.setenv("PARK_SAFETY_COOKIE_SECURE", "always")
    get_settings.cache_clear()
    opened, closed = _cookie_flags(client, token, forwarded)
    assert "; secure" in opened.lower()
    assert "; secure" in closed.lower()


def test_cookie_secure_takes_only_auto_or_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARK_SAFETY_COOKIE_SECURE", "sometimes")
    with pytest.raises(ValueError, match="cookie_secure"):
        Settings()
    monkeypatch.setenv("PARK_SAFETY_COOKIE_SECURE", "auto")
    assert Settings().cookie_secure == "auto"
