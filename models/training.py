"""Safety training sessions (安全培训), the basis of 持证上岗."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict
from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from models.base import HasId, enum_column
from models.enums import TrainingAudience


class TrainingBase(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    enterprise_id: int
    held_on: date
    audience: TrainingAudience
    attendees: int = Field(ge=0)
    hours: float = Field(ge=0, le=1000)


class TrainingCreate(TrainingBase):
    pass


class Training(TrainingBase, HasId, table=True):
    """培训: one training session (its fields are :class:`TrainingBase`'s)."""

    __tablename__ = "training"
    __table_args__ = (
        CheckConstraint("attendees >= 0", name="attendees_non_negative"),
        CheckConstraint("hours >= 0", name="hours_non_negative"),
        # which enterprises held a training for an audience within a window, from the index alone
        Index("ix_training_audience_window", "audience", "held_on", "enterprise_id"),
    )

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    held_on: date = Field(index=True)
    audience: TrainingAudience = Field(sa_column=enum_column(TrainingAudience, index=True))
