"""Two languages, one lookup: ``t("key", **params)`` in the current language.

The catalogs live beside this file (``zh.py``, ``en.py``); a key missing from either is a
defect that the tests catch. The language is set once at the top of each script run.
"""

from __future__ import annotations

from contextvars import ContextVar

from dashboard.i18n import en, zh

LANGUAGES = ("zh", "en")
LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}
CATALOGS: dict[str, dict[str, str]] = {"zh": zh.MESSAGES, "en": en.MESSAGES}

_language: ContextVar[str] = ContextVar("language", default="zh")


def set_language(language: str) -> str:
    """Make ``language`` current for this run; an unknown one falls back to Chinese."""
    chosen = language if language in CATALOGS else "zh"
    _language.set(chosen)
    return chosen


def current_language() -> str:
    return _language.get()


def t(key: str, **params: object) -> str:
    """The message for ``key`` in the current language, with ``params`` filled in."""
    catalog = CATALOGS[_language.get()]
    template = catalog.get(key) or CATALOGS["en"].get(key) or key
    return template.format(**params) if params else template


def format_int(value: int) -> str:
    return f"{value:,}"
