"""rule settings changed in the app

Revision ID: 0004_rule_settings
Revises: 0003_sign_in
Create Date: 2026-11-29

An administrator may change a rule's threshold or weight on the Settings page; the changed
values are kept here, one row per setting, and override the configured defaults.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004_rule_settings'
down_revision: str | None = '0003_sign_in'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rule_setting',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_rule_setting'))
    )


def downgrade() -> None:
    op.drop_table('rule_setting')
