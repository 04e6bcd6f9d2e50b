"""The served app's security headers (dashboard/http_headers.py), in a real browser:

- every kind of response (the page, a page's URL, Streamlit's static files and endpoints, ``/media``, the
  ``/auth/*`` routes) carries the Content-Security-Policy, ``frame-ancestors 'self'``, X-Frame-Options,
  ``nosniff`` and the referrer policy;
- the policy is enforced: a script injected into the page does not run;
- every page of every role still works under it (its content, the charts, the map's canvas, a download, an
  upload, the language switch, signing in and out) with no policy violation reported;
- a page on another origin that frames the app gets no app in its frame, so nobody can be signed in inside it.
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dashboard.auth_routes import COOKIE as SESSION_COOKIE
from dashboard.auth_routes import SESSION_PATH, SIGN_OUT_PATH
from dashboard.i18n import CATALOGS
from dashboard.navigation import pages_for
from models.enums import Role
from tests.e2e.conftest import IDLE, NAV_LINK, VIEWPORT, shown_text, signed_in
from tests.e2e.server import IMPORT_FILE_INPUT, server_answers, settle, until
from tests.e2e.test_browser_pages import DECK_CANVAS, _check_page, _colours, _park_name
from tests.e2e.test_security_pages import http

pytestmark = pytest.mark.slow

ZH = CATALOGS["zh"]
SAMPLES = Path(__file__).resolve().parents[2] / "seed" / "samples"

# Records each policy violation the page reports, in a list that survives until the page navigates.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:`
    + `${e.lineNumber} ${e.sample}`);
});
"""


