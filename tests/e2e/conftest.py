"""Browser tests: ``park-safety serve`` on a free port with a fresh demo park, driven by Playwright in
Debian's Chromium (``/usr/bin/chromium``; Playwright never downloads a browser here)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The dashboard served on a free port over a fresh SQLite demo park: (its URL, the database URL)."""
    data_dir = tmp_path_factory.mktemp("served")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PARK_SAFETY_")}
    env["PARK_SAFETY_DATA_DIR"] = str(data_dir)
    log = (data_dir / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"park-safety serve did not start:\n{(data_dir / 'serve.log').read_text()}")
            time.sleep(0.3)
        yield url, f"sqlite:///{data_dir / 'park-safety.sqlite3'}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def server_url(served: tuple[str, str]) -> str:
    """The served dashboard's URL."""
    return served[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
