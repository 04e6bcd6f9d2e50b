"""The sentences behind every scorecard deduction and loan rule, in English and Chinese, filled in.

The templates themselves are the rules' part of the catalogs, in ``dashboard/i18n/rule_texts.py``.

Templates are keyed by code, then by language. A code that reads differently by case has a
``variant`` parameter and one template per variant (``licence_invalid.missing``); a loan rule
with several causes (L4, L6) has one template per cause (``L6.closure``), and its sentence joins
the causes that hold. A remedy that can name the records behind it has a second template,
``<key>@records``, used when records are given.

Placeholders are the rule's parameters plus ``points`` and ``full_points`` (a deduction's
points after and before the component's floor), ``records`` (the records as ``#412 (deadline
2026-05-01)``) and the English plural endings ``s`` (for ``count``) and ``rs`` (for the records).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal
from functools import cache, lru_cache
from string import Formatter

from dashboard.i18n import CATALOGS
from dashboard.i18n.rule_texts import CAPPED, DEDUCTION_REASONS, LOAN_REASONS, LOAN_REMEDIES, NOTE_LABELS, SIGN_CHECKED
from dashboard.rules.facts import RecordRef
from models.enums import Industry, SignCondition, StandardizationGrade

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"

# loan rules with several causes: (template key, parameter holding the cause's count, parameter holding its records)
PARTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "L4": (("L4.fatal", "fatal", "fatal_records"), ("L4.larger", "larger", "larger_records")),
    "L6": (
        ("L6.suspension", "suspensions", "suspension_records"),
        ("L6.closure", "closures", "closure_records"),
        ("L6.prosecution", "prosecutions", "prosecution_records"),
    ),
}

_SEPARATOR = {"en": " ", "zh": ""}
_LIST_SEPARATOR = {"en": ", ", "zh": "、"}


def enum_name(kind: str, value: object, language: str) -> str:
    """The name of an enumeration value as a sentence carries it: the catalogs' one name for it
    (``enum.<kind>.<value>``), lower case in English."""
    text = CATALOGS[_language(language)][f"enum.{kind}.{getattr(value, 'value', value)}"]
    return text[:1].lower() + text[1:] if _language(language) == "en" else text


@cache
def template_fields(template: str) -> frozenset[str]:
    """The placeholder names a template uses."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


def deduction_reason(
    component: str, code: str, points: float, params: Mapping[str, object], language: str = DEFAULT_LANGUAGE
) -> str:
    """The sentence for a scorecard deduction; says so when the component's floor cut it short.

    Deductions repeat (a county's 57,000 have some 1,500 different sentences), so each sentence is made
    once; the key holds every parameter with its type, so 1, 1.0 and True are never taken for one another.
    """
    items = tuple((key, type(value), value) for key, value in params.items())
    try:
        hash(items)
    except TypeError:  # a parameter that cannot be a key (no rule gives one): made every time
        return _deduction_sentence.__wrapped__(component, code, points, items, _language(language))
    return _deduction_sentence(component, code, points, items, _language(language))


@lru_cache(maxsize=8192)
def _deduction_sentence(
    component: str, code: str, points: float, items: tuple[tuple[str, type, object], ...], lang: str
) -> str:
    params = {key: value for key, _, value in items}
    values = {"full_points": points, **params, "points": points, "component": enum_name("component", component, lang)}
    text = _render(DEDUCTION_REASONS[_variant_key(code, params)][lang], values, (), lang)
    if "full_points" in params:
        text += _render(CAPPED[lang], values, (), lang)
    return text


def loan_reason(
    code: str, params: Mapping[str, object], records: Sequence[RecordRef], language: str = DEFAULT_LANGUAGE
) -> str:
    """Why a loan rule holds: one sentence per cause."""
    lang = _language(language)
    return _SEPARATOR[lang].join(
        _render(LOAN_REASONS[key][lang], params, part_records, lang, count)
        for key, part_records, count in _parts(code, params, records)
    )


def loan_remedy(
    code: str, params: Mapping[str, object], records: Sequence[RecordRef], language: str = DEFAULT_LANGUAGE
) -> str:
    """What would clear a loan rule (the path to eligibility), naming the records when they are known."""
    lang = _language(language)
    sentences = []
    for key, part_records, count in _parts(code, params, records):
        listed = f"{key}@records"
        chosen = listed if part_records and listed in LOAN_REMEDIES else key
        sentences.append(_render(LOAN_REMEDIES[chosen][lang], params, part_records, lang, count))
    return _SEPARATOR[lang].join(sentences)


