"""The demo park (DESIGN.md section 7): deterministic, complete, valid, and believable.

The default park (120 enterprises, seed 2026) is seeded once for the module; tests that
write seed their own small parks on each backend.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import Engine, select, text
from sqlmodel import Session, SQLModel, col
from stdnum.cn import uscc as stdnum_uscc

from dashboard.db import make_engine
from dashboard.rules.accident_level import accident_level
from dashboard.services.attachments import read_copy
from dashboard.services.permissions import SYSTEM
from dashboard.services.record_tables import record_tables
from dashboard.services.rule_settings import default_rules
from dashboard.services.users import verify_password
from models import (
    AccidentLevel,
    Attachment,
    EnforcementAction,
    EnterpriseStatus,
    Hazard,
    HazardCategory,
    HazardSeverity,
    HazardStatus,
    Industry,
    Inspection,
    InspectionTier,
    LoanDecision,
    MajorHazardSource,
    ParkBounds,
    Role,
    SignCondition,
    SignKind,
    StandardizationGrade,
    TrainingAudience,
    validate,
)
from seed import SeedError, SeedReport, clear_park_data, seed_demo_park
from seed.bulk import CLEAR_ORDER, LOAD_ORDER
from seed.users import DEMO_PASSWORD

AS_OF = date(2026, 6, 30)
DATA_TABLES = (*LOAD_ORDER, "audit_log", "app_session", "data_revision")
# tables the seed does not fill but clearing the park empties (their keys are not ids)
SIGN_IN_TABLES = ("known_device", "sign_in_throttle")

Rows = dict[str, list[tuple[Any, ...]]]


def _plain(value: Any) -> Any:
    """A value as both backends give it back: timestamps as naive UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def dump(engine: Engine) -> Rows:
    """Every row of every data table, ordered by its key (an id, or an attachment's id and copy)."""
    with engine.connect() as connection:
        return {
            name: [tuple(_plain(v) for v in row)
                   for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
            for name, table in SQLModel.metadata.tables.items() if name in DATA_TABLES
        }


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in (*DATA_TABLES, *SIGN_IN_TABLES)}


def fresh_sqlite(template: Path, folder: Path, name: str) -> Engine:
    """A new, migrated, empty SQLite database."""
    path = folder / f"{name}.sqlite3"
    shutil.copyfile(template, path)
    return make_engine(f"sqlite:///{path}")


def rows_as_dicts(engine: Engine, table: str) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(
            select(SQLModel.metadata.tables[table]).order_by(text("id")))]


@pytest.fixture(scope="module")
def default_park(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Engine]:
    """The default demo park (120 enterprises, seed 2026) as of 2026-06-30, on SQLite."""
    engine = fresh_sqlite(sqlite_template, tmp_path_factory.mktemp("default_park"), "park")
    seed_demo_park(engine, as_of=AS_OF)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def default_rows(default_park: Engine) -> Rows:
    return dump(default_park)


# --- determinism ---


def test_same_seed_and_as_of_give_identical_rows_on_every_backend(
    engine: Engine, sqlite_template: Path, tmp_path: Path
) -> None:
    report = seed_demo_park(engine, enterprises=30, seed=7, as_of=AS_OF)
    reference = fresh_sqlite(sqlite_template, tmp_path, "reference")
    seed_demo_park(reference, enterprises=30, seed=7, as_of=AS_OF)
    seeded, expected = dump(engine), dump(reference)
    reference.dispose()
    for table in DATA_TABLES:
        assert seeded[table] == expected[table], table
    assert report.counts["enterprise"] == 30
    assert report.counts["hazard"] == len(seeded["hazard"]) > 0


def test_a_different_seed_gives_a_different_park(sqlite_template: Path, tmp_path: Path) -> None:
    first, second = fresh_sqlite(sqlite_template, tmp_path, "a"), fresh_sqlite(sqlite_template, tmp_path, "b")
    seed_demo_park(first, enterprises=30, seed=7, as_of=AS_OF)
    seed_demo_park(second, enterprises=30, seed=8, as_of=AS_OF)
    one, other = dump(first), dump(second)
    first.dispose()
    second.dispose()
    assert len({row[2] for row in one["enterprise"]} & {row[2] for row in other["enterprise"]}) < 5
    assert {row[1] for row in one["enterprise"]}.isdisjoint({row[1] for row in other["enterprise"]})
    for table in ("plot", "inspection", "hazard", "safety_sign", "training"):
        assert one[table] != other[table], table


