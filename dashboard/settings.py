"""All configuration in one typed object.

Everything comes from environment variables prefixed ``PARK_SAFETY_`` (nested rule
settings use ``__``, e.g. ``PARK_SAFETY_RULES__SIGN_CHECK_MAX_AGE_DAYS=90``). Nothing
else in the code base reads ``os.environ``.

Every threshold and weight of DESIGN.md section 4 is a field of :class:`RuleSettings`
with the design's value as its default.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, PrivateAttr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

HIGH_RISK_INDUSTRIES = (
    "non_coal_mining", "metallurgy", "construction", "road_transport",
    "hazardous_chemicals", "fireworks", "civil_explosives",
)
LICENSED_INDUSTRIES = ("non_coal_mining", "construction", "hazardous_chemicals", "fireworks", "civil_explosives")
INHERENT_HIGH_INDUSTRIES = ("hazardous_chemicals", "fireworks", "civil_explosives", "non_coal_mining")
INHERENT_MEDIUM_INDUSTRIES = (
    "metallurgy", "nonferrous_metals", "construction", "road_transport", "warehousing_logistics",
)


class RuleSettings(BaseModel):
    """Thresholds and weights of the rules (DESIGN.md section 4), with the design's defaults."""

    # 4.1 accident level: the least deaths / serious injuries / direct loss (yuan) of each level
    accident_larger_deaths: int = Field(3, ge=1)
    accident_larger_serious_injuries: int = Field(10, ge=1)
    accident_larger_loss_yuan: float = Field(10_000_000, ge=0)
    accident_major_deaths: int = Field(10, ge=1)
    accident_major_serious_injuries: int = Field(50, ge=1)
    accident_major_loss_yuan: float = Field(50_000_000, ge=0)
    accident_especially_major_deaths: int = Field(30, ge=1)
    accident_especially_major_serious_injuries: int = Field(100, ge=1)
    accident_especially_major_loss_yuan: float = Field(100_000_000, ge=0)

    # 4.3 signage compliance
    sign_check_max_age_days: int = Field(180, ge=0, description="a publicity board counts if checked within N days")

    # 4.4 scorecard: hazards (max 35)
    hazards_max: float = Field(35, ge=0)
    general_open_penalty: float = Field(1, ge=0, description="per open general hazard not overdue")
    general_overdue_penalty: float = Field(4, ge=0, description="per overdue general hazard")
    major_unverified_penalty: float = Field(12, ge=0, description="per major hazard not verified")
    major_overdue_penalty: float = Field(18, ge=0, description="per major hazard not verified and overdue")

    # 4.4 scorecard: accidents (max 25)
    accidents_max: float = Field(25, ge=0)
    accident_window_days: int = Field(365, ge=0)
    general_accident_penalty: float = Field(8, ge=0)
    four_not_letting_go_penalty: float = Field(5, ge=0, description="extra if any 四不放过 flag is false")

    # 4.4 scorecard: management (max 15)
    management_max: float = Field(15, ge=0)
    staffing_points: float = Field(5, ge=0)
    staffing_employee_threshold: int = Field(
        100, ge=0, description="more than N employees needs a safety body or full-time staff"
    )
    standardization_level1_points: float = Field(5, ge=0)
    standardization_level2_points: float = Field(4, ge=0)
    standardization_level3_points: float = Field(3, ge=0)
    licence_points: float = Field(5, ge=0)

    # 4.4 scorecard: training (max 10)
    training_max: float = Field(10, ge=0)
    principal_certified_points: float = Field(2, ge=0)
    safety_managers_certified_points: float = Field(2, ge=0)
    special_operators_points: float = Field(4, ge=0)
    all_staff_training_points: float = Field(2, ge=0)
    training_window_days: int = Field(365, ge=0)

    # 4.4 scorecard: signage (max 10)
    signage_points: float = Field(10, ge=0)

    # 4.4 scorecard: compliance (max 5)
    compliance_max: float = Field(5, ge=0)
    severe_enforcement_penalty: float = Field(5, ge=0, description="suspension, closure, prosecution or fine")
    rectification_order_penalty: float = Field(2, ge=0)
    enforcement_window_days: int = Field(365, ge=0)
    no_self_inspection_penalty: float = Field(2, ge=0)
    self_inspection_window_days: int = Field(90, ge=0)

    # 4.4 grades, on the unrounded score
    grade_a_min: float = Field(90, ge=0, le=100)
    grade_b_min: float = Field(75, ge=0, le=100)
    grade_c_min: float = Field(60, ge=0, le=100)

    # industries
    high_risk_industries: tuple[str, ...] = HIGH_RISK_INDUSTRIES
    licensed_industries: tuple[str, ...] = LICENSED_INDUSTRIES
    inherent_high_industries: tuple[str, ...] = INHERENT_HIGH_INDUSTRIES
    inherent_medium_industries: tuple[str, ...] = INHERENT_MEDIUM_INDUSTRIES

    # 4.5 four-colour escalation reads the accident window above (accident_window_days)

    # 4.2 verification (验收销号)
    verify_needs_photo: bool = Field(
        True, description="a major hazard is verified only with a file attached at the stage rectified (整改后)"
    )

    # 4.6 loan eligibility
    loan_overdue_ineligible_days: int = Field(30, ge=0, description="L3: overdue by more than N days")
    loan_death_window_days: int = Field(365, ge=0, description="L4: a fatal accident within N days")
    loan_larger_accident_window_days: int = Field(1095, ge=0, description="L4: larger-or-worse within N days")
    loan_four_not_letting_go_window_days: int = Field(1095, ge=0, description="L5")
    loan_prosecution_window_days: int = Field(365, ge=0, description="L6")
    loan_dishonesty_years: int = Field(3, ge=0, description="L7: a listing counts for N years")
    loan_fine_window_days: int = Field(365, ge=0, description="C3")
    loan_licence_expiry_warning_days: int = Field(60, ge=0, description="C4")
    loan_override_max_days: int = Field(
        180, ge=1, description="an override expires at most N days after it is decided"
    )

    @model_validator(mode="after")
    def _consistent(self) -> RuleSettings:
        if not self.grade_a_min >= self.grade_b_min >= self.grade_c_min:
            raise ValueError("grade thresholds must satisfy A >= B >= C")
        maxima = (self.hazards_max, self.accidents_max, self.management_max, self.training_max,
                  self.signage_points, self.compliance_max)
        if abs(sum(maxima) - 100) > 1e-9:
            raise ValueError(f"the six component maxima must add up to 100, not {sum(maxima):g}")
        management = self.staffing_points + self.standardization_level1_points + self.licence_points
        if abs(management - self.management_max) > 1e-9:
            raise ValueError("staffing + standardisation level1 + licence points must equal management_max")
        training = (self.principal_certified_points + self.safety_managers_certified_points
                    + self.special_operators_points + self.all_staff_training_points)
        if abs(training - self.training_max) > 1e-9:
            raise ValueError("the four training items must add up to training_max")
        return self


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "park-safety"


