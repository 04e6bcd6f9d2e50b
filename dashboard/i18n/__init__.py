"""Two languages, one lookup: ``t("key", **params)`` in the current language.

The catalogs are the packages beside this file (``zh/``, ``en/``), one module per area of
the app; a key missing from either is a defect that the tests catch. The language is set
once at the top of each script run. Numbers and dates are formatted for the language here.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, copy_context
from datetime import date
from typing import TypeVar

from dashboard.i18n import en, zh

LANGUAGES = ("zh", "en")
LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}
CATALOGS: dict[str, dict[str, str]] = {"zh": zh.MESSAGES, "en": en.MESSAGES}

_language: ContextVar[str] = ContextVar("language", default="zh")
_T = TypeVar("_T")


def set_language(language: str) -> str:
    """Make ``language`` current for this run; an unknown one falls back to Chinese."""
    chosen = language if language in CATALOGS else "zh"
    _language.set(chosen)
    return chosen


def current_language() -> str:
    return _language.get()


def in_current_language(make: Callable[[], _T]) -> Callable[[], _T]:
    """``make`` wrapped to run later (a download made when clicked, outside the page's run) in the
    language current now."""
    context = copy_context()
    return lambda: context.copy().run(make)


def t(key: str, **params: object) -> str:
    """The message for ``key`` in the current language, with ``params`` filled in."""
    catalog = CATALOGS[_language.get()]
    template = catalog.get(key) or CATALOGS["en"].get(key) or key
    return template.format(**params) if params else template


def name_in_language(name: str, name_en: object, language: str | None = None) -> str:
    """An enterprise's (or the park's) name as a reader of ``language`` (default: the current one) reads it:
    the English name on the English page, when it has one that is not blank; else the Chinese name, which
    every enterprise has. ``name_en`` may be None, or NaN from a DataFrame."""
    if (language or current_language()) == "en" and isinstance(name_en, str) and name_en.strip():
        return name_en
    return name


def label(kind: str, value: object) -> str:
    """The name of an enumeration value (``label("industry", "fireworks")`` → 烟花爆竹 / Fireworks).

    ``kind`` is one of the ``enum.<kind>.`` groups of the catalogs: industry, hazard_category,
    hazard_severity, hazard_status, hazard_state, inspection_tier, sign_kind, sign_condition,
    accident_level, training_audience, enforcement_action, standardization_grade,
    major_hazard_source, enterprise_status, loan_decision, loan_status, risk_colour, role,
    component. An unknown value is shown as it is.
    """
    text = str(getattr(value, "value", value))
    key = f"enum.{kind}.{text}"
    return t(f"enum.{kind}.{text}") if key in CATALOGS["en"] else text


def format_int(value: int) -> str:
    """1234567 → "1,234,567" (both languages group by thousands)."""
    return f"{value:,}"


def format_number(value: float, digits: int = 1) -> str:
    """A decimal number with ``digits`` places and thousands separators."""
    return f"{value:,.{digits}f}"


def format_percent(value: float | None, digits: int = 1) -> str:
    """A share (0.873) as a percentage ("87.3%"); ``None`` (no basis) as a dash."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


def format_date(value: date | None) -> str:
    """2026-11-29 → "2026年11月29日" in Chinese, "29 Nov 2026" in English; ``None`` as a dash."""
    if value is None:
        return "—"
    if _language.get() == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value:%b} {value.year}"


def format_month(value: date) -> str:
    """The month of ``value``: "2026年11月" / "Nov 2026"."""
    if _language.get() == "zh":
        return f"{value.year}年{value.month}月"
    return f"{value:%b} {value.year}"


def format_money(value: float) -> str:
    """A sum in yuan: "¥12,500" / "CNY 12,500" (whole yuan)."""
    if _language.get() == "zh":
        return f"¥{value:,.0f}"
    return f"CNY {value:,.0f}"