def test_as_of_defaults_to_today_in_the_park_time_zone(
    sqlite_template: Path, tmp_path: Path, set_clock: Callable[[str], None]
) -> None:
    set_clock("2027-03-01T02:00:00+08:00")  # still 28 February in UTC
    engine, reference = fresh_sqlite(sqlite_template, tmp_path, "today"), fresh_sqlite(sqlite_template, tmp_path, "ref")
    seed_demo_park(engine, enterprises=8, seed=3)
    seed_demo_park(reference, enterprises=8, seed=3, as_of=date(2027, 3, 1))
    seeded, expected = dump(engine), dump(reference)
    engine.dispose()
    reference.dispose()
    assert seeded["inspection"] and seeded == expected
    last = max(row[2] for row in seeded["inspection"])
    assert date(2027, 3, 1) - timedelta(days=60) <= last <= date(2027, 3, 1)


# --- writes: refusal, clearing, what comes after ---


def test_seeding_a_database_that_holds_a_park_is_refused_and_writes_nothing(engine: Engine) -> None:
    seed_demo_park(engine, enterprises=12, seed=3, as_of=AS_OF)
    before = dump(engine)
    with pytest.raises(SeedError, match="already holds 12 enterprises; use --replace"):
        seed_demo_park(engine, enterprises=5, seed=4, as_of=AS_OF)
    assert dump(engine) == before


def test_clear_park_data_empties_every_data_table_and_keeps_the_schema(engine: Engine) -> None:
    seed_demo_park(engine, enterprises=12, seed=3, as_of=AS_OF)
    clear_park_data(engine)
    after = counts(engine)
    assert all(after[table] == 0 for table in CLEAR_ORDER), after
    assert after["data_revision"] == 1
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert seed_demo_park(engine, enterprises=15, seed=3, as_of=AS_OF).counts["enterprise"] == 15


def test_new_records_get_fresh_ids_after_the_seed(engine: Engine) -> None:
    report = seed_demo_park(engine, enterprises=12, seed=3, as_of=AS_OF)
    with Session(engine) as session:
        added = Inspection(enterprise_id=1, inspected_on=AS_OF, tier=InspectionTier.park, inspector="园区安监办 张伟")
        session.add(added)
        session.commit()
        assert added.id == report.counts["inspection"] + 1


def test_a_park_record_in_an_otherwise_empty_database_also_refuses(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO park (name, name_en, boundary_geojson, center_lat, center_lon, accident_target_per_year) "
            "VALUES ('某园区', 'Some Park', '{}', 30, 120, 1)"))
    with pytest.raises(SeedError, match="already holds a park"):
        seed_demo_park(engine, enterprises=3, as_of=AS_OF)
    assert counts(engine)["enterprise"] == 0


def test_accounts_made_before_the_seed_are_kept(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO app_user (username, display_name, role, password_hash, active) "
                                "VALUES ('admin', '原管理员', 'admin', 'kept-hash', true)"))
    seed_demo_park(engine, enterprises=3, as_of=AS_OF)
    users = {row["username"]: row for row in rows_as_dicts(engine, "app_user")}
    assert set(users) == {"admin", "committee", "finance", "staff"}
    assert users["admin"]["password_hash"] == "kept-hash"


def test_bad_arguments_are_refused_with_a_message(sqlite_template: Path, tmp_path: Path) -> None:
    engine = fresh_sqlite(sqlite_template, tmp_path, "bad")
    with pytest.raises(SeedError, match="at least one enterprise"):
        seed_demo_park(engine, enterprises=0, as_of=AS_OF)
    with pytest.raises(SeedError, match="negative"):
        seed_demo_park(engine, enterprises=3, hazards=-1, as_of=AS_OF)
    engine.dispose()


