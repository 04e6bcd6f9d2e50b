"""`park-safety serve` on a fresh machine: migrates, seeds the demo park, and answers on localhost."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from dashboard.bench_pages import free_port, wait_until_healthy


@pytest.mark.slow
def test_serve_seeds_an_empty_database_and_answers_health(tmp_path: Path) -> None:
    port = free_port()
    env = dict(os.environ, PARK_SAFETY_DATA_DIR=str(tmp_path), PARK_SAFETY_DEMO="1")
    env.pop("PARK_SAFETY_DATABASE_URL", None)
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        healthy = wait_until_healthy(f"http://127.0.0.1:{port}", process, 120)
        output = (tmp_path / "serve.log").read_text()
        assert healthy, output
        assert "Demo park ready" in output
        database = sqlite3.connect(tmp_path / "park-safety.sqlite3")
        assert database.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 120
        assert database.execute("SELECT count(*) FROM app_user").fetchone()[0] == 4
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
