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

