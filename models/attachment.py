"""Evidence on records (issue 15): photos and documents attached to a hazard (整改前, 整改后) or as the evidence
of a sign check, an inspection, an accident, a training or an enforcement.

The files are kept in the database, beside the records: written in the record's transaction (an upload
abandoned half-way, or a record deleted, leaves no orphan file), the same for every app server of one
PostgreSQL database, and inside the backup and restore. ``attachment`` holds what is known of a file;
``attachment_blob`` its bytes, one row per copy (the original as uploaded, a photo's display copy and
thumbnail), so listing a record's attachments never reads a file.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, DateTime, Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from models.base import HasId, enum_column, enum_type, stamp_column
from models.enums import AttachmentStage


class AttachmentCopy(StrEnum):
    """The stored copies of an attachment: the file as uploaded, and what is shown of a photo (its stages,
    :class:`models.enums.AttachmentStage`, are named on the pages and live with the other named enumerations)."""

    original = "original"
    display = "display"  # at most 2048 px, re-encoded without metadata
    thumbnail = "thumbnail"  # at most 320 px, likewise


class AttachmentBase(SQLModel):
    """What is known of an attached file: the record it is on, what it is, who uploaded it, and what it claims."""

    entity: str = Field(max_length=32)  # the record's table (dashboard/services/record_tables.py)
    entity_id: int
    stage: AttachmentStage
    media_type: str = Field(max_length=64)  # of the original, read from its content
    bytes: int = Field(ge=0)  # of the original
    sha256: str = Field(min_length=64, max_length=64)  # of the original: its fingerprint in the audit trail
    original_name: str = Field(max_length=255)  # as uploaded; shown, never used to open or serve the file
    uploaded_by: str = Field(max_length=64)
    claimed_taken_at: datetime | None = None  # a photo's EXIF DateTimeOriginal: the camera's clock, no zone
    claimed_gps: str | None = Field(default=None, max_length=64)  # a photo's EXIF position, "lat,lon" in degrees
    page_count: int | None = Field(default=None, ge=1)  # a PDF's
    width: int | None = Field(default=None, ge=1)  # a photo's, upright (EXIF orientation applied)
    height: int | None = Field(default=None, ge=1)


class Attachment(AttachmentBase, HasId, table=True):
    """附件: one file on one record. A removed file keeps this row (who removed it, when, why; its fingerprint
    stays in the audit trail) and loses its copies."""

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint("bytes >= 0", name="bytes_non_negative"),
        # a record's files by stage, and the counts of a list page's records, from the index alone
        Index("ix_attachment_record", "entity", "entity_id", "stage", "removed_at"),
    )

    stage: AttachmentStage = Field(sa_column=enum_column(AttachmentStage))
    claimed_taken_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=False),
                                                                             nullable=True))
    uploaded_at: datetime | None = Field(default=None, sa_column=stamp_column())
    removed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    removed_by: str | None = Field(default=None, max_length=64)
    removed_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AttachmentBlob(SQLModel, table=True):
    """The bytes of one copy of an attachment."""

    __tablename__ = "attachment_blob"

    attachment_id: int = Field(foreign_key="attachment.id", primary_key=True)
    kind: AttachmentCopy = Field(sa_column=Column(enum_type(AttachmentCopy), primary_key=True))
    media_type: str = Field(max_length=64)  # of this copy (a photo's display copy and thumbnail are JPEG)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
