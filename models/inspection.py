"""Inspections in three tiers: 企业全面自查 (self), 行业专项检查 (industry), 园区综合督查 (park).
Every inspection is recorded (都要记录在案)."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from models.base import HasId, enum_column
from models.enums import InspectionTier


class InspectionBase(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    enterprise_id: int
    inspected_on: date
    tier: InspectionTier
    inspector: str = Field(min_length=1, max_length=100)
    notes: str | None = Field(default=None, max_length=4000)


class InspectionCreate(InspectionBase):
    pass


class Inspection(InspectionBase, HasId, table=True):
    """检查: one inspection of an enterprise (its fields are :class:`InspectionBase`'s)."""

    __tablename__ = "inspection"
    # which enterprises had an inspection of a tier within a window, from the index alone
    __table_args__ = (Index("ix_inspection_tier_window", "tier", "inspected_on", "enterprise_id"),)

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    inspected_on: date = Field(index=True)
    tier: InspectionTier = Field(sa_column=enum_column(InspectionTier, index=True))
    inspector: str
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