def text_keys(code: str, params: Mapping[str, object]) -> tuple[str, ...]:
    """The template keys a loan rule's reason is made of (its remedy may use their ``@records`` forms)."""
    return tuple(key for key, _, _ in _parts(code, params, ()))


def _parts(
    code: str, params: Mapping[str, object], records: Sequence[RecordRef]
) -> list[tuple[str, Sequence[RecordRef], object]]:
    if code not in PARTS:
        return [(_variant_key(code, params), records, params.get("count"))]
    parts: list[tuple[str, Sequence[RecordRef], object]] = []
    for key, count_param, records_param in PARTS[code]:
        count = params.get(count_param, 0)
        if isinstance(count, int) and count > 0:
            part_records = params.get(records_param, ())
            parts.append((key, part_records if isinstance(part_records, tuple) else (), count))
    return parts


def _variant_key(code: str, params: Mapping[str, object]) -> str:
    variant = params.get("variant")
    return f"{code}.{variant}" if variant else code


def _language(language: str) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _render(
    template: str,
    params: Mapping[str, object],
    records: Sequence[RecordRef],
    language: str,
    count: object = None,
) -> str:
    used = template_fields(template)  # a county's export fills some 60,000 sentences: format only what is shown
    values = {key: _format(key, value, language) for key, value in params.items() if key in used}
    if "records" in used:
        values["records"] = _records_text(records, language)
    values["s"] = _plural(count if count is not None else params.get("count"))
    values["rs"] = _plural(len(records))
    return template.format(**values)


def _format(key: str, value: object, language: str) -> str:
    if key == "score" and isinstance(value, float | int):
        return _score(value)
    if key == "losses" and isinstance(value, tuple):
        return _losses_text(value, language)
    if isinstance(value, Industry):
        return enum_name("industry", value, language)
    if isinstance(value, StandardizationGrade):
        return enum_name("standardization_grade", value, language)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple) and all(isinstance(item, RecordRef) for item in value):
        return _records_text(value, language)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float | int):
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    """Points as a person writes them: 12, 0.8, 1.33."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _score(value: float) -> str:
    """A score with one decimal, rounded down so that it never shows a grade threshold it has not reached."""
    return str(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_DOWN))


def _plural(count: object) -> str:
    return "" if count == 1 else "s"


def _records_text(records: Sequence[RecordRef], language: str) -> str:
    return _LIST_SEPARATOR[language].join(_record_text(record, language) for record in records)


def _record_text(record: RecordRef, language: str) -> str:
    if not record.note:
        return f"#{record.id}"
    note = _note_text(record, language)
    return f"#{record.id} ({note})" if language == "en" else f"#{record.id}({note})"


def _note_text(record: RecordRef, language: str) -> str:
    if record.table == "safety_sign":
        return _sign_note(record.note, language)
    label = NOTE_LABELS.get(record.table, {}).get(language)
    return f"{label} {record.note}" if label else record.note


def _sign_note(note: str, language: str) -> str:
    """A failing board's note, ``<condition> <checked on>`` or ``unchecked``, in words: "damaged, checked
    2026-01-02", "good, last checked 2025-11-30", "never checked"."""
    condition, _, checked_on = note.partition(" ")
    if condition == "unchecked":
        return SIGN_CHECKED["never"][language]
    if condition not in set(SignCondition):
        return note
    checked = SIGN_CHECKED["latest" if condition == SignCondition.good else "at"][language]
    comma = ", " if language == "en" else ","
    return f"{enum_name('sign_condition', condition, language)}{comma}{checked} {checked_on}".strip()


def _losses_text(losses: tuple[object, ...], language: str) -> str:
    unit = {"en": "points", "zh": "分"}[language]
    items = []
    for loss in losses:
        if isinstance(loss, tuple) and len(loss) == 2:
            component, points = loss
            name = enum_name("component", component, language)
            number = _number(points) if isinstance(points, float | int) else str(points)
            items.append(f"{name} ({number} {unit})" if language == "en" else f"{name}({number} {unit})")
    return _LIST_SEPARATOR[language].join(items)
