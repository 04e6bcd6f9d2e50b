"""covering indexes for the all-enterprise rules pass

Revision ID: 0002_rule_indexes
Revises: 0001_contract
Create Date: 2026-11-29

The set-based facts queries (dashboard/services/facts.py) read the state of every hazard at
an as-of date, each sign's latest check on or before it, and who inspected or trained within
a window; these indexes let each of them read an index alone instead of the table.
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0002_rule_indexes'
down_revision: str | None = '0001_contract'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.create_index('ix_hazard_state_at',
                              ['verified_on', 'found_on', 'enterprise_id', 'severity', 'deadline', 'rectified_on'],
                              unique=False)
    with op.batch_alter_table('sign_check', schema=None) as batch_op:
        batch_op.create_index('ix_sign_check_sign_latest', ['safety_sign_id', 'checked_on', 'id', 'condition'], unique=False)
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_tier_window', ['tier', 'inspected_on', 'enterprise_id'], unique=False)
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.create_index('ix_training_audience_window', ['audience', 'held_on', 'enterprise_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.drop_index('ix_training_audience_window')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_tier_window')
    with op.batch_alter_table('sign_check', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_check_sign_latest')
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.drop_index('ix_hazard_state_at')
