"""After signing in, the session token is no longer anywhere a script on the page could read it: not in the
page's HTML (nor any frame's), not in the props or state React keeps for what the page shows, and not in
the cookie scripts can read. The HttpOnly cookie is the only copy the browser keeps, and it still works."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from dashboard.auth_routes import COOKIE as SESSION_COOKIE
from dashboard.auth_routes import SESSION_PATH
from tests.e2e.conftest import IDLE, NAV_LINK
from tests.e2e.server import DEMO_PASSWORD, server_answers, settle

pytestmark = pytest.mark.slow

# Every string React holds for the page: the props and hook state of every component mounted in it,
# searched a few levels deep (Streamlit's element messages included), and every element's attributes and
# text, and each frame's srcdoc. True if one contains the token.
FIND_TOKEN = """
(token) => {
  const where = [];
  const html = document.documentElement.outerHTML;
  if (html.includes(token)) where.push('the page HTML');
  for (const frame of document.querySelectorAll('iframe')) {
    if ((frame.getAttribute('srcdoc') || '').includes(token)) where.push('an iframe srcdoc');
    try {
      if (frame.contentDocument && frame.contentDocument.documentElement.outerHTML.includes(token)) {
        where.push('an iframe document');
      }
    } catch (e) { /* another origin's frame: not readable by this page either */ }
  }
  if (document.cookie.includes(token)) where.push('document.cookie');
  const seen = new WeakSet();
  const skip = new Set(['return', 'child', 'sibling', 'alternate', 'stateNode', '_owner', '_store', 'ref']);
  const holds = (value, depth) => {
    if (typeof value === 'string') return value.includes(token);
    if (value === null || typeof value !== 'object' || depth > 8 || seen.has(value)) return false;
    if (value instanceof Node || value === window) return false;
    seen.add(value);
    let keys = [];
    try { keys = Object.keys(value); } catch (e) { return false; }
    for (const key of keys) {
      if (skip.has(key)) continue;
      let inner;
      try { inner = value[key]; } catch (e) { continue; }
      if (holds(inner, depth + 1)) return true;
    }
    return false;
  };
  const fibers = new Set();
  for (const element of document.querySelectorAll('*')) {
    const key = Object.keys(element).find((k) => k.startsWith('__reactFiber$'));
    let fiber = key ? element[key] : null;
    while (fiber && !fibers.has(fiber)) { fibers.add(fiber); fiber = fiber.return; }
  }
  for (const fiber of fibers) {
    if (holds(fiber.memoizedProps, 0) || holds(fiber.memoizedState, 0)) { where.push('React'); break; }
  }
  return where;
}
"""


def _sign_in_and_wait_for_the_cookie(browser: Any, url: str) -> tuple[Any, Any, str]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_label("用户名").fill("finance")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with server_answers(page, SESSION_PATH):
        page.get_by_role("button", name="登录").click()
    page.wait_for_selector(NAV_LINK, timeout=60_000)
    cookie = next((c for c in context.cookies() if c["name"] == SESSION_COOKIE), None)
    assert cookie is not None, "the session cookie never arrived"
    return context, page, str(cookie["value"])


def test_the_token_leaves_the_page_once_the_cookie_is_set(server_url: str, browser: Any) -> None:
    context, page, token = _sign_in_and_wait_for_the_cookie(browser, server_url)
    assert len(token) >= 20
    # the script took the token off its element before it sent it
    html = page.evaluate("document.documentElement.outerHTML")
    assert token not in html
    # the app then reruns without the script, and React lets go of the element that carried it
    with contextlib.suppress(PlaywrightTimeout):  # the places still holding it are named below
        page.wait_for_function(f"(token) => ({FIND_TOKEN})(token).length === 0", arg=token, timeout=5_000)
    found = page.evaluate(FIND_TOKEN, token)
    assert found == [], found
    settle(page)
    assert page.evaluate(FIND_TOKEN, token) == []
    assert page.locator("[data-testid='stHtml'] script").count() == 0
    # the cookie is the session: a refresh, and a page by its URL, stay signed in
    page.reload()
    settle(page)
    expect(page.locator(NAV_LINK).first).to_be_visible()
    page.goto(f"{server_url}/loans")
    settle(page)
    expect(page.locator(NAV_LINK).first).to_be_visible()
    assert page.locator("input[type='password']").count() == 0
    assert page.evaluate(FIND_TOKEN, token) == []
    context.close()
