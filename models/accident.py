"""Production safety accidents (生产安全事故), handled by the "four not letting go" (四不放过):
cause identified, responsibles handled, measures taken, people educated."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict
from sqlalchemy import CheckConstraint, Column, Float, Text
from sqlmodel import Field, SQLModel

from models.base import HasId, enum_column, int_default
from models.enums import AccidentLevel

FOUR_NOT_LETTING_GO = ("cause_identified", "responsibles_handled", "measures_taken", "people_educated")


class AccidentBase(SQLModel):
    """What a person records of an accident; the level is derived from the numbers (DESIGN.md 4.1)."""

    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    enterprise_id: int
    occurred_on: date
    deaths: int = Field(default=0, ge=0)
    serious_injuries: int = Field(default=0, ge=0)
    direct_loss_yuan: float = Field(default=0, ge=0)
    description: str = Field(min_length=1, max_length=4000)
    cause_identified: bool | None = None
    responsibles_handled: bool | None = None
    measures_taken: bool | None = None
    people_educated: bool | None = None


class AccidentCreate(AccidentBase):
    pass


class Accident(AccidentBase, HasId, table=True):
    """事故: one accident (its fields are :class:`AccidentBase`'s), and the level its numbers give."""

    __tablename__ = "accident"
    __table_args__ = (
        CheckConstraint("deaths >= 0", name="deaths_non_negative"),
        CheckConstraint("serious_injuries >= 0", name="serious_injuries_non_negative"),
        CheckConstraint("direct_loss_yuan >= 0", name="direct_loss_non_negative"),
    )

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    occurred_on: date = Field(index=True)
    deaths: int = Field(default=0, sa_column_kwargs={"server_default": int_default(0)})
    serious_injuries: int = Field(default=0, sa_column_kwargs={"server_default": int_default(0)})
    direct_loss_yuan: float = Field(
        default=0, sa_column=Column(Float, nullable=False, server_default=int_default(0))
    )
    description: str = Field(sa_column=Column(Text, nullable=False))
    level: AccidentLevel = Field(  # derived from the numbers by the rules in force (DESIGN.md 4.1)
        default=AccidentLevel.general,
        sa_column=enum_column(AccidentLevel, index=True, default=AccidentLevel.general),
    )
