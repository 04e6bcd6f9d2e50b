"""Enforcement (执法): the "four without exception" (四个一律: 停产整顿、关闭取缔、罚款、
追究责任) plus rectification orders, and the dishonesty list (安全生产严重失信主体名单)."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, model_validator
from sqlalchemy import CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel

from models.base import HasId, enum_column
from models.enums import EnforcementAction
from models.validation import problem


class EnforcementBase(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    enterprise_id: int
    decided_on: date
    action: EnforcementAction
    fine_yuan: float | None = Field(default=None, ge=0)
    note: str | None = Field(default=None, max_length=4000)
    lifted_on: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EnforcementBase:
        if self.action == EnforcementAction.fine and self.fine_yuan is None:
            raise problem("required", "fine_yuan")
        if self.lifted_on is not None and self.lifted_on < self.decided_on:
            raise problem("date_before", "lifted_on", value=self.lifted_on,
                          other="decided_on", other_value=self.decided_on)
        return self


class EnforcementCreate(EnforcementBase):
    pass


class Enforcement(EnforcementBase, HasId, table=True):
    """执法: one enforcement action (its fields and rules are :class:`EnforcementBase`'s)."""

    __tablename__ = "enforcement"
    __table_args__ = (
        CheckConstraint("fine_yuan IS NULL OR fine_yuan >= 0", name="fine_non_negative"),
        CheckConstraint("lifted_on IS NULL OR lifted_on >= decided_on", name="lifted_after_decided"),
    )

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    decided_on: date = Field(index=True)
    action: EnforcementAction = Field(sa_column=enum_column(EnforcementAction, index=True))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class DishonestyListingBase(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    enterprise_id: int
    listed_on: date
    reason: str = Field(min_length=1, max_length=4000)
    removed_on: date | None = None

    @model_validator(mode="after")
    def _removed_after_listed(self) -> DishonestyListingBase:
        if self.removed_on is not None and self.removed_on < self.listed_on:
            raise problem("date_before", "removed_on", value=self.removed_on,
                          other="listed_on", other_value=self.listed_on)
        return self


class DishonestyListingCreate(DishonestyListingBase):
    pass


class DishonestyListing(DishonestyListingBase, HasId, table=True):
    """安全生产严重失信主体名单: an enterprise on the serious-dishonesty list (its fields and rules are
    :class:`DishonestyListingBase`'s)."""

    __tablename__ = "dishonesty_listing"
    __table_args__ = (
        CheckConstraint("removed_on IS NULL OR removed_on >= listed_on", name="removed_after_listed"),
    )

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    listed_on: date = Field(index=True)
    reason: str = Field(sa_column=Column(Text, nullable=False))
