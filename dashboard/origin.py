"""The dashboard's own origin, and whether a browser request comes from a page of it.

A browser names the page a request comes from in its ``Origin`` header: scheme, host and port. The
websocket (``/_stcore/stream``) and the session-cookie routes accept only the dashboard's own origin,
so a page served anywhere else (another site, or another port of the same host, which the SameSite
cookie does not tell apart) cannot talk to the dashboard as the signed-in user.

The dashboard's origin is ``PARK_SAFETY_PUBLIC_URL`` when set (behind a proxy that rewrites ``Host``),
else the request's own ``Host`` with its scheme: the first ``X-Forwarded-Proto`` value when a proxy
sent one, else the connection's. A browser cannot set ``Host`` or ``X-Forwarded-Proto`` on a
websocket or on a cross-origin request without a preflight that is never granted.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from dashboard.settings import get_settings

Origin = tuple[str, str, int]  # scheme, host name (lower case), port

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEMES = {"http": "http", "https": "https", "ws": "http", "wss": "https"}


def parse_origin(url: str) -> Origin | None:
    """``url``'s scheme, host and port (the scheme's default when none is given); None if it has none."""
    try:
        split = urlsplit(url.strip())
        port = split.port
    except ValueError:
        return None
    scheme = split.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not split.hostname or split.username or split.password:
        return None
    return scheme, split.hostname.lower().rstrip("."), port or _DEFAULT_PORTS[scheme]


def public_origin(headers: Mapping[str, str], connection_scheme: str) -> Origin | None:
    """The origin the dashboard serves this request at (see the module's text). ``headers`` are the request's,
    with lower-case names; ``connection_scheme`` is the ASGI scope's (``http``, ``https``, ``ws``, ``wss``)."""
    pinned = get_settings().public_url
    if pinned:
        return parse_origin(pinned)
    host = headers.get("host")
    if not host:
        return None
    forwarded = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    scheme = forwarded if forwarded in _DEFAULT_PORTS else _SCHEMES.get(connection_scheme.lower(), "http")
    return parse_origin(f"{scheme}://{host}")


def from_own_origin(headers: Mapping[str, str], connection_scheme: str) -> bool:
    """Whether the request's ``Origin`` is the dashboard's own (a request without one is refused: every
    browser sends it on a websocket and on a ``POST``)."""
    origin = headers.get("origin")
    if not origin:
        return False
    own = public_origin(headers, connection_scheme)
    return own is not None and parse_origin(origin) == own
