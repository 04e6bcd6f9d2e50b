"""The Streamlit settings the dashboard is served with keep XSRF protection and CORS on and show no
tracebacks; ``park-safety serve`` passes them as flags. (That the served app refuses an upload without
the XSRF token, even with ``STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION=false`` set, is checked against a
running server in tests/e2e/test_security_pages.py.)"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from dashboard.cli import STREAMLIT_CONFIG, streamlit_flags

REPOSITORY = Path(__file__).resolve().parent.parent
CONFIGS = [STREAMLIT_CONFIG, REPOSITORY / ".streamlit" / "config.toml"]


def _flag_values(name: str) -> list[str]:
    return [flag.split("=", 1)[1] for flag in streamlit_flags() if flag.split("=", 1)[0] == f"--{name}"]


@pytest.mark.parametrize("path", CONFIGS, ids=["packaged", "repository"])
def test_the_streamlit_config_keeps_xsrf_and_cors_on(path: Path) -> None:
    """The packaged file, and the repository's (for ``streamlit run dashboard/app.py``)."""
    with path.open("rb") as handle:
        config: dict[str, Any] = tomllib.load(handle)
    server = config.get("server", {})
    assert server.get("enableXsrfProtection") is True
    assert server.get("enableCORS", True) is True
    assert config.get("client", {}).get("showErrorDetails") == "none"  # no tracebacks for users


def test_the_repository_config_is_the_packaged_one() -> None:
    assert (REPOSITORY / ".streamlit" / "config.toml").resolve() == STREAMLIT_CONFIG.resolve()


def test_serve_passes_xsrf_protection_on_as_a_flag() -> None:
    """Flags win over STREAMLIT_* variables and over config files elsewhere, so an explicit true holds."""
    assert _flag_values("server.enableXsrfProtection") == ["true"]
    assert _flag_values("server.enableCORS") in ([], ["true"])
    assert _flag_values("client.showErrorDetails") == ["none"]


def test_streamlits_upload_limit_is_the_attachment_limit() -> None:
    """Streamlit refuses a larger upload before the page sees it, so its limit is the largest file a record takes
    (a smaller one would refuse files the service accepts; a larger one would take in files it refuses)."""
    from dashboard.settings import Settings

    with STREAMLIT_CONFIG.open("rb") as handle:
        config: dict[str, Any] = tomllib.load(handle)
    default = Settings.model_fields["attachment_max_bytes"].default
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == default


def test_a_larger_attachment_limit_raises_streamlits_upload_limit_and_a_smaller_one_keeps_the_imports() -> None:
    """``park-safety serve`` passes the attachment limit in force: 30 MB lets a 30 MB photo reach the service; 5 MB
    leaves Streamlit's limit at 15 MB (the imports take 10 MB), and the service refuses a photo over 5 MB itself."""
    def limit(attachment_max_bytes: int) -> list[str]:
        return [flag.split("=", 1)[1] for flag in streamlit_flags(attachment_max_bytes)
                if flag.startswith("--server.maxUploadSize=")]

    assert limit(30 * 1024 * 1024) == ["30"]
    assert limit(30 * 1024 * 1024 + 1) == ["31"]
    assert limit(5 * 1024 * 1024) == ["15"]
