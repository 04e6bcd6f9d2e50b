"""Safety signs (安全标志) and their checks; every enterprise needs a publicity board
(安全生产宣传牌) in good condition."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, model_validator
from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from models.base import HasId, enum_column
from models.enums import SignCondition, SignKind
from models.validation import problem


class SafetySignBase(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    enterprise_id: int
    kind: SignKind
    location: str = Field(min_length=1, max_length=200)
    installed_on: date
    last_checked_on: date | None = None
    condition: SignCondition = SignCondition.good

    @model_validator(mode="after")
    def _checked_after_installed(self) -> SafetySignBase:
        if self.last_checked_on is not None and self.last_checked_on < self.installed_on:
            raise problem("date_before", "last_checked_on", value=self.last_checked_on,
                          other="installed_on", other_value=self.installed_on)
        return self


class SafetySignCreate(SafetySignBase):
    pass


class SafetySign(SafetySignBase, HasId, table=True):
    """安全标志: one sign of an enterprise (its fields and rules are :class:`SafetySignBase`'s)."""

    __tablename__ = "safety_sign"
    __table_args__ = (
        CheckConstraint("last_checked_on IS NULL OR last_checked_on >= installed_on", name="checked_after_installed"),
    )

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    kind: SignKind = Field(sa_column=enum_column(SignKind, index=True))
    location: str
    last_checked_on: date | None = Field(default=None, index=True)
    condition: SignCondition = Field(
        default=SignCondition.good, sa_column=enum_column(SignCondition, default=SignCondition.good)
    )


class SignCheckBase(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    safety_sign_id: int
    checked_on: date
    condition: SignCondition
    checked_by: str | None = Field(default=None, max_length=100)


class SignCheckCreate(SignCheckBase):
    pass


class SignCheck(SignCheckBase, HasId, table=True):
    """One check of a sign; appending it also updates the sign's last_checked_on and condition."""

    __tablename__ = "sign_check"
    # a sign's latest check on or before a date is one index seek (services/facts.py)
    __table_args__ = (Index("ix_sign_check_sign_latest", "safety_sign_id", "checked_on", "id", "condition"),)

    safety_sign_id: int = Field(foreign_key="safety_sign.id", index=True)
    checked_on: date = Field(index=True)
    condition: SignCondition = Field(sa_column=enum_column(SignCondition))
    checked_by: str | None = None
