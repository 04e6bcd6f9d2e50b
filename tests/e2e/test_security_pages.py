"""Security of the served dashboard, in Chromium and over plain HTTP.

- Every role × every page by its URL: a page the role may open shows its title and no exception; a
  page it may not open is never drawn — Streamlit answers "Page not found" and runs the default page
  (the overview) instead, without the page's title or its widgets.
- Signed out, every page URL shows the sign-in form and nothing of the page.
- XSRF protection is on in the served app: the file-upload route refuses a request without the token
  (and a stray ``STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION=false`` in the environment does not turn it off).
- The session-cookie routes of the served app refuse another site, and behind a TLS proxy that passes
  ``Host`` and ``X-Forwarded-Proto`` the cookie is ``Secure``, as the README's Deployment section says.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import text
from sqlmodel import Session

from dashboard.db import make_engine
from dashboard.i18n import CATALOGS
from dashboard.navigation import PAGES
from tests.e2e.server import ServerDidNotStart, serve_dashboard, settle, sign_in

MAIN = "[data-testid='stMain']"
ZH = CATALOGS["zh"]
ROLES = ("admin", "committee", "finance", "staff")
ALL = frozenset(ROLES)

# Who may open which page: DESIGN.md section 5 ("who"); the Audit page is not in that table, so its
# row is the README's ("Audit trail 操作日志 (admin, committee)"); the Briefing's is issue 7's.
# Written out, not read from navigation.py.
MAY_OPEN: dict[str, frozenset[str]] = {
    "overview": ALL,
    "risk_map": ALL,
    "heatmaps": ALL,
    "scorecards": ALL,
    "loans": frozenset({"finance", "committee", "admin"}),
    "briefing": frozenset({"committee", "admin"}),
    "records": frozenset({"staff", "admin"}),
    "audit": frozenset({"admin", "committee"}),
    "settings": frozenset({"admin"}),
}
# What each restricted page shows besides its title (checked present where allowed, absent elsewhere).
MARKERS: dict[str, tuple[str, ...]] = {
    "loans": ("导出 Excel", "单个企业"),
    "briefing": ("下载 PDF", "九、下月工作部署"),
    "records": ("隐患整改台账", "批量导入导出"),
    "audit": ("记录编号", "每页条数"),
    "settings": ("用户管理", "规则阈值与权重", "数据备份"),
}
ONE_ENTERPRISE = ("scorecards", "scorecards?enterprise=1")
NOT_FOUND = "Page not found"


def targets() -> list[tuple[str, str]]:
    """(page key, URL path and query) for every page, plus one enterprise's file."""
    return [(spec.key, spec.url_path) for spec in PAGES] + [ONE_ENTERPRISE]


def expected_titles(database_url: str) -> dict[str, str]:
    """The main heading each URL shows: the page's title; the park's name on the overview; the
    enterprise's name on its file."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        park = session.execute(text("SELECT name FROM park")).scalar_one()
        enterprise = session.execute(text("SELECT name FROM enterprise WHERE id = 1")).scalar_one()
    engine.dispose()
    titles = {spec.url_path: ZH[f"page.{spec.key}"] for spec in PAGES}
    titles["overview"] = park
    titles["scorecards"] = ZH["scorecards.title"]
    titles[ONE_ENTERPRISE[1]] = enterprise
    return titles


def only_on_sqlite(database_url: str) -> None:
    """Which pages a role may open is decided before any query, the same on both backends; the browser
    matrix takes minutes, so it runs once (the HTTP checks below run on both)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the page matrix runs on the SQLite server only")


def signed_in_with_cookie(page: Any, url: str, role: str) -> None:
    """Sign in, and wait until the server has set the session cookie, which the next URL's load needs."""
    sign_in(page, url, role, with_cookie=True)
    assert any(c["name"] == "park_safety_session" for c in page.context.cookies()), f"{role}: no session cookie"


def _heading(page: Any) -> str:
    return str(page.locator(MAIN).locator("h1").first.inner_text()).strip()


