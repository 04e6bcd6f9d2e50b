"""Hidden hazards (隐患) and their rectification: find → assign → rectify → verify → close (销号).

A major hazard (重大隐患) needs the "five in place" (五到位: 责任、措施、资金、时限、预案)
before it can be saved, and is always listed for supervision (挂牌督办).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from sqlalchemy import CheckConstraint, Column, Index, Text
from sqlmodel import Field, SQLModel

from models.base import HasId, bool_default, created_at_column, enum_column, updated_at_column, version_column
from models.enums import HazardCategory, HazardSeverity, HazardStatus
from models.validation import FieldProblem, problem, several

FIVE_IN_PLACE = ("responsible_person", "measures", "funds_yuan", "deadline", "contingency_plan")
GENERAL_REQUIRED = ("responsible_person", "deadline")

_hazard_version = version_column()


class HazardBase(SQLModel):
    """The fields of a hazard record and the rules that tie them together (DESIGN.md 4.2)."""

    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    enterprise_id: int
    inspection_id: int | None = None
    found_on: date
    category: HazardCategory
    severity: HazardSeverity
    description: str = Field(min_length=1, max_length=4000)
    responsible_person: str | None = Field(default=None, max_length=100)
    measures: str | None = Field(default=None, max_length=4000)
    funds_yuan: float | None = Field(default=None, ge=0)
    deadline: date | None = None
    contingency_plan: str | None = Field(default=None, max_length=4000)
    status: HazardStatus = HazardStatus.open
    rectified_on: date | None = None
    verified_on: date | None = None
    verified_by: str | None = Field(default=None, max_length=100)
    listed_supervision: bool = Field(default=False, schema_extra={"validate_default": True})  # True if major
    publicly_exposed: bool = False

    @field_validator("responsible_person", "measures", "contingency_plan", "verified_by", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("listed_supervision")
    @classmethod
    def _major_is_listed(cls, value: bool, info: ValidationInfo) -> bool:
        """A major hazard is always listed for supervision (挂牌督办). Returned, not set on the model
        afterwards: the table model runs this too, before it is a mapped row."""
        return True if info.data.get("severity") == HazardSeverity.major else value

    @model_validator(mode="after")
    def _hazard_rules(self) -> HazardBase:
        major = self.severity == HazardSeverity.major
        required = FIVE_IN_PLACE if major else GENERAL_REQUIRED
        missing = [name for name in required if getattr(self, name) is None]
        if missing:  # every missing field is named, not just the first
            raise several(FieldProblem(name, "five_in_place" if major else "required") for name in missing)
        if self.deadline is not None and self.deadline < self.found_on:
            raise problem("date_before", "deadline", value=self.deadline, other="found_on", other_value=self.found_on)
        if self.rectified_on is not None and self.rectified_on < self.found_on:
            raise problem("date_before", "rectified_on", value=self.rectified_on,
                          other="found_on", other_value=self.found_on)
        if self.verified_on is not None:
            if self.rectified_on is None:
                raise problem("needs_other", "verified_on", other="rectified_on")
            if self.verified_on < self.rectified_on:
                raise problem("date_before", "verified_on", value=self.verified_on,
                              other="rectified_on", other_value=self.rectified_on)
            if self.verified_by is None:
                raise problem("required_with", "verified_by", other="verified_on")
        self._check_status_matches_dates()
        return self

    def _check_status_matches_dates(self) -> None:
        status = self.status
        if status == HazardStatus.verified and self.verified_on is None:
            raise problem("required", "verified_on")
        if status == HazardStatus.rectified:
            if self.rectified_on is None:
                raise problem("required", "rectified_on")
            if self.verified_on is not None:
                raise problem("status_mismatch", "status", value=status.value, other="verified_on",
                              allowed=HazardStatus.verified.value)
        if status in (HazardStatus.open, HazardStatus.rectifying):
            if self.rectified_on is not None:
                raise problem("status_mismatch", "status", value=status.value, other="rectified_on",
                              allowed=f"{HazardStatus.rectified.value}, {HazardStatus.verified.value}")
            if self.verified_by is not None:
                raise problem("needs_other", "verified_by", other="verified_on")


class HazardCreate(HazardBase):
    """A new hazard, as a form, the importer or the command line submits it."""


class HazardUpdate(HazardBase):
    """A whole edited hazard plus the version the editor started from."""

    version: int = Field(ge=1)


class Hazard(HazardBase, HasId, table=True):
    """隐患: one hidden hazard and where its rectification stands. The fields and their rules are
    :class:`HazardBase`'s; below, only what the table adds to a field (its column) and its own columns."""

    __tablename__ = "hazard"
    __mapper_args__ = {"version_id_col": _hazard_version}
    __table_args__ = (
        CheckConstraint("funds_yuan IS NULL OR funds_yuan >= 0", name="funds_non_negative"),
        CheckConstraint("deadline >= found_on", name="deadline_after_found"),
        CheckConstraint("rectified_on IS NULL OR rectified_on >= found_on", name="rectified_after_found"),
        CheckConstraint(
            "verified_on IS NULL OR (rectified_on IS NOT NULL AND verified_on >= rectified_on)",
            name="verified_after_rectified",
        ),
        CheckConstraint(
            "severity <> 'major' OR (measures IS NOT NULL AND funds_yuan IS NOT NULL "
            "AND contingency_plan IS NOT NULL AND listed_supervision)",
            name="major_five_in_place",
        ),
        CheckConstraint(
            "(status IN ('open', 'rectifying') AND rectified_on IS NULL AND verified_on IS NULL)"
            " OR (status = 'rectified' AND rectified_on IS NOT NULL AND verified_on IS NULL)"
            " OR (status = 'verified' AND verified_on IS NOT NULL AND verified_by IS NOT NULL)",
            name="status_matches_dates",
        ),
        # the state of every hazard at an as-of date, read from this index alone (services/facts.py)
        Index("ix_hazard_state_at", "verified_on", "found_on", "enterprise_id", "severity", "deadline",
              "rectified_on"),
        # hazards found, or rectified, in a window of dates (services/overview.py, services/heatmaps.py)
        Index("ix_hazard_found_window", "found_on", "enterprise_id", "severity", "category"),
        Index("ix_hazard_rectified_window", "rectified_on", "deadline", "found_on", "category", "enterprise_id"),
    )

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    inspection_id: int | None = Field(default=None, foreign_key="inspection.id", index=True)
    found_on: date = Field(index=True)
    category: HazardCategory = Field(sa_column=enum_column(HazardCategory, index=True))
    severity: HazardSeverity = Field(sa_column=enum_column(HazardSeverity, index=True))
    description: str = Field(sa_column=Column(Text, nullable=False))
    responsible_person: str  # required of every hazard (five in place or not): NOT NULL
    measures: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    deadline: date = Field(index=True)
    contingency_plan: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: HazardStatus = Field(
        default=HazardStatus.open, sa_column=enum_column(HazardStatus, index=True, default=HazardStatus.open)
    )
    rectified_on: date | None = Field(default=None, index=True)
    verified_on: date | None = Field(default=None, index=True)
    verified_by: str | None = None
    listed_supervision: bool = Field(default=False, sa_column_kwargs={"server_default": bool_default(False)})
    publicly_exposed: bool = Field(default=False, sa_column_kwargs={"server_default": bool_default(False)})
    created_at: datetime | None = Field(default=None, sa_column=created_at_column())
    updated_at: datetime | None = Field(default=None, sa_column=updated_at_column())
    version: int = Field(default=1, sa_column=_hazard_version)
