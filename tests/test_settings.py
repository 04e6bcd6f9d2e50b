"""Settings: one typed object from PARK_SAFETY_* variables, with the design's rule defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from dashboard.settings import RuleSettings, Settings


def test_defaults_are_the_embedded_sqlite_file_and_chinese(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PARK_SAFETY_DATABASE_URL", raising=False)
    monkeypatch.setenv("PARK_SAFETY_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'park-safety.sqlite3'}"
    assert settings.language == "zh"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.demo is True


def test_environment_overrides_database_url_and_a_rule_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARK_SAFETY_DATABASE_URL", "postgresql://u@db/park")
    monkeypatch.setenv("PARK_SAFETY_RULES__SIGN_CHECK_MAX_AGE_DAYS", "90")
    monkeypatch.setenv("PARK_SAFETY_DEMO", "0")
    settings = Settings()
    assert settings.effective_database_url == "postgresql://u@db/park"
    assert settings.rules.sign_check_max_age_days == 90
    assert settings.rules.general_overdue_penalty == 4
    assert settings.demo is False


def test_a_bad_setting_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARK_SAFETY_LANGUAGE", "fr")
    with pytest.raises(ValidationError, match="language"):
        Settings()


@pytest.mark.parametrize(
    ("name", "design_value"),
    [
        ("sign_check_max_age_days", 180), ("hazards_max", 35), ("general_open_penalty", 1),
        ("general_overdue_penalty", 4), ("major_unverified_penalty", 12), ("major_overdue_penalty", 18),
        ("accidents_max", 25), ("general_accident_penalty", 8), ("four_not_letting_go_penalty", 5),
        ("management_max", 15), ("staffing_employee_threshold", 100), ("standardization_level1_points", 5),
        ("standardization_level2_points", 4), ("standardization_level3_points", 3), ("licence_points", 5),
        ("training_max", 10), ("special_operators_points", 4), ("signage_points", 10), ("compliance_max", 5),
        ("severe_enforcement_penalty", 5), ("rectification_order_penalty", 2), ("self_inspection_window_days", 90),
        ("grade_a_min", 90), ("grade_b_min", 75), ("grade_c_min", 60), ("loan_overdue_ineligible_days", 30),
        ("loan_larger_accident_window_days", 1095), ("loan_dishonesty_years", 3),
        ("loan_licence_expiry_warning_days", 60), ("loan_override_max_days", 180),
        ("accident_larger_deaths", 3), ("accident_major_serious_injuries", 50),
        ("accident_especially_major_loss_yuan", 100_000_000),
    ],
)
def test_rule_defaults_are_the_designs(name: str, design_value: float) -> None:
    assert getattr(RuleSettings(), name) == design_value


def test_grade_thresholds_out_of_order_are_refused() -> None:
    with pytest.raises(ValidationError, match="A >= B >= C"):
        RuleSettings(grade_a_min=70, grade_b_min=75)


def test_every_rule_setting_is_described_or_self_explaining() -> None:
    for name, field in RuleSettings.model_fields.items():
        assert field.description or name.endswith(("_max", "_points", "_days", "_penalty", "_min", "_industries",
                                                   "_deaths", "_injuries", "_yuan", "_threshold")), name


def test_component_maxima_that_do_not_add_up_to_100_are_refused() -> None:
    with pytest.raises(ValidationError, match="add up to 100"):
        RuleSettings(hazards_max=40)


def test_management_points_must_fill_the_management_maximum() -> None:
    with pytest.raises(ValidationError, match="management_max"):
        RuleSettings(licence_points=4)