@pytest.mark.parametrize("hazards", [0, 7, 2_500])
def test_an_exact_number_of_hazards_is_honoured(sqlite_template: Path, tmp_path: Path, hazards: int) -> None:
    engine = fresh_sqlite(sqlite_template, tmp_path, "exact")
    report: SeedReport = seed_demo_park(engine, enterprises=60, hazards=hazards, seed=5, as_of=AS_OF)
    assert report.counts["hazard"] == counts(engine)["hazard"] == hazards
    if hazards == 2_500:  # chemical firms carry more of them than traders
        with engine.connect() as connection:
            per_firm = dict(connection.execute(text(
                "SELECT e.industry, 1.0 * count(h.id) / count(DISTINCT e.id) FROM enterprise e "
                "LEFT JOIN hazard h ON h.enterprise_id = e.id GROUP BY e.industry")).all())
        assert per_firm["hazardous_chemicals"] > 2 * per_firm["commerce_trade"]
    engine.dispose()


# --- the default park: complete ---

ENUM_COLUMNS = [
    ("enterprise", "industry", Industry),
    ("enterprise", "status", EnterpriseStatus),
    ("enterprise", "standardization_grade", StandardizationGrade),
    ("enterprise", "major_hazard_source", MajorHazardSource),
    ("hazard", "category", HazardCategory),
    ("hazard", "severity", HazardSeverity),
    ("hazard", "status", HazardStatus),
    ("safety_sign", "kind", SignKind),
    ("safety_sign", "condition", SignCondition),
    ("sign_check", "condition", SignCondition),
    ("inspection", "tier", InspectionTier),
    ("enforcement", "action", EnforcementAction),
    ("app_user", "role", Role),
    ("training", "audience", TrainingAudience),
    ("loan_override", "decision", LoanDecision),
]


@pytest.mark.parametrize(("table", "column", "enum"), ENUM_COLUMNS, ids=[f"{t}.{c}" for t, c, _ in ENUM_COLUMNS])
def test_the_default_park_shows_every_value(default_park: Engine, table: str, column: str, enum: Any) -> None:
    with default_park.connect() as connection:
        found = {value for (value,) in connection.execute(text(f"SELECT DISTINCT {column} FROM {table}"))}
    assert found == {member.value for member in enum}


def test_the_default_park_has_general_and_larger_accidents_with_levels_from_the_rule(default_park: Engine) -> None:
    accidents = rows_as_dicts(default_park, "accident")
    assert 3 <= len(accidents) <= 15
    assert {a["level"] for a in accidents} == {AccidentLevel.general, AccidentLevel.larger}
    for a in accidents:
        assert a["level"] == accident_level(a["deaths"], a["serious_injuries"], a["direct_loss_yuan"], default_rules())
    flags = ("cause_identified", "responsibles_handled", "measures_taken", "people_educated")
    assert any(not all(a[f] for f in flags) for a in accidents), "an incomplete 四不放过"
    assert any(all(a[f] for f in flags) for a in accidents)


