"""The dashboard's own origin (``dashboard/origin.py``): a browser request is from a page of the dashboard
only when its ``Origin`` has the same scheme, host and port as the address the dashboard is served at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from dashboard.origin import from_own_origin, public_origin
from dashboard.settings import Settings, get_settings


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("PARK_SAFETY_PUBLIC_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_request_host_and_scheme_are_the_origin() -> None:
    headers = {"host": "127.0.0.1:8501"}
    assert from_own_origin({**headers, "origin": "http://127.0.0.1:8501"}, "ws")
    for other in ("http://127.0.0.1:9999", "http://localhost:8501", "https://127.0.0.1:8501", "null",
                  "http://127.0.0.1:8501.evil.example", "http://user@127.0.0.1:8501"):
        assert not from_own_origin({**headers, "origin": other}, "ws"), other
    assert not from_own_origin(headers, "http")  # no Origin at all


def test_default_ports_and_case_do_not_matter() -> None:
    assert from_own_origin({"host": "Safety.Park.Example", "origin": "https://safety.park.example:443"}, "https")
    assert public_origin({"host": "safety.park.example:80"}, "http") == ("http", "safety.park.example", 80)


def test_the_first_forwarded_proto_gives_the_scheme() -> None:
    behind_proxy = {"host": "safety.park.example", "x-forwarded-proto": "https, http"}
    assert from_own_origin({**behind_proxy, "origin": "https://safety.park.example"}, "http")
    assert not from_own_origin({**behind_proxy, "origin": "http://safety.park.example"}, "http")


def test_a_pinned_public_url_wins_over_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARK_SAFETY_PUBLIC_URL", "https://safety.park.example")
    get_settings.cache_clear()
    upstream = {"host": "127.0.0.1:8501"}
    assert from_own_origin({**upstream, "origin": "https://safety.park.example"}, "ws")
    assert not from_own_origin({**upstream, "origin": "http://127.0.0.1:8501"}, "ws")


@pytest.mark.parametrize("value", ["safety.park.example", "ftp://safety.park.example", "https://x:port",
                                   "https://safety.park.example/dashboard"])
def test_a_public_url_that_is_not_an_origin_is_refused(value: str) -> None:
    with pytest.raises(ValidationError):
        Settings(public_url=value)
