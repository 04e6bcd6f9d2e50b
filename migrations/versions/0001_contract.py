"""the data contract

Revision ID: 0001_contract
Revises: 
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0001_contract'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'committee', 'finance', 'staff', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('before_json', sa.Text(), nullable=True),
    sa.Column('after_json', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_entity'), ['entity'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_username'), ['username'], unique=False)

    op.create_table('data_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_revision'))
    )
    op.create_table('park',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('boundary_geojson', sa.Text(), nullable=False),
    sa.Column('center_lat', sa.Float(), nullable=False),
    sa.Column('center_lon', sa.Float(), nullable=False),
    sa.Column('accident_target_per_year', sa.Integer(), nullable=False),
    sa.CheckConstraint('accident_target_per_year >= 0', name=op.f('ck_park_accident_target_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_park'))
    )
    op.create_table('plot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('polygon_geojson', sa.Text(), nullable=False),
    sa.Column('area_m2', sa.Float(), nullable=False),
    sa.CheckConstraint('area_m2 >= 0', name=op.f('ck_plot_area_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plot')),
    sa.UniqueConstraint('code', name=op.f('uq_plot_code'))
    )
    op.create_table('enterprise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('industry', sa.Enum('hazardous_chemicals', 'fireworks', 'civil_explosives', 'non_coal_mining', 'metallurgy', 'nonferrous_metals', 'construction', 'road_transport', 'building_materials', 'machinery', 'light_industry', 'textiles', 'warehousing_logistics', 'commerce_trade', 'other', name='industry', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('plot_id', sa.Integer(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('legal_rep', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('safety_lead', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('employees', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('safety_org', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('safety_staff_fulltime', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('safety_staff_parttime', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('principal_certified', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('safety_managers_certified', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('special_operators', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('special_operators_certified', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('standardization_grade', sa.Enum('level1', 'level2', 'level3', 'none', name='standardization_grade', native_enum=False, create_constraint=True), server_default=sa.text("'none'"), nullable=False),
    sa.Column('major_hazard_source', sa.Enum('none', 'grade1', 'grade2', 'grade3', 'grade4', name='major_hazard_source', native_enum=False, create_constraint=True), server_default=sa.text("'none'"), nullable=False),
    sa.Column('license_no', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('license_expires_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('operating', 'suspended', 'closed', name='enterprise_status', native_enum=False, create_constraint=True), server_default=sa.text("'operating'"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.CheckConstraint('employees >= 0', name=op.f('ck_enterprise_employees_non_negative')),
    sa.CheckConstraint('length(uscc) = 18', name=op.f('ck_enterprise_uscc_length')),
    sa.CheckConstraint('safety_staff_fulltime >= 0', name=op.f('ck_enterprise_safety_staff_fulltime_non_negative')),
    sa.CheckConstraint('safety_staff_parttime >= 0', name=op.f('ck_enterprise_safety_staff_parttime_non_negative')),
    sa.CheckConstraint('special_operators >= 0', name=op.f('ck_enterprise_special_operators_non_negative')),
    sa.CheckConstraint('special_operators_certified >= 0 AND special_operators_certified <= special_operators', name=op.f('ck_enterprise_special_operators_certified_within_total')),
    sa.ForeignKeyConstraint(['plot_id'], ['plot.id'], name=op.f('fk_enterprise_plot_id_plot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise')),
    sa.UniqueConstraint('uscc', name=op.f('uq_enterprise_uscc'))
    )
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_industry'), ['industry'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_license_expires_on'), ['license_expires_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_plot_id'), ['plot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_status'), ['status'], unique=False)

    op.create_table('accident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('deaths', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('serious_injuries', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('direct_loss_yuan', sa.Float(), server_default=sa.text('0'), nullable=False),
    sa.Column('level', sa.Enum('general', 'larger', 'major', 'especially_major', name='accident_level', native_enum=False, create_constraint=True), server_default=sa.text("'general'"), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cause_identified', sa.Boolean(), nullable=True),
    sa.Column('responsibles_handled', sa.Boolean(), nullable=True),
    sa.Column('measures_taken', sa.Boolean(), nullable=True),
    sa.Column('people_educated', sa.Boolean(), nullable=True),
    sa.CheckConstraint('deaths >= 0', name=op.f('ck_accident_deaths_non_negative')),
    sa.CheckConstraint('direct_loss_yuan >= 0', name=op.f('ck_accident_direct_loss_non_negative')),
    sa.CheckConstraint('serious_injuries >= 0', name=op.f('ck_accident_serious_injuries_non_negative')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_accident_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accident'))
    )
    with op.batch_alter_table('accident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accident_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accident_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_accident_occurred_on'), ['occurred_on'], unique=False)

    op.create_table('dishonesty_listing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.CheckConstraint('removed_on IS NULL OR removed_on >= listed_on', name=op.f('ck_dishonesty_listing_removed_after_listed')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_dishonesty_listing_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dishonesty_listing'))
    )
    with op.batch_alter_table('dishonesty_listing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dishonesty_listing_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dishonesty_listing_listed_on'), ['listed_on'], unique=False)

    op.create_table('enforcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('action', sa.Enum('rectification_order', 'suspension', 'closure', 'fine', 'prosecution', name='enforcement_action', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('fine_yuan', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('lifted_on', sa.Date(), nullable=True),
    sa.CheckConstraint('fine_yuan IS NULL OR fine_yuan >= 0', name=op.f('ck_enforcement_fine_non_negative')),
    sa.CheckConstraint('lifted_on IS NULL OR lifted_on >= decided_on', name=op.f('ck_enforcement_lifted_after_decided')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_enforcement_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enforcement'))
    )
    with op.batch_alter_table('enforcement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enforcement_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_enforcement_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_enforcement_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('inspected_on', sa.Date(), nullable=False),
    sa.Column('tier', sa.Enum('self', 'industry', 'park', name='inspection_tier', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('inspector', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_inspection_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection'))
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_inspected_on'), ['inspected_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_tier'), ['tier'], unique=False)

    op.create_table('loan_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('eligible', 'ineligible', name='loan_decision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.CheckConstraint('expires_on >= decided_on', name=op.f('ck_loan_override_expires_after_decided')),
    sa.CheckConstraint('length(trim(reason)) > 0', name=op.f('ck_loan_override_reason_not_blank')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_loan_override_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan_override'))
    )
    with op.batch_alter_table('loan_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_override_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_override_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_override_expires_on'), ['expires_on'], unique=False)

    op.create_table('safety_sign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('publicity_board', 'warning_sign', 'evacuation_map', 'other', name='sign_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('installed_on', sa.Date(), nullable=False),
    sa.Column('last_checked_on', sa.Date(), nullable=True),
    sa.Column('condition', sa.Enum('good', 'damaged', 'missing', name='sign_condition', native_enum=False, create_constraint=True), server_default=sa.text("'good'"), nullable=False),
    sa.CheckConstraint('last_checked_on IS NULL OR last_checked_on >= installed_on', name=op.f('ck_safety_sign_checked_after_installed')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_safety_sign_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_sign'))
    )
    with op.batch_alter_table('safety_sign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_sign_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_sign_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_sign_last_checked_on'), ['last_checked_on'], unique=False)

    op.create_table('training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('audience', sa.Enum('principal', 'safety_manager', 'special_operator', 'all_staff', name='training_audience', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attendees', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.CheckConstraint('attendees >= 0', name=op.f('ck_training_attendees_non_negative')),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_training_hours_non_negative')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_training_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training'))
    )
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_audience'), ['audience'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_held_on'), ['held_on'], unique=False)

    op.create_table('hazard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('category', sa.Enum('fire', 'electrical', 'hazardous_chemicals', 'special_equipment', 'confined_space', 'work_at_height', 'dust_explosion', 'machinery', 'signage', 'management', 'training', 'other', name='hazard_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('severity', sa.Enum('general', 'major', name='hazard_severity', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible_person', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('funds_yuan', sa.Float(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('contingency_plan', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('open', 'rectifying', 'rectified', 'verified', name='hazard_status', native_enum=False, create_constraint=True), server_default=sa.text("'open'"), nullable=False),
    sa.Column('rectified_on', sa.Date(), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('verified_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('listed_supervision', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('publicly_exposed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.CheckConstraint("(status IN ('open', 'rectifying') AND rectified_on IS NULL AND verified_on IS NULL) OR (status = 'rectified' AND rectified_on IS NOT NULL AND verified_on IS NULL) OR (status = 'verified' AND verified_on IS NOT NULL AND verified_by IS NOT NULL)", name=op.f('ck_hazard_status_matches_dates')),
    sa.CheckConstraint("severity <> 'major' OR (measures IS NOT NULL AND funds_yuan IS NOT NULL AND contingency_plan IS NOT NULL AND listed_supervision)", name=op.f('ck_hazard_major_five_in_place')),
    sa.CheckConstraint('deadline >= found_on', name=op.f('ck_hazard_deadline_after_found')),
    sa.CheckConstraint('funds_yuan IS NULL OR funds_yuan >= 0', name=op.f('ck_hazard_funds_non_negative')),
    sa.CheckConstraint('rectified_on IS NULL OR rectified_on >= found_on', name=op.f('ck_hazard_rectified_after_found')),
    sa.CheckConstraint('verified_on IS NULL OR (rectified_on IS NOT NULL AND verified_on >= rectified_on)', name=op.f('ck_hazard_verified_after_rectified')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_hazard_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_hazard_inspection_id_inspection')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hazard'))
    )
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hazard_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_found_on'), ['found_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_rectified_on'), ['rectified_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_severity'), ['severity'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_hazard_verified_on'), ['verified_on'], unique=False)

    op.create_table('sign_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('safety_sign_id', sa.Integer(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('condition', sa.Enum('good', 'damaged', 'missing', name='sign_condition', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('checked_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['safety_sign_id'], ['safety_sign.id'], name=op.f('fk_sign_check_safety_sign_id_safety_sign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_check'))
    )
    with op.batch_alter_table('sign_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_check_checked_on'), ['checked_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_check_safety_sign_id'), ['safety_sign_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sign_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_check_safety_sign_id'))
        batch_op.drop_index(batch_op.f('ix_sign_check_checked_on'))

    op.drop_table('sign_check')
    with op.batch_alter_table('hazard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hazard_verified_on'))
        batch_op.drop_index(batch_op.f('ix_hazard_status'))
        batch_op.drop_index(batch_op.f('ix_hazard_severity'))
        batch_op.drop_index(batch_op.f('ix_hazard_rectified_on'))
        batch_op.drop_index(batch_op.f('ix_hazard_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_found_on'))
        batch_op.drop_index(batch_op.f('ix_hazard_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_hazard_deadline'))
        batch_op.drop_index(batch_op.f('ix_hazard_category'))

    op.drop_table('hazard')
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_held_on'))
        batch_op.drop_index(batch_op.f('ix_training_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_training_audience'))

    op.drop_table('training')
    with op.batch_alter_table('safety_sign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_sign_last_checked_on'))
        batch_op.drop_index(batch_op.f('ix_safety_sign_kind'))
        batch_op.drop_index(batch_op.f('ix_safety_sign_enterprise_id'))

    op.drop_table('safety_sign')
    with op.batch_alter_table('loan_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loan_override_expires_on'))
        batch_op.drop_index(batch_op.f('ix_loan_override_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_loan_override_decided_on'))

    op.drop_table('loan_override')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_tier'))
        batch_op.drop_index(batch_op.f('ix_inspection_inspected_on'))
        batch_op.drop_index(batch_op.f('ix_inspection_enterprise_id'))

    op.drop_table('inspection')
    with op.batch_alter_table('enforcement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enforcement_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_enforcement_decided_on'))
        batch_op.drop_index(batch_op.f('ix_enforcement_action'))

    op.drop_table('enforcement')
    with op.batch_alter_table('dishonesty_listing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dishonesty_listing_listed_on'))
        batch_op.drop_index(batch_op.f('ix_dishonesty_listing_enterprise_id'))

    op.drop_table('dishonesty_listing')
    with op.batch_alter_table('accident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accident_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_accident_level'))
        batch_op.drop_index(batch_op.f('ix_accident_enterprise_id'))

    op.drop_table('accident')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_status'))
        batch_op.drop_index(batch_op.f('ix_enterprise_plot_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_name'))
        batch_op.drop_index(batch_op.f('ix_enterprise_license_expires_on'))
        batch_op.drop_index(batch_op.f('ix_enterprise_industry'))

    op.drop_table('enterprise')
    op.drop_table('plot')
    op.drop_table('park')
    op.drop_table('data_revision')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_username'))
        batch_op.drop_index(batch_op.f('ix_audit_log_entity'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('app_user')
