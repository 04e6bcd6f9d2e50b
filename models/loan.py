"""Loan-support overrides (信贷支持): a finance liaison's recorded, reasoned, expiring decision."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, model_validator
from sqlalchemy import CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel

from models.base import HasId, enum_column
from models.enums import LoanDecision
from models.validation import problem


class LoanOverrideBase(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # type: ignore[assignment]

    enterprise_id: int
    decision: LoanDecision
    reason: str = Field(min_length=1, max_length=4000)
    decided_by: str = Field(min_length=1, max_length=100)
    decided_on: date
    expires_on: date

    @model_validator(mode="after")
    def _expiry(self) -> LoanOverrideBase:
        if self.expires_on < self.decided_on:
            raise problem("date_before", "expires_on", value=self.expires_on,
                          other="decided_on", other_value=self.decided_on)
        # how long after the decision it may run is a rule setting (loan_override_max_days), which the
        # service that records it checks (services/loan_overrides.py); a model has no settings to read
        return self


class LoanOverrideCreate(LoanOverrideBase):
    pass


class LoanOverride(LoanOverrideBase, HasId, table=True):
    """信贷支持人工认定: one override (its fields and rules are :class:`LoanOverrideBase`'s)."""

    __tablename__ = "loan_override"
    __table_args__ = (
        CheckConstraint("expires_on >= decided_on", name="expires_after_decided"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_not_blank"),
    )

    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    decision: LoanDecision = Field(sa_column=enum_column(LoanDecision))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    decided_by: str
    decided_on: date = Field(index=True)
    expires_on: date = Field(index=True)
