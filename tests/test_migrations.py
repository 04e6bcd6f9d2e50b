"""The migrations create exactly the contract's schema, and head matches the models."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, event, inspect
from sqlmodel import SQLModel

from dashboard.db import alembic_config, schema_head, schema_revision, upgrade
from models import CONTRACT_TABLES

CONTRACT_COLUMNS = {
    "park": {"id", "name", "name_en", "boundary_geojson", "center_lat", "center_lon", "accident_target_per_year"},
    "plot": {"id", "code", "polygon_geojson", "area_m2"},
    "enterprise": {
        "id", "uscc", "name", "name_en", "industry", "plot_id", "lat", "lon", "legal_rep", "safety_lead", "phone",
        "employees", "safety_org", "safety_staff_fulltime", "safety_staff_parttime", "principal_certified",
        "safety_managers_certified", "special_operators", "special_operators_certified", "standardization_grade",
        "major_hazard_source", "license_no", "license_expires_on", "status", "created_at", "updated_at", "version",
    },
    "safety_sign": {"id", "enterprise_id", "kind", "location", "installed_on", "last_checked_on", "condition"},
    "sign_check": {"id", "safety_sign_id", "checked_on", "condition", "checked_by"},
    "inspection": {"id", "enterprise_id", "inspected_on", "tier", "inspector", "notes"},
    "hazard": {
        "id", "enterprise_id", "inspection_id", "found_on", "category", "severity", "description",
        "responsible_person", "measures", "funds_yuan", "deadline", "contingency_plan", "status", "rectified_on",
        "verified_on", "verified_by", "listed_supervision", "publicly_exposed", "created_at", "updated_at", "version",
    },
    "accident": {
        "id", "enterprise_id", "occurred_on", "deaths", "serious_injuries", "direct_loss_yuan", "level",
        "description", "cause_identified", "responsibles_handled", "measures_taken", "people_educated",
    },
    "training": {"id", "enterprise_id", "held_on", "audience", "attendees", "hours"},
    "enforcement": {"id", "enterprise_id", "decided_on", "action", "fine_yuan", "note", "lifted_on"},
    "dishonesty_listing": {"id", "enterprise_id", "listed_on", "reason", "removed_on"},
    "loan_override": {"id", "enterprise_id", "decision", "reason", "decided_by", "decided_on", "expires_on"},
    "app_user": {"id", "username", "display_name", "role", "password_hash", "active"},
    "audit_log": {"id", "at", "username", "action", "entity", "entity_id", "before_json", "after_json"},
}
# Tables the application adds beside the contract (allowed by DESIGN.md section 3).
APPLICATION_TABLES = {"data_revision", "app_session", "rule_setting", "sign_in_throttle", "known_device", "attachment",
                      "attachment_blob", "alembic_version"}
# Columns the application adds to contract tables; each must be nullable or server-defaulted.
APPLICATION_COLUMNS: dict[str, set[str]] = {}


def test_upgrade_creates_the_contract_tables_and_columns_and_only_known_additions(engine: Engine) -> None:
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    assert tables == set(CONTRACT_TABLES) | APPLICATION_TABLES
    for table, columns in CONTRACT_COLUMNS.items():
        found = inspector.get_columns(table)
        added = APPLICATION_COLUMNS.get(table, set())
        assert {c["name"] for c in found} == columns | added, table
        for column in found:
            if column["name"] in added:
                assert column["nullable"] or column.get("default") is not None, (table, column["name"])


def test_migrations_head_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_upgrade_twice_is_harmless_and_sends_no_change(engine: Engine) -> None:
    sent: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        upgrade(engine)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert schema_revision(engine) == schema_head() == "0007_attachments"
    assert not [s for s in sent if s.lstrip().split()[0].upper() not in {"BEGIN", "SELECT", "PRAGMA"}], sent
    assert "enterprise" in inspect(engine).get_table_names()


def test_a_database_one_migration_behind_is_brought_to_head(engine: Engine) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005_window_indexes")
    assert schema_revision(engine) == "0005_window_indexes"
    assert "sign_in_throttle" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert schema_revision(engine) == schema_head()
    assert "sign_in_throttle" in inspect(engine).get_table_names()


def test_contract_uniques_exist(engine: Engine) -> None:
    inspector = inspect(engine)
    for table, column in (("enterprise", "uscc"), ("plot", "code"), ("app_user", "username")):
        uniques = [u["column_names"] for u in inspector.get_unique_constraints(table)]
        indexes = [i["column_names"] for i in inspector.get_indexes(table) if i.get("unique")]
        assert [column] in uniques + indexes, (table, column)