# What the rules of DESIGN.md 4.4–4.6 need to find, so that every grade, colour and loan status occurs.
SITUATIONS = {
    "a major hazard not verified": "SELECT count(*) FROM hazard WHERE severity = 'major' AND verified_on IS NULL",
    "a major hazard rectified, awaiting verification":
        "SELECT count(*) FROM hazard WHERE severity = 'major' AND status = 'rectified'",
    "a hazard overdue by 1-30 days": "SELECT count(*) FROM hazard WHERE rectified_on IS NULL "
                                    "AND deadline < :d AND deadline >= :d_30",
    "a hazard overdue by more than 30 days": "SELECT count(*) FROM hazard WHERE rectified_on IS NULL "
                                             "AND deadline < :d_30",
    "an expired licence": "SELECT count(*) FROM enterprise WHERE license_expires_on < :d",
    "a licence expiring within 60 days": "SELECT count(*) FROM enterprise "
                                         "WHERE license_expires_on BETWEEN :d AND :d_plus_60",
    "a licensed industry without a licence": "SELECT count(*) FROM enterprise WHERE license_no IS NULL AND industry "
                                             "IN ('non_coal_mining', 'construction', 'hazardous_chemicals', "
                                             "'fireworks', 'civil_explosives')",
    "a firm without a publicity board": "SELECT count(*) FROM enterprise e WHERE NOT EXISTS (SELECT 1 FROM "
                                        "safety_sign s WHERE s.enterprise_id = e.id AND s.kind = 'publicity_board')",
    "a stale publicity board": "SELECT count(*) FROM safety_sign WHERE kind = 'publicity_board' "
                               "AND condition = 'good' AND last_checked_on < :d_180",
    "a damaged publicity board": "SELECT count(*) FROM safety_sign WHERE kind = 'publicity_board' "
                                 "AND condition = 'damaged'",
    "a fatal accident within 365 days": "SELECT count(*) FROM accident WHERE deaths >= 1 AND occurred_on >= :d_365",
    "a larger accident within 365 days": "SELECT count(*) FROM accident WHERE level = 'larger' "
                                         "AND occurred_on >= :d_365",
    "a suspension not lifted": "SELECT count(*) FROM enforcement WHERE action = 'suspension' AND lifted_on IS NULL",
    "a suspension lifted": "SELECT count(*) FROM enforcement WHERE action = 'suspension' AND lifted_on IS NOT NULL",
    "a listing in force": "SELECT count(*) FROM dishonesty_listing WHERE removed_on IS NULL",
    "a listing removed": "SELECT count(*) FROM dishonesty_listing WHERE removed_on IS NOT NULL",
    "an override in force": "SELECT count(*) FROM loan_override WHERE decided_on <= :d AND expires_on >= :d",
    "an override run out": "SELECT count(*) FROM loan_override WHERE expires_on < :d",
    "unlawful staffing (安全生产法 art. 24)":
        "SELECT count(*) FROM enterprise WHERE CASE WHEN employees > 100 OR industry IN ('non_coal_mining', "
        "'metallurgy', 'construction', 'road_transport', 'hazardous_chemicals', 'fireworks', 'civil_explosives') "
        "THEN NOT (safety_org OR safety_staff_fulltime >= 1) "
        "ELSE safety_staff_fulltime + safety_staff_parttime = 0 END",
    "uncertified special operators": "SELECT count(*) FROM enterprise "
                                     "WHERE special_operators_certified < special_operators",
    "a firm with no self inspection within 90 days":
        "SELECT count(*) FROM enterprise e WHERE e.status = 'operating' AND NOT EXISTS (SELECT 1 FROM inspection i "
        "WHERE i.enterprise_id = e.id AND i.tier = 'self' AND i.inspected_on >= :d_90)",
    "a firm with no all-staff training within 365 days":
        "SELECT count(*) FROM enterprise e WHERE NOT EXISTS (SELECT 1 FROM training t WHERE t.enterprise_id = e.id "
        "AND t.audience = 'all_staff' AND t.held_on >= :d_365)",
    "a publicly exposed hazard": "SELECT count(*) FROM hazard WHERE publicly_exposed",
    "a hazard rectified late": "SELECT count(*) FROM hazard WHERE rectified_on > deadline",
}


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_the_default_park_has_the_situations_the_rules_look_for(default_park: Engine, situation: str) -> None:
    days = {"d": AS_OF, "d_30": AS_OF - timedelta(days=30), "d_90": AS_OF - timedelta(days=90),
            "d_180": AS_OF - timedelta(days=180), "d_365": AS_OF - timedelta(days=365),
            "d_plus_60": AS_OF + timedelta(days=60)}
    with default_park.connect() as connection:
        found = connection.execute(text(SITUATIONS[situation]), {k: v.isoformat() for k, v in days.items()})
        assert found.scalar_one() > 0


def test_the_default_park_mix_follows_a_chemical_and_manufacturing_park(default_rows: Rows) -> None:
    industries = Counter(row[4] for row in default_rows["enterprise"])
    assert sum(industries.values()) == 120
    assert industries.most_common(2) == [(Industry.hazardous_chemicals, 26), (Industry.machinery, 18)]
    assert 1 <= industries[Industry.fireworks] <= 3 and 1 <= industries[Industry.construction] <= 4
    statuses = Counter(row[23] for row in default_rows["enterprise"])
    assert statuses[EnterpriseStatus.operating] >= 100


def test_the_demo_users_sign_in_with_the_demo_password(default_park: Engine) -> None:
    users = rows_as_dicts(default_park, "app_user")
    assert [(u["username"], u["role"]) for u in users] == [
        ("admin", Role.admin), ("committee", Role.committee), ("finance", Role.finance), ("staff", Role.staff)]
    assert all(u["active"] and u["display_name"] for u in users)
    assert all(verify_password(u["password_hash"], DEMO_PASSWORD) for u in users)
    assert not verify_password(users[0]["password_hash"], "wrong-password")


# --- the default park: valid ---

