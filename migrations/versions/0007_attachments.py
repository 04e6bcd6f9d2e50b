"""attachments: photos and documents on records, kept in the database

Revision ID: 0007_attachments
Revises: 0006_sign_in_throttle
Create Date: 2026-12-07

Issue 15. ``attachment`` holds what is known of a file on a record (its table and id, the stage, the media
type read from its content, its size and SHA-256, who uploaded it and when, what its EXIF claims, and its
removal); ``attachment_blob`` holds the bytes of each copy (the original, a photo's display copy and
thumbnail). In the database, so a file is written in its record's transaction, is the same for every app
server, and is in the backup.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007_attachments'
down_revision: str | None = '0006_sign_in_throttle'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('found', 'rectified', 'evidence', name='attachment_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('uploaded_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('claimed_taken_at', sa.DateTime(), nullable=True),
    sa.Column('claimed_gps', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('removed_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('bytes >= 0', name=op.f('ck_attachment_bytes_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_record', ['entity', 'entity_id', 'stage', 'removed_at'], unique=False)

    op.create_table('attachment_blob',
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('original', 'display', 'thumbnail', name='attachment_copy', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_attachment_blob_attachment_id_attachment')),
    sa.PrimaryKeyConstraint('attachment_id', 'kind', name=op.f('pk_attachment_blob'))
    )


def downgrade() -> None:
    op.drop_table('attachment_blob')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_record')

    op.drop_table('attachment')
