"""Browser tests: ``park-safety serve`` on a free port with a fresh demo park, driven by Playwright in
Debian's Chromium (``/usr/bin/chromium``; Playwright never downloads a browser here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, IDLE, ServerDidNotStart, serve_dashboard

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "IDLE"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The dashboard served on a free port over a fresh SQLite demo park: (its URL, the database URL)."""
    data_dir = tmp_path_factory.mktemp("served")
    try:
        with serve_dashboard(data_dir) as url:
            yield url, f"sqlite:///{data_dir / 'park-safety.sqlite3'}"
    except ServerDidNotStart as error:
        pytest.fail(str(error))


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
