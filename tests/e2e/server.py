"""Start ``park-safety serve`` for browser tests, and the small waits every browser test needs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dashboard import clock
from dashboard.bench_pages import free_port, wait_until_healthy

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
DEMO_PASSWORD = "park-demo"


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


def settle(page: Any, pause_ms: int = 500) -> None:
    """Wait until the script has finished running, twice around a pause (a rerun may follow a click)."""
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(pause_ms)
    page.wait_for_selector(IDLE, timeout=60_000)


def sign_in(page: Any, url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Open ``url`` and sign in through the Chinese sign-in form (the default language)."""
    page.goto(url)
    settle(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_timeout(1000)
    settle(page)
