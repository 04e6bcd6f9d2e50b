"""hazards found or rectified in a window, read from an index alone

Revision ID: 0005_window_indexes
Revises: 0004_rule_settings
Create Date: 2026-11-29

The Overview's on-time rectification rate counts the hazards rectified in the 365 days up to a date and,
of those, the ones rectified by their deadline; the heatmaps count hazards found per industry and month,
and rectification times per category. Each reads a range of dates and a few columns: with those columns
in the index the range is read from the index alone, not with a table lookup per hazard (seconds at
county scale).
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005_window_indexes'
down_revision: str | None = '0004_rule_settings'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.create_index('ix_hazard_found_window', ['found_on', 'enterprise_id', 'severity', 'category'],
                              unique=False)
        batch_op.create_index('ix_hazard_rectified_window',
                              ['rectified_on', 'deadline', 'found_on', 'category', 'enterprise_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.drop_index('ix_hazard_rectified_window')
        batch_op.drop_index('ix_hazard_found_window')