def _directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def test_every_kind_of_response_carries_the_security_headers(server_url: str) -> None:
    url = server_url
    _, page_headers = http("GET", f"{url}/")
    script = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', urllib.request.urlopen(f"{url}/").read().decode())
    assert script is not None
    answers = {
        "the page": http("GET", f"{url}/"),
        "a page's URL": http("GET", f"{url}/risk-map"),
        "a static script": http("GET", f"{url}/{script.group(1)}"),
        "the favicon": http("GET", f"{url}/favicon.png"),
        "the health check": http("GET", f"{url}/_stcore/health"),
        "the host config": http("GET", f"{url}/_stcore/host-config"),
        "a media file that is not there": http("GET", f"{url}/media/0123456789abcdef.csv"),
        "the cookie route": http("POST", f"{url}/auth/session", {"Content-Type": "application/json"}, b"{}"),
        "the sign-out route": http("POST", f"{url}/auth/sign-out"),
        "a HEAD of the page": http("HEAD", f"{url}/"),
    }
    assert answers["the page"][0] == answers["a static script"][0] == answers["the health check"][0] == 200
    for what, (status, headers) in answers.items():
        assert status in (200, 403, 404), (what, status)
        assert headers.get_all("Content-Security-Policy") == [page_headers["Content-Security-Policy"]], what
        assert headers["X-Frame-Options"] == "SAMEORIGIN", what
        assert headers.get_all("X-Content-Type-Options") == ["nosniff"], what
        assert headers["Referrer-Policy"] == "same-origin", what
    policy = _directives(page_headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert all(source in ("'self'", "'wasm-unsafe-eval'") or source.startswith("'sha256-")
               for source in policy["script-src"])
    everything = [source for sources in policy.values() for source in sources]
    assert not [source for source in everything if "://" in source or source in ("*", "http:", "https:")]


def _violations(page: Any) -> list[str]:
    found = page.evaluate("window.__violations || []")
    return [str(line) for line in found]


def _fresh_page(browser: Any) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    return context, page, console


def test_an_injected_script_does_not_run(server_url: str, browser: Any) -> None:
    """A script put into the page (as an HTML injection would) is refused, and the refusal is reported."""
    context, page, _ = _fresh_page(browser)
    page.goto(server_url)
    settle(page)
    assert _violations(page) == []
    ran = page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = 1;';
        document.body.appendChild(script);
        return window.__injected === 1;
    }""")
    assert ran is False
    page.wait_for_function("(window.__violations || []).length > 0", timeout=10_000)  # reported as an event
    reported = _violations(page)
    assert len(reported) == 1 and reported[0].startswith("script-src-elem blocked inline"), reported
    context.close()


@pytest.mark.parametrize("role", [Role.admin, Role.committee, Role.finance, Role.staff], ids=lambda r: r.value)
def test_every_page_of_a_role_works_under_the_policy(served: tuple[str, str], browser: Any, role: Role) -> None:
    """Signing in, every page of the role by its URL with its content, the risk map drawn, and for some roles
    a download, an upload, the language switch and signing out: no violation reported anywhere."""
    url, database_url = served
    park_name = _park_name(database_url)
    context, page = signed_in(browser, url, role.value)  # the sign-in itself: the test below
    context.add_init_script(RECORD_VIOLATIONS)  # on every page opened from here on
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    reported: list[str] = []
    for spec in pages_for(role):
        page.goto(f"{url}/" if spec == pages_for(role)[0] else f"{url}/{spec.url_path}")
        settle(page, 200)
        _check_page(page, spec, park_name, "its URL")
        if spec.key == "risk_map":
            expect(page.locator(DECK_CANVAS)).to_be_visible(timeout=30_000)
            # deck.gl starts its layers after the script has finished: wait until they are drawn
            until(page, lambda: _colours(page.locator(DECK_CANVAS).screenshot())[1] > 50, "the risk map drawn")
        if spec.key == "audit":
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name=ZH["audit.export"]).click()
            assert Path(download.value.path()).read_bytes()
        if spec.key == "records":
            page.get_by_role("tab", name=ZH["records.tab.import"]).click()
            page.locator(IMPORT_FILE_INPUT).set_input_files(str(SAMPLES / "enterprise.csv"))
            # the file reached the server (Streamlit's upload route): its preview offers the import or says why not
            report = page.get_by_role("button", name=shown_text("imports.confirm")).or_(
                page.get_by_text(shown_text("imports.refused")))
            expect(report.first).to_be_visible(timeout=30_000)
            settle(page)
        reported += _violations(page)
    page.get_by_text("English", exact=True).click()  # the language cookie's script
    expect(page.get_by_role("button", name="Sign out")).to_have_count(1)
    settle(page)
    assert any(cookie["name"] == "park_safety_lang" and cookie["value"] == "en" for cookie in context.cookies())
    with server_answers(page, SIGN_OUT_PATH):  # the sign-out's script clears the session cookie
        page.get_by_role("button", name="Sign out").click()
        expect(page.locator("input[type='password']")).to_have_count(1)
    assert all(cookie["name"] != SESSION_COOKIE for cookie in context.cookies())
    reported += _violations(page)
    assert reported == [], reported
    assert console == [], console
    context.close()


def test_the_sign_in_sets_the_cookie_with_no_violation(server_url: str, browser: Any) -> None:
    context, page, console = _fresh_page(browser)
    page.goto(server_url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_label("用户名").fill("finance")
    page.get_by_label("密码").fill("park-demo")
    with server_answers(page, SESSION_PATH):
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector(NAV_LINK, timeout=60_000)
    assert any(cookie["name"] == SESSION_COOKIE for cookie in context.cookies())
    settle(page)
    assert _violations(page) == []
    assert console == []
    context.close()


@contextmanager
def another_site(body: str) -> Iterator[str]:
    """A page served by another web server on this machine, at ``http://localhost:<port>/`` (another origin and
    another site than the app's ``127.0.0.1``, but a local one, so Chromium lets it frame a local address)."""
    page = body.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_another_origin_cannot_frame_the_app(server_url: str, browser: Any) -> None:
    """A page on another origin with the app in an iframe: the browser refuses to show the app in it, so
    there is no sign-in form to fill (or to trick someone into filling) inside another site."""
    framing = (f'<html><body><h1>another site</h1><iframe id="app" src="{server_url}/" width="1200" '
               f'height="800"></iframe></body></html>')
    context = browser.new_context()
    page = context.new_page()
    with another_site(framing) as elsewhere:
        page.goto(elsewhere)
        expect(page.get_by_role("heading", name="another site")).to_be_visible()
        until(page, lambda: any(frame.url.startswith("chrome-error:") for frame in page.frames[1:]),
              "the frame refused")
    framed = [frame for frame in page.frames if frame != page.main_frame]
    assert len(framed) == 1
    assert framed[0].url.startswith("chrome-error:"), framed[0].url  # Chromium's page for a refused frame
    assert framed[0].locator("[data-testid='stApp']").count() == 0
    assert framed[0].locator("input[type='password']").count() == 0
    context.close()