def _dialogs(page: Any) -> str:
    dialogs = page.locator("[role='dialog']")
    return " ".join(dialogs.nth(i).inner_text() for i in range(dialogs.count()))


def test_the_matrix_covers_every_page() -> None:
    assert set(MAY_OPEN) == {spec.key for spec in PAGES}
    assert set(MARKERS) == {key for key, roles in MAY_OPEN.items() if roles != ALL}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_its_pages_by_url(served: tuple[str, str], browser: Any, role: str) -> None:
    url, database_url = served
    only_on_sqlite(database_url)
    titles = expected_titles(database_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    signed_in_with_cookie(page, url, role)
    for key, path in targets():
        page.goto(f"{url}/{path}")
        settle(page)
        where = f"{role} at /{path}"
        markers = MARKERS.get(key, ())
        if role in MAY_OPEN[key]:
            assert _heading(page) == titles[path], where
            assert page.locator("[data-testid='stException']").count() == 0, where
            for marker in markers:  # a busy server may draw the lower part of a page on a later run
                expect(page.locator(MAIN), f"{where}: {marker}").to_contain_text(marker, timeout=30_000)
            assert urlsplit(page.url).path == f"/{path.split('?')[0]}", where
            assert NOT_FOUND not in _dialogs(page), where
            if path == ONE_ENTERPRISE[1]:
                assert "enterprise=1" in page.url, where
        else:
            main = str(page.locator(MAIN).inner_text())
            assert NOT_FOUND in _dialogs(page), where
            assert urlsplit(page.url).path == "/", where
            assert _heading(page) == titles["overview"], where  # the default page ran instead
            assert titles[path] not in main, where
            assert not [marker for marker in markers if marker in main], where
            assert page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']").count() == 0, where
    context.close()


def test_signed_out_every_page_url_shows_only_the_sign_in_form(served: tuple[str, str], browser: Any) -> None:
    url, database_url = served
    only_on_sqlite(database_url)
    titles = expected_titles(database_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for key, path in targets():
        page.goto(f"{url}/{path}")
        settle(page)
        where = f"signed out at /{path}"
        main = str(page.locator(MAIN).inner_text())
        assert page.locator("input[type='password']").count() == 1, where
        assert page.get_by_role("button", name="登录").count() == 1, where
        assert _heading(page) == ZH["app.title"], where
        assert titles[path] not in main, where
        assert not [marker for marker in MARKERS.get(key, ()) if marker in main], where
        assert page.locator("[data-testid='stSidebarNav']").count() == 0, where
    assert all(c["name"] != "park_safety_session" for c in context.cookies())
    context.close()


def test_the_overview_url_opens_without_a_not_found_notice(served: tuple[str, str], browser: Any) -> None:
    """A bookmark or a reminder's link to /overview opens the overview there; / still opens it too."""
    url, database_url = served
    only_on_sqlite(database_url)
    park = expected_titles(database_url)["overview"]
    context = browser.new_context()
    page = context.new_page()
    signed_in_with_cookie(page, url, "committee")
    for path in ("/overview", "/"):
        page.goto(f"{url}{path}")
        settle(page)
        assert NOT_FOUND not in _dialogs(page), path
        assert urlsplit(page.url).path == path
        assert _heading(page) == park, path
    context.close()


# --- over plain HTTP -------------------------------------------------------------------------------


def http(
    method: str, url: str, headers: dict[str, str] | None = None, data: bytes | None = None
) -> tuple[int, Message]:
    """Status and headers of one request; an error status is an answer, not an exception."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status), response.headers
    except urllib.error.HTTPError as error:
        return int(error.code), error.headers


def xsrf_cookie(url: str) -> str | None:
    """The ``_streamlit_xsrf`` cookie the health route hands out while XSRF protection is on."""
    _, headers = http("GET", f"{url}/_stcore/health")
    for cookie in headers.get_all("Set-Cookie") or []:
        name, _, rest = cookie.partition("=")
        if name == "_streamlit_xsrf":
            return rest.split(";")[0].strip('"')
    return None


def upload(url: str, headers: dict[str, str]) -> int:
    """PUT a small file to Streamlit's upload route (as ``st.file_uploader`` does) for a made-up session."""
    boundary = "parksafetyboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hazards.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\nuscc,found_on\r\n\r\n--{boundary}--\r\n").encode()
    status, _ = http("PUT", f"{url}/_stcore/upload_file/not-a-session/file-1",
                     {"Content-Type": f"multipart/form-data; boundary={boundary}", **headers}, body)
    return status


def test_the_upload_route_refuses_a_request_without_the_xsrf_token(served: tuple[str, str]) -> None:
    url, _ = served
    token = xsrf_cookie(url)
    assert token, "XSRF protection is on, so the health route sets the XSRF cookie"
    assert upload(url, {}) == 403
    assert upload(url, {"Cookie": f"_streamlit_xsrf={token}"}) == 403  # a cross-site form sends the cookie only
    assert upload(url, {"Cookie": f"_streamlit_xsrf={token}", "X-Xsrftoken": "forged"}) == 403
    # with the token the XSRF check passes, and the made-up session is what the route refuses
    assert upload(url, {"Cookie": f"_streamlit_xsrf={token}", "X-Xsrftoken": token}) == 400


def test_an_environment_variable_does_not_turn_xsrf_protection_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``park-safety serve`` passes the packaged settings as flags, which win over STREAMLIT_* variables."""
    monkeypatch.setenv("STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION", "false")
    try:
        with serve_dashboard(tmp_path) as url:
            assert xsrf_cookie(url)
            assert upload(url, {}) == 403
    except ServerDidNotStart as error:
        pytest.fail(str(error))


def test_the_served_cookie_routes_refuse_another_site(served: tuple[str, str]) -> None:
    url, _ = served
    host = urlsplit(url).netloc
    json = {"Content-Type": "application/json"}
    body = b'{"token": "made-up"}'
    assert http("POST", f"{url}/auth/session", json, body)[0] == 403  # no X-Park-Safety header
    for origin in ("https://evil.example", "null", f"http://{host}.evil.example"):
        assert http("POST", f"{url}/auth/session", {**json, "X-Park-Safety": "1", "Origin": origin}, body)[0] == 403
        assert http("POST", f"{url}/auth/sign-out", {"X-Park-Safety": "1", "Origin": origin})[0] == 403
    _, headers = http("GET", f"{url}/auth/session")  # only POST reaches the route (GET gets the app's page)
    assert "park_safety_session" not in " ".join(headers.get_all("Set-Cookie") or [])
    # the same site with the header reaches the route, which then refuses the made-up token
    assert http("POST", f"{url}/auth/session", {**json, "X-Park-Safety": "1", "Origin": url}, body)[0] == 401


def test_behind_a_tls_proxy_the_session_cookie_is_secure(served: tuple[str, str]) -> None:
    """As a reverse proxy following the README forwards a browser's sign-in: the public Host and
    ``X-Forwarded-Proto: https`` make the cookie ``Secure``; plain HTTP on the loopback does not."""
    from dashboard.services.sign_in import sign_in as open_session

    url, database_url = served
    engine = make_engine(database_url)
    with Session(engine) as session:
        token = open_session(session=session, username="finance", password="park-demo").token
        session.commit()
    engine.dispose()
    body = f'{{"token": "{token}"}}'.encode()
    public = {"Content-Type": "application/json", "X-Park-Safety": "1", "Host": "safety.park.example",
              "Origin": "https://safety.park.example", "X-Forwarded-Proto": "https"}
    status, headers = http("POST", f"{url}/auth/session", public, body)
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"park_safety_session={token};")
    assert all(flag in cookie for flag in ("HttpOnly", "SameSite=strict", "Secure"))
    # a proxy that does not pass the public Host on is refused: the browser's Origin names another host
    upstream = {**public, "Host": urlsplit(url).netloc}
    assert http("POST", f"{url}/auth/session", upstream, body)[0] == 403
    status, headers = http("POST", f"{url}/auth/session",
                           {"Content-Type": "application/json", "X-Park-Safety": "1", "Origin": url}, body)
    assert status == 200 and "Secure" not in headers["Set-Cookie"]
