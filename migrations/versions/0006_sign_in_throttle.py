"""sign-in throttling instead of account lock-out, and known devices

Revision ID: 0006_sign_in_throttle
Revises: 0005_window_indexes
Create Date: 2026-12-07

Five wrong passwords used to lock an account for 15 minutes, so anyone could lock anyone out (the
administrator included), and the distinct "locked" message told an outsider the name existed. Failed
sign-ins are now counted per source address and per account name in ``sign_in_throttle`` (each further
failure delays the next attempt a little longer, capped), and a browser that has signed in to an account
is remembered in ``known_device`` so its owner is not held up by someone else's failures. The account's
lock-out columns go.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006_sign_in_throttle'
down_revision: str | None = '0005_window_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sign_in_throttle',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('audit_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttle'))
    )
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_throttle_updated_at'), ['updated_at'], unique=False)

    op.create_table('known_device',
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('failures', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_known_device_user_id_app_user')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_known_device'))
    )
    with op.batch_alter_table('known_device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_known_device_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_known_device_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_sign_ins')


def downgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('known_device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_known_device_user_id'))
        batch_op.drop_index(batch_op.f('ix_known_device_created_at'))
    op.drop_table('known_device')

    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_throttle_updated_at'))
    op.drop_table('sign_in_throttle')