@pytest.mark.parametrize("table", list(record_tables()))
def test_every_seeded_record_passes_the_forms_validation(default_park: Engine, table: str) -> None:
    rows = rows_as_dicts(default_park, table)
    assert rows, f"the demo park has no {table} record to look at"
    for row in rows:
        validate(record_tables()[table].create, row)


def test_every_uscc_is_valid_and_unique(default_rows: Rows) -> None:
    codes = [row[1] for row in default_rows["enterprise"]]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert stdnum_uscc.validate(code) == code
        assert code.startswith("91")


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Ray casting: whether a point lies inside a polygon ring."""
    inside = False
    for (x0, y0), (x1, y1) in pairwise(ring):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def test_the_site_plan_nests_enterprises_in_plots_in_the_boundary(default_park: Engine) -> None:
    (park,) = rows_as_dicts(default_park, "park")
    boundary = json.loads(park["boundary_geojson"])
    assert boundary["type"] == "Polygon"
    ring = boundary["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) >= 8
    bounds = ParkBounds.from_geojson(park["boundary_geojson"])
    assert bounds.min_lat < park["center_lat"] < bounds.max_lat and bounds.min_lon < park["center_lon"] < bounds.max_lon
    width_km = (bounds.max_lon - bounds.min_lon) * 111.32 * 0.87
    height_km = (bounds.max_lat - bounds.min_lat) * 110.57
    assert 2.5 < width_km < 4.5 and 1.5 < height_km < 3.5
    assert park["accident_target_per_year"] == 3

    plots = {p["id"]: p for p in rows_as_dicts(default_park, "plot")}
    assert 36 <= len(plots) <= 44
    assert {p["code"][0] for p in plots.values()} == set("ABCDE")
    for plot in plots.values():
        polygon = json.loads(plot["polygon_geojson"])
        assert polygon["type"] == "Polygon"
        assert all(_inside(lon, lat, ring) for lon, lat in polygon["coordinates"][0][:-1]), plot["code"]
        assert 40_000 < plot["area_m2"] < 160_000, plot["code"]

    for firm in rows_as_dicts(default_park, "enterprise"):
        assert bounds.problems(firm["lat"], firm["lon"]) == []
        plot_ring = json.loads(plots[firm["plot_id"]]["polygon_geojson"])["coordinates"][0]
        assert _inside(firm["lon"], firm["lat"], plot_ring), firm["name"]


def test_hazard_status_is_what_its_dates_say_on_the_as_of_date(default_park: Engine) -> None:
    hazards = rows_as_dicts(default_park, "hazard")
    assert {h["status"] for h in hazards} == set(HazardStatus)  # the worklist shows hazards in every state
    for hazard in hazards:
        if hazard["verified_on"] is not None:
            expected = {HazardStatus.verified}
            assert hazard["verified_by"]
        elif hazard["rectified_on"] is not None:
            expected = {HazardStatus.rectified}
        else:
            expected = {HazardStatus.open, HazardStatus.rectifying}
        assert hazard["status"] in expected, hazard
        if hazard["severity"] == HazardSeverity.major:
            assert hazard["listed_supervision"]
            assert None not in (hazard["responsible_person"], hazard["measures"], hazard["funds_yuan"],
                                hazard["deadline"], hazard["contingency_plan"])


def test_most_hazards_come_from_inspections_of_their_own_enterprise(default_park: Engine) -> None:
    with default_park.connect() as connection:
        total, linked, matching = connection.execute(text(
            "SELECT count(*), count(h.inspection_id), sum(CASE WHEN i.enterprise_id = h.enterprise_id "
            "AND i.inspected_on = h.found_on THEN 1 ELSE 0 END) "
            "FROM hazard h LEFT JOIN inspection i ON i.id = h.inspection_id")).one()
    assert linked == matching
    assert linked > 0.8 * total


EVENT_DATES = {
    "inspection": ("inspected_on",), "hazard": ("found_on", "rectified_on", "verified_on"),
    "safety_sign": ("installed_on", "last_checked_on"), "sign_check": ("checked_on",),
    "accident": ("occurred_on",), "training": ("held_on",), "enforcement": ("decided_on", "lifted_on"),
    "dishonesty_listing": ("listed_on", "removed_on"), "loan_override": ("decided_on",),
}


def test_nothing_happens_after_the_as_of_date(default_park: Engine) -> None:
    end_of_day = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 16)  # midnight in Shanghai, in UTC
    for table, columns in EVENT_DATES.items():
        rows = rows_as_dicts(default_park, table)
        for column in columns:
            assert any(row[column] is not None for row in rows), (table, column)  # a date shown somewhere
            assert all(row[column] is None or row[column] <= AS_OF for row in rows), (table, column)
    for table in ("enterprise", "hazard"):
        rows = rows_as_dicts(default_park, table)
        assert rows
        for row in rows:
            assert row["created_at"] <= row["updated_at"] <= end_of_day
            assert row["version"] == 1
    with default_park.connect() as connection:
        first = connection.execute(text("SELECT min(inspected_on) FROM inspection")).scalar_one()
    assert date.fromisoformat(first) >= AS_OF - timedelta(days=730)


def test_each_sign_shows_its_latest_check(default_rows: Rows) -> None:
    latest: dict[int, tuple[date, str]] = {}
    for _id, sign_id, checked_on, condition, _by in default_rows["sign_check"]:
        if sign_id not in latest or checked_on >= latest[sign_id][0]:
            latest[sign_id] = (checked_on, condition)
    assert 0 < len(latest) < len(default_rows["safety_sign"])  # most signs were checked, some never
    for sign_id, _firm, _kind, _location, installed_on, last_checked_on, condition in default_rows["safety_sign"]:
        if sign_id in latest:
            assert (last_checked_on, condition) == latest[sign_id]
            assert installed_on <= last_checked_on
        else:
            assert last_checked_on is None


def test_loan_overrides_are_reasoned_finance_decisions_of_at_most_180_days(default_rows: Rows) -> None:
    overrides = default_rows["loan_override"]
    assert overrides
    for _id, _firm, _decision, reason, decided_by, decided_on, expires_on in overrides:
        assert reason.strip() and decided_by == "finance"
        assert decided_on <= expires_on <= decided_on + timedelta(days=180)



TAKEN_ON = {("hazard", "found"): "found_on", ("hazard", "rectified"): "rectified_on",
            ("sign_check", "evidence"): "checked_on", ("inspection", "evidence"): "inspected_on"}
"""The date of the record a seeded file is taken and uploaded on."""


def test_the_default_park_carries_photos_before_and_after_boards_and_signed_sheets(default_park: Engine) -> None:
    """Drawn offline, stored as an upload stores them: the hazards' 整改前 and 整改后 photos on their days, the
    boards as checked, the inspection sheets as PDFs; each original's fingerprint real, its shown copy clean."""
    with Session(default_park) as session:
        files = session.execute(select(Attachment).order_by(col(Attachment.id))).scalars().all()
        by_place = Counter((f.entity, f.stage.value) for f in files)
        assert by_place["hazard", "found"] >= 10 and by_place["hazard", "rectified"] >= 6
        assert by_place["sign_check", "evidence"] >= 5 and by_place["inspection", "evidence"] >= 2
        zone = ZoneInfo("Asia/Shanghai")
        for file in files:
            record = session.get(record_tables()[file.entity].table, file.entity_id)
            assert record is not None, (file.entity, file.entity_id)
            day = TAKEN_ON[file.entity, file.stage.value]
            uploaded = file.uploaded_at.replace(tzinfo=UTC) if file.uploaded_at.tzinfo is None else file.uploaded_at
            assert uploaded.astimezone(zone).date() == getattr(record, day), file.id
            original = read_copy(session, SYSTEM, file.id or 0, "original")
            assert original is not None and hashlib.sha256(original.data).hexdigest() == file.sha256
            if file.media_type == "application/pdf":
                assert file.page_count == 1
                continue
            assert file.media_type == "image/jpeg" and file.claimed_gps and file.claimed_taken_at
            assert file.claimed_taken_at.date() == getattr(record, day)
            shown = read_copy(session, SYSTEM, file.id or 0, "display")
            assert shown is not None
            with Image.open(BytesIO(shown.data)) as picture:
                assert picture.size == (800, 600) and not picture.getexif()
        pairs = {f.entity_id for f in files if f.entity == "hazard" and f.stage.value == "rectified"}
        statuses = {session.get(Hazard, hid).status for hid in pairs}  # type: ignore[union-attr]
        assert statuses == {HazardStatus.rectified, HazardStatus.verified}
