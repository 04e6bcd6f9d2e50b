"""Every setting is in the README's table of settings, so an operator can find what each one does."""

from __future__ import annotations

from pathlib import Path

from dashboard.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    names = [f"PARK_SAFETY_{name.upper()}" for name in Settings.model_fields if name != "rules"]
    assert len(names) > 20
    missing = [name for name in names if f"`{name}`" not in README]
    assert not missing, f"not in the README's settings: {missing}"
    assert "`PARK_SAFETY_RULES__<NAME>`" in README