class Settings(BaseSettings):
    """The application's configuration (environment prefix ``PARK_SAFETY_``)."""

    model_config = SettingsConfigDict(
        env_prefix="PARK_SAFETY_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    database_url: str | None = Field(None, description="SQLAlchemy URL; default: the embedded SQLite file")
    data_dir: Path = Field(default_factory=_default_data_dir, description="where the embedded SQLite file lives")
    sqlite_filename: str = "park-safety.sqlite3"
    sqlite_busy_timeout_ms: int = Field(10_000, ge=0)
    language: Literal["zh", "en"] = "zh"
    timezone: str = "Asia/Shanghai"
    clock: datetime | None = Field(
        None, description="for demos, training and tests: the app's clock starts at this instant (an ISO date-time; "
                          "without a zone, in the park's) and runs on from there (dashboard/clock.py)"
    )
    demo: bool = Field(True, description="seed the demo park into an empty database on serve")
    demo_seed: int = 2026
    demo_enterprises: int = Field(120, ge=1)
    session_hours: int = Field(12, ge=1, description="a sign-in lasts this long")
    password_hash_time_cost: int = Field(
        3, ge=1, description="argon2id passes of a new password hash (default: argon2-cffi's, RFC 9106's low-memory "
                             "profile); hashes made before a change still verify"
    )
    password_hash_memory_kib: int = Field(
        65_536, ge=1_024, description="argon2id memory of a new password hash, in KiB (default: argon2-cffi's, 64 MiB)"
    )
    cookie_secure: Literal["auto", "always"] = Field(
        "auto",
        description="the session cookie's Secure flag: auto (set when the request's scheme, or the first "
                    "X-Forwarded-Proto, is https) or always",
    )
    sign_in_free_failures: int = Field(
        3, ge=1, description="failed sign-ins from one address, or on one account, before each next one is delayed"
    )
    sign_in_address_delay_cap_seconds: int = Field(
        60, ge=1, le=600, description="the longest wait imposed on an address after failed sign-ins"
    )
    sign_in_account_delay_cap_seconds: int = Field(
        30, ge=1, le=600, description="the longest wait imposed on an account after failed sign-ins"
    )
    sign_in_window_minutes: int = Field(
        15, ge=11, description="a burst of failed sign-ins ends, and is forgotten, after this long without one"
    )
    known_device_days: int = Field(
        90, ge=1, description="a browser that signed in to an account is known to it for this long"
    )
    trusted_proxies: str = Field(
        "127.0.0.1,::1",
        description="addresses (or networks) of reverse proxies whose X-Forwarded-For is believed; empty for none",
    )
    public_url: str | None = Field(
        None, description="the dashboard's public address (scheme, host, port), e.g. https://safety.park.example: "
                          "the only Origin its websocket and cookie routes accept; default: each request's Host and "
                          "scheme (the first X-Forwarded-Proto)"
    )
    attachment_max_bytes: int = Field(
        15 * 1024 * 1024, ge=1, description="the largest file (photo or PDF) that can be attached to a record, in bytes"
    )
    rules: RuleSettings = Field(default_factory=RuleSettings)
    _read_at: float = PrivateAttr(default_factory=time.monotonic)  # a set clock starts when the settings are read

    @field_validator("database_url")
    @classmethod
    def _blank_is_default(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("clock")
    @classmethod
    def _clock_in_utc(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(info.data.get("timezone") or "Asia/Shanghai"))
        return value.astimezone(UTC)

    @field_validator("public_url")
    @classmethod
    def _public_url_is_an_origin(cls, value: str | None) -> str | None:
        if not value:
            return None
        split = urlsplit(value.strip())
        try:
            _ = split.port  # raises on a port that is not a number
            valid = split.scheme in ("http", "https") and bool(split.hostname) and not split.path.strip("/")
        except ValueError:
            valid = False
        if not valid:
            raise ValueError(f"give the scheme and host (and port) of the public address, "
                             f"e.g. https://safety.park.example, not {value!r}")
        return value.strip()

    @property
    def clock_read_at(self) -> float:
        """``time.monotonic()`` when these settings were read: the moment a set ``clock`` stands for."""
        return self._read_at

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / self.sqlite_filename

    @property
    def effective_database_url(self) -> str:
        """The URL actually used: the configured one, else the embedded SQLite file."""
        return self.database_url or f"sqlite:///{self.sqlite_path}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
