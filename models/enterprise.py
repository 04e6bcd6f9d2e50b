"""Enterprises (企业) and their main-responsibility facts: staffing, certification,
standardisation, major hazard sources and licences."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ConfigDict, field_validator, model_validator
from sqlalchemy import CheckConstraint, Column, String
from sqlmodel import Field, SQLModel

from models.base import (
    HasId,
    bool_default,
    created_at_column,
    enum_column,
    int_default,
    updated_at_column,
    version_column,
)
from models.enums import EnterpriseStatus, Industry, MajorHazardSource, StandardizationGrade
from models.validation import check_uscc, problem

_enterprise_version = version_column()


class EnterpriseBase(SQLModel):
    """The fields a person enters for an enterprise, with their rules."""

    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    uscc: str = Field(max_length=18)
    name: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    industry: Industry
    plot_id: int | None = Field(default=None)
    lat: float
    lon: float
    legal_rep: str = Field(min_length=1, max_length=100)
    safety_lead: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=40)
    employees: int = Field(ge=0)
    safety_org: bool = False
    safety_staff_fulltime: int = Field(default=0, ge=0)
    safety_staff_parttime: int = Field(default=0, ge=0)
    principal_certified: bool = False
    safety_managers_certified: bool = False
    special_operators: int = Field(default=0, ge=0)
    special_operators_certified: int = Field(default=0, ge=0)
    standardization_grade: StandardizationGrade = StandardizationGrade.none
    major_hazard_source: MajorHazardSource = MajorHazardSource.none
    license_no: str | None = Field(default=None, max_length=64)
    license_expires_on: date | None = None
    status: EnterpriseStatus = EnterpriseStatus.operating

    @field_validator("uscc", mode="before")
    @classmethod
    def _uscc_valid(cls, value: Any) -> str:
        return check_uscc(value)

    @field_validator("name_en", "license_no", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _certified_within_total(self) -> EnterpriseBase:
        if self.special_operators_certified > self.special_operators:
            raise problem(
                "certified_exceeds_total", "special_operators_certified",
                value=self.special_operators_certified, total=self.special_operators,
            )
        if self.license_expires_on is not None and not self.license_no:
            raise problem("needs_other", "license_expires_on", other="license_no")
        return self


class EnterpriseCreate(EnterpriseBase):
    """A new enterprise, as a form, the importer or the command line submits it."""


class EnterpriseUpdate(EnterpriseBase):
    """A whole edited enterprise plus the version the editor started from."""

    version: int = Field(ge=1)


class Enterprise(EnterpriseBase, HasId, table=True):
    """企业: one enterprise of the park (一企一档). The fields and their rules are :class:`EnterpriseBase`'s;
    below, only what the table adds to a field (its column) and its own columns."""

    __tablename__ = "enterprise"
    __mapper_args__ = {"version_id_col": _enterprise_version}
    __table_args__ = (
        CheckConstraint("employees >= 0", name="employees_non_negative"),
        CheckConstraint("safety_staff_fulltime >= 0", name="safety_staff_fulltime_non_negative"),
        CheckConstraint("safety_staff_parttime >= 0", name="safety_staff_parttime_non_negative"),
        CheckConstraint("special_operators >= 0", name="special_operators_non_negative"),
        CheckConstraint(
            "special_operators_certified >= 0 AND special_operators_certified <= special_operators",
            name="special_operators_certified_within_total",
        ),
        CheckConstraint("length(uscc) = 18", name="uscc_length"),
    )

    uscc: str = Field(sa_column=Column(String(18), nullable=False, unique=True))
    name: str = Field(index=True)
    name_en: str | None = None
    industry: Industry = Field(sa_column=enum_column(Industry, index=True))
    plot_id: int | None = Field(default=None, foreign_key="plot.id", index=True)
    legal_rep: str
    safety_lead: str
    phone: str
    employees: int = Field(sa_column_kwargs={"server_default": int_default(0)}, default=0)
    safety_org: bool = Field(default=False, sa_column_kwargs={"server_default": bool_default(False)})
    safety_staff_fulltime: int = Field(default=0, sa_column_kwargs={"server_default": int_default(0)})
    safety_staff_parttime: int = Field(default=0, sa_column_kwargs={"server_default": int_default(0)})
    principal_certified: bool = Field(default=False, sa_column_kwargs={"server_default": bool_default(False)})
    safety_managers_certified: bool = Field(
        default=False, sa_column_kwargs={"server_default": bool_default(False)}
    )
    special_operators: int = Field(default=0, sa_column_kwargs={"server_default": int_default(0)})
    special_operators_certified: int = Field(default=0, sa_column_kwargs={"server_default": int_default(0)})
    standardization_grade: StandardizationGrade = Field(
        default=StandardizationGrade.none,
        sa_column=enum_column(StandardizationGrade, default=StandardizationGrade.none),
    )
    major_hazard_source: MajorHazardSource = Field(
        default=MajorHazardSource.none,
        sa_column=enum_column(MajorHazardSource, default=MajorHazardSource.none),
    )
    license_no: str | None = None
    license_expires_on: date | None = Field(default=None, index=True)
    status: EnterpriseStatus = Field(
        default=EnterpriseStatus.operating,
        sa_column=enum_column(EnterpriseStatus, index=True, default=EnterpriseStatus.operating),
    )
    created_at: datetime | None = Field(default=None, sa_column=created_at_column())
    updated_at: datetime | None = Field(default=None, sa_column=updated_at_column())
    version: int = Field(default=1, sa_column=_enterprise_version)
