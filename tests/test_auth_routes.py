"""The session-cookie routes: only a live session's token gets a cookie, the cookie is HttpOnly and
SameSite=Strict, sign-out ends the session and clears the cookie, and another site cannot use them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dashboard.auth_routes import COOKIE, HEADER, SESSION_PATH, SIGN_OUT_PATH, auth_routes
from dashboard.db import make_engine
from dashboard.services.permissions import SYSTEM
from dashboard.services.sign_in import sign_in, user_for_token
from dashboard.services.users import add_user
from dashboard.settings import get_settings

SAME_SITE = {HEADER: "1", "Origin": "http://testserver"}


@pytest.fixture
def client_and_token(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, str, str]]:
    """The routes on a Starlette app over a fresh database with one finance user signed in."""
    monkeypatch.setenv("PARK_SAFETY_DATABASE_URL", db_url)
    get_settings.cache_clear()
    engine = make_engine(db_url)
    with Session(engine) as session:
        add_user(session=session, actor=SYSTEM, data={"username": "li", "display_name": "李晓梅", "role": "finance",
                                                      "password": "correct-horse"})
        token = sign_in(session=session, username="li", password="correct-horse").token
        session.commit()
    with TestClient(Starlette(routes=auth_routes())) as client:
        yield client, token, db_url
    engine.dispose()
    get_settings.cache_clear()


def _live(db_url: str, token: str) -> bool:
    engine = make_engine(db_url)
    with Session(engine) as session:
        found = user_for_token(session=session, token=token) is not None
    engine.dispose()
    return found


def test_a_live_token_gets_an_httponly_strict_cookie(client_and_token: tuple[TestClient, str, str]) -> None:
    client, token, _ = client_and_token
    response = client.post(SESSION_PATH, json={"token": token}, headers=SAME_SITE)
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={token};")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/" in cookie
    assert f"Max-Age={get_settings().session_hours * 3600}" in cookie


def test_an_unknown_token_gets_no_cookie(client_and_token: tuple[TestClient, str, str]) -> None:
    client, _, _ = client_and_token
    response = client.post(SESSION_PATH, json={"token": "made-up"}, headers=SAME_SITE)
    assert response.status_code == 401
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("headers", [
    {},  # a plain cross-site form post cannot send the custom header
    {HEADER: "1", "Origin": "https://evil.example"},
])
def test_another_site_cannot_set_or_clear_the_cookie(
    client_and_token: tuple[TestClient, str, str], headers: dict[str, str]
) -> None:
    client, token, db_url = client_and_token
    assert client.post(SESSION_PATH, json={"token": token}, headers=headers).status_code == 403
    client.cookies.set(COOKIE, token)
    assert client.post(SIGN_OUT_PATH, headers=headers).status_code == 403
    assert _live(db_url, token)


def test_sign_out_ends_the_session_and_clears_the_cookie(client_and_token: tuple[TestClient, str, str]) -> None:
    client, token, db_url = client_and_token
    client.cookies.set(COOKIE, token)
    response = client.post(SIGN_OUT_PATH, headers=SAME_SITE)
    assert response.status_code == 200
    assert response.headers["set-cookie"].startswith(f'{COOKIE}="";')
    assert not _live(db_url, token)
    assert client.post(SESSION_PATH, json={"token": token}, headers=SAME_SITE).status_code == 401


def test_a_browser_is_signed_in_even_when_its_device_mark_cannot_be_written(
    client_and_token: tuple[TestClient, str, str],
) -> None:
    """The known-device mark is a convenience: a database that refuses that write (here its table is gone)
    still leaves the browser with its session cookie, not with a server error and no cookie."""
    from sqlalchemy import text

    from dashboard.services.sign_in_throttle import DEVICE_COOKIE

    client, token, db_url = client_and_token
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE known_device"))
    engine.dispose()
    response = client.post(SESSION_PATH, json={"token": token}, headers=SAME_SITE)
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    assert any(cookie.startswith(f"{COOKIE}={token};") for cookie in cookies)
    assert not any(cookie.startswith(f"{DEVICE_COOKIE}=") for cookie in cookies)
