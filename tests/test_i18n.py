"""Both catalogs hold the same keys, every key is used, and every key used exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.i18n import CATALOGS, name_in_language, set_language, t

ROOT = Path(__file__).resolve().parent.parent
LITERAL = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.]+)["']""")
DYNAMIC = re.compile(r"""\bt\(\s*f["']([A-Za-z0-9_.]+)\{""")
LABEL = re.compile(r"""\blabel\(\s*["']([a-z_]+)["']""")  # label("industry", value) uses enum.industry.*


def _sources() -> str:
    files = [*ROOT.joinpath("dashboard").rglob("*.py"), *ROOT.joinpath("pages").rglob("*.py")]
    return "\n".join(path.read_text(encoding="utf-8") for path in files if "i18n" not in path.parts)


def test_zh_and_en_have_the_same_keys() -> None:
    assert set(CATALOGS["zh"]) == set(CATALOGS["en"])


def test_every_key_used_exists_and_every_key_is_used() -> None:
    source = _sources()
    literal = set(LITERAL.findall(source))
    prefixes = set(DYNAMIC.findall(source)) | {f"enum.{kind}." for kind in LABEL.findall(source)}
    keys = set(CATALOGS["en"])
    assert literal <= keys, sorted(literal - keys)
    unused = {key for key in keys if key not in literal and not any(key.startswith(p) for p in prefixes)}
    assert not unused, sorted(unused)


def test_messages_fill_their_parameters_in_both_languages() -> None:
    set_language("en")
    assert t("overview.target", target=3) == "Accident target per year: 3"
    set_language("zh")
    assert t("overview.target", target=3) == "年度事故控制目标:3 起"


@pytest.mark.parametrize(("name_en", "language", "shown"), [
    ("Linjiang Fine Chemicals", "en", "Linjiang Fine Chemicals"),
    ("Linjiang Fine Chemicals", "zh", "临江精细化工"),
    (None, "en", "临江精细化工"),
    ("", "en", "临江精细化工"),
    ("   ", "en", "临江精细化工"),
    (float("nan"), "en", "临江精细化工"),  # a missing name_en in a DataFrame
])
def test_an_enterprise_is_named_in_the_page_language_and_in_chinese_without_an_english_name(
    name_en: object, language: str, shown: str
) -> None:
    assert name_in_language("临江精细化工", name_en, language) == shown
    set_language(language)
    assert name_in_language("临江精细化工", name_en) == shown


# --- the names of enumeration values: one catalog, one name per value ---------------------------------


def _enumerations() -> dict[str, set[str]]:
    """Every enumeration whose values the pages name, by its kind in the catalogs (``enum.<kind>.<value>``):
    the contract's, and those the rules compute."""
    from enum import StrEnum

    import models.enums
    from dashboard.rules.loan_eligibility import STATUSES
    from dashboard.rules.risk_colour import COLOURS
    from dashboard.rules.scorecard import COMPONENTS
    from models.base import enum_kind

    contract = [value for value in vars(models.enums).values()
                if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum]
    kinds = {enum_kind(enum): {member.value for member in enum} for enum in contract}
    kinds.update({"hazard_state": {"open", "overdue", "rectified", "verified"}, "loan_status": set(STATUSES),
                  "risk_colour": set(COLOURS), "component": set(COMPONENTS)})
    return kinds


def _catalog_modules() -> list[object]:
    import importlib
    import pkgutil

    from dashboard.i18n import en, zh

    return [importlib.import_module(f"{package.__name__}.{info.name}")
            for package in (zh, en) for info in pkgutil.iter_modules(package.__path__)]


def test_every_enumeration_value_has_a_name_in_both_languages() -> None:
    for kind, values in _enumerations().items():
        for value in values:
            for language in ("zh", "en"):
                assert CATALOGS[language].get(f"enum.{kind}.{value}", "").strip(), (language, kind, value)


def test_enumeration_values_are_named_in_the_enums_catalogs_and_nowhere_else() -> None:
    """A second list of names for an enumeration's values (a dict keyed by them, or catalog keys ending in
    them) is how a second wording for one concept comes back (隐患 beside 隐患排查治理, 待整改 beside 未整改)."""
    import dashboard.i18n.rule_texts
    import models.messages

    kinds = _enumerations()
    for module in _catalog_modules():
        messages: dict[str, str] = module.MESSAGES  # type: ignore[attr-defined]
        if module.__name__.endswith(".enums"):
            assert all(key.startswith("enum.") for key in messages), module.__name__
            continue
        assert not [key for key in messages if key.startswith("enum.")], module.__name__
        lists: dict[str, set[str]] = {}
        for key in messages:
            prefix, _, last = key.rpartition(".")
            lists.setdefault(prefix, set()).add(last)
        doubles = [(prefix, kind) for prefix, names in lists.items() for kind, values in kinds.items()
                   if names == values]
        assert not doubles, doubles
    for module in (dashboard.i18n.rule_texts, models.messages):
        for name, table in vars(module).items():
            if not isinstance(table, dict):
                continue
            keyed = [table, *(inner for inner in table.values() if isinstance(inner, dict))]
            for texts in keyed:
                keys = {str(getattr(key, "value", key)) for key in texts}
                doubles = [kind for kind, values in kinds.items() if len(values) > 1 and values <= keys]
                assert not doubles, (module.__name__, name, doubles)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_hazard_status_and_the_state_the_rules_read_share_their_names(language: str) -> None:
    for value in ("open", "rectified", "verified"):
        assert CATALOGS[language][f"enum.hazard_status.{value}"] == CATALOGS[language][f"enum.hazard_state.{value}"]


def test_a_loan_decision_is_named_as_the_status_it_sets() -> None:
    for value in ("eligible", "ineligible"):
        assert CATALOGS["zh"][f"enum.loan_decision.{value}"] == CATALOGS["zh"][f"enum.loan_status.{value}"]
