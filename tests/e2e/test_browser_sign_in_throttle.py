"""In a real browser (issue 13, item 8): a browser that has signed in to an account keeps an HttpOnly device
cookie and signs in to that account at once while an attacker's failed guesses hold everyone else back; the
attacker, even with the right password, sees only "wrong username or password"; nothing is locked."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from dashboard import clock
from dashboard.auth_routes import COOKIE as SESSION_COOKIE
from dashboard.db import make_engine
from dashboard.services.sign_in_throttle import DEVICE_COOKIE
from models import SignInThrottle
from tests.e2e.conftest import EXCEPTION, NAV_LINK, signed_in
from tests.e2e.server import DEMO_PASSWORD, settle, sign_in

REFUSED = "用户名或密码错误。"


@pytest.mark.slow
def test_the_owner_signs_in_from_a_known_browser_while_the_account_is_hammered(
    served: tuple[str, str], browser: Any
) -> None:
    url, database_url = served
    owner, page = signed_in(browser, url, "staff")
    device = next(c for c in owner.cookies() if c["name"] == DEVICE_COOKIE)
    assert device["httpOnly"] is True and device["sameSite"] == "Strict"
    assert device["expires"] > time.time() + 89 * 86400  # remembered for 90 days (by the browser's own clock)
    assert page.evaluate("document.cookie").find(DEVICE_COOKIE) == -1  # not readable by scripts
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("input[type='password']")).to_have_count(1)
    settle(page)

    attacker = browser.new_context()
    guessing = attacker.new_page()
    for _ in range(5):  # the attacker's guesses through the form (all browsers here share one address)
        sign_in(guessing, url, "staff", "a-wrong-guess")
        expect(guessing.get_by_text(REFUSED)).to_have_count(1)
    engine = make_engine(database_url)
    with Session(engine) as session:
        assert session.execute(select(func.max(SignInThrottle.failures))).scalar_one() >= 4
        # as after a long burst: the address and the account wait a minute (so the test does not race the clock)
        session.execute(update(SignInThrottle).values(blocked_until=clock.now() + timedelta(minutes=1)))
        session.commit()
    sign_in(guessing, url, "staff", DEMO_PASSWORD)  # even the right password, inside the delay
    expect(guessing.get_by_text(REFUSED)).to_have_count(1)
    assert guessing.locator(NAV_LINK).count() == 0
    assert all(c["name"] != SESSION_COOKIE for c in attacker.cookies())

    sign_in(page, url, "staff")  # the owner's browser, with its device cookie, from the same address
    page.wait_for_selector(f"{NAV_LINK}, {EXCEPTION}", timeout=60_000)
    assert page.locator(EXCEPTION).count() == 0
    assert page.get_by_text(REFUSED).count() == 0
    with Session(engine) as session:
        session.execute(delete(SignInThrottle))
        session.commit()
    engine.dispose()
    attacker.close()
    owner.close()
