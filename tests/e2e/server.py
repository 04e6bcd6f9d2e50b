"""Start ``park-safety serve`` for browser tests, and the small waits every browser test needs: each waits
on a condition (the app idle, an answer from the server), never for a fixed time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from dashboard import clock
from dashboard.auth_routes import SESSION_PATH
from dashboard.bench_pages import free_port, wait_until_healthy

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# the import panel's file input (its key carries a nonce; the Records page has attachment uploaders too)
IMPORT_FILE_INPUT = "[class*='st-key-imports_file_'] input[type='file']"
DEMO_PASSWORD = "park-demo"
# what a sign-in through the form ends in: the signed-in navigation, the form's refusal, or an exception
SIGN_IN_ANSWERED = ("[data-testid='stSidebarNavLink'], [data-testid='stAlertContentError'], "
                    "[data-testid='stException']")
# true once the app is idle and its script state has not changed for ``quiet`` ms since this wait (``call``)
# began: a rerun a click starts may begin a moment after the click, while the app still shows the last run idle
SETTLED = """([idle, quiet, call]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app) { return false; }
  const now = performance.now();
  if (!window.__parkSafetyRuns || window.__parkSafetyRuns.app !== app) {
    const runs = {app: app, changed: now, call: call};
    new MutationObserver(() => { runs.changed = performance.now(); })
      .observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
    window.__parkSafetyRuns = runs;
  }
  const runs = window.__parkSafetyRuns;
  if (runs.call !== call) { runs.call = call; runs.changed = now; }
  return app.matches(idle) && now - runs.changed >= quiet;
}"""


class ServerDidNotStart(RuntimeError):
    """``park-safety serve`` exited or did not answer its health check in time; the message holds its log."""


@contextmanager
def serve_dashboard(data_dir: Path, database_url: str | None = None, timeout_s: float = 120) -> Iterator[str]:
    """``park-safety serve`` on a free port; yields its URL once ``/_stcore/health`` answers.

    Without ``database_url`` it serves the SQLite file in ``data_dir`` (seeding the demo park when empty);
    with one, that database (seeded likewise when empty). The log is ``data_dir/serve-<port>.log``.
    """
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PARK_SAFETY_")}
    env["PARK_SAFETY_DATA_DIR"] = str(data_dir)
    env["PARK_SAFETY_CLOCK"] = clock.now().isoformat()  # the server's clock starts where the tests' clock is
    if database_url is not None:
        env["PARK_SAFETY_DATABASE_URL"] = database_url
    log_path = data_dir / f"serve-{port}.log"
    log = log_path.open("w")
    process = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_until_healthy(url, process, timeout_s):
            log.flush()
            raise ServerDidNotStart(f"park-safety serve did not start:\n{log_path.read_text()}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def settle(page: Any, quiet_ms: int = 500) -> None:
    """Wait until the script has finished running and no rerun has started for ``quiet_ms`` (a rerun may follow
    a click a moment after it)."""
    page.wait_for_function(SETTLED, arg=[IDLE, quiet_ms, uuid.uuid4().hex], polling=50, timeout=60_000)


def until(page: Any, condition: Callable[[], bool], what: str, timeout_s: float = 30) -> None:
    """Wait until ``condition()`` holds, for what Playwright cannot wait on itself (a canvas's pixels, a frame
    another origin refused): asked again every 50 ms, while Playwright goes on taking the browser's events.
    Raises AssertionError naming ``what`` when it does not hold within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout_s:g} s")
        page.wait_for_timeout(50)


@contextmanager
def server_answers(page: Any, path: str, timeout_ms: int = 60_000) -> Iterator[None]:
    """At the end of the block, wait until the server has answered the page's post to ``path`` (a route of
    ``dashboard/auth_routes.py``: ``SESSION_PATH`` sets the session cookie, ``SIGN_OUT_PATH`` clears it), so
    the cookie is then as the server left it. The wait starts before the block: an answer during it counts."""
    with page.expect_response(lambda answer: answer.url.endswith(path) and answer.ok, timeout=timeout_ms):
        yield


def sign_in(page: Any, url: str, username: str, password: str = DEMO_PASSWORD, *, with_cookie: bool = False) -> None:
    """Open ``url`` and sign in through the Chinese sign-in form (the default language); returns once the
    form has been answered (signed in, or refused) and the app is idle, and ``with_cookie`` once the server
    has also set the session cookie (which a page opened by its URL next needs)."""
    page.goto(url)
    settle(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with server_answers(page, SESSION_PATH) if with_cookie else nullcontext():
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector(SIGN_IN_ANSWERED, timeout=60_000)
    settle(page)
