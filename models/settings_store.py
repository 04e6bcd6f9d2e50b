"""Rule settings an administrator changed in the app, stored beside the configured defaults."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from models.base import stamp_column


class RuleSetting(SQLModel, table=True):
    """One rule threshold or weight (a field of ``RuleSettings``) set in the app; its value as JSON.

    A setting without a row has its configured default (``PARK_SAFETY_RULES__*`` or the design's value).
    """

    __tablename__ = "rule_setting"

    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))
    updated_by: str = Field(max_length=64)
    updated_at: datetime | None = Field(
        default=None, sa_column=stamp_column()
    )
