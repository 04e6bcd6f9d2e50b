"""The heat matrices' aggregates (``services/heatmaps.py``): exact numbers on hand-built records, both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from dashboard.services.enterprises import create_enterprise
from dashboard.services.hazards import create_hazard
from dashboard.services.heatmaps import (
    default_range,
    hazards_by_industry_month,
    inspections_by_tier_month,
    months_between,
    open_hazards_by_enterprise_category,
    rectification_days_by_category,
)
from dashboard.services.permissions import SYSTEM
from models import Inspection, Park
from tests.records import (
    PARK_BOUNDARY,
    USCC_A,
    USCC_B,
    USCC_C,
    enterprise_data,
    general_hazard_data,
    major_hazard_data,
)

D = date(2026, 3, 31)
Q1 = (date(2026, 1, 1), D)


@pytest.fixture
def three_industry_park(engine: Engine) -> Iterator[Session]:
    """Three enterprises (chemicals, machinery, textiles), seven hazards and five inspections: a session on them."""
    with Session(engine, expire_on_commit=False) as session:
        session.add(Park(name="临江化工园区", name_en="Linjiang Chemical Park", boundary_geojson=PARK_BOUNDARY,
                         center_lat=30.25, center_lon=120.15, accident_target_per_year=1))
        session.flush()
        create_enterprise(session=session, actor=SYSTEM, data=enterprise_data(uscc=USCC_A))
        create_enterprise(session=session, actor=SYSTEM, data=enterprise_data(
            uscc=USCC_B, name="临江机械有限公司", industry="machinery", major_hazard_source="none", license_no=None,
            license_expires_on=None))
        create_enterprise(session=session, actor=SYSTEM, data=enterprise_data(
            uscc=USCC_C, name="临江纺织有限公司", industry="textiles", major_hazard_source="none", license_no=None,
            license_expires_on=None))
        for data in (
            # enterprise 1, hazardous chemicals
            general_hazard_data(1, found_on="2026-03-02", deadline="2026-03-16", category="fire"),
            major_hazard_data(1, found_on="2026-03-02", deadline="2026-04-30", category="hazardous_chemicals"),
            major_hazard_data(1, found_on="2026-01-10", deadline="2026-02-28", category="electrical",
                              status="rectified", rectified_on="2026-02-01"),  # 22 days; not open
            general_hazard_data(1, found_on="2026-01-05", deadline="2026-01-31", category="fire",
                                status="rectified", rectified_on="2026-01-20"),  # 15 days; not open
            general_hazard_data(1, found_on="2026-04-05", deadline="2026-04-20"),  # after D
            # enterprise 2, machinery
            general_hazard_data(2, found_on="2026-02-01", deadline="2026-02-10", category="electrical",
                                status="verified", rectified_on="2026-02-08", verified_on="2026-02-09",
                                verified_by="李"),  # 7 days; closed
            general_hazard_data(2, found_on="2026-03-20", deadline="2026-04-30", category="machinery",
                                status="rectified", rectified_on="2026-04-10"),  # rectified after D
        ):
            create_hazard(session=session, actor=SYSTEM, data=data)
        for enterprise_id, inspected_on, tier in (
            (1, date(2026, 1, 15), "self"), (1, date(2026, 1, 20), "self"), (1, date(2026, 3, 1), "park"),
            (2, date(2026, 3, 5), "industry"), (3, date(2025, 12, 30), "self"),
        ):
            session.add(Inspection(enterprise_id=enterprise_id, inspected_on=inspected_on, tier=tier, inspector="张"))
        session.commit()
        yield session


def test_hazards_found_by_industry_and_month(three_industry_park: Session) -> None:
    table = hazards_by_industry_month(three_industry_park, *Q1)
    assert table.to_dict("records") == [
        {"industry": "hazardous_chemicals", "month": "2026-01", "hazards": 2, "major": 1},
        {"industry": "hazardous_chemicals", "month": "2026-03", "hazards": 2, "major": 1},
        {"industry": "machinery", "month": "2026-02", "hazards": 1, "major": 0},
        {"industry": "machinery", "month": "2026-03", "hazards": 1, "major": 0},
    ]


def test_hazards_found_keep_to_the_range_and_the_industries(three_industry_park: Session) -> None:
    only_march = hazards_by_industry_month(three_industry_park, date(2026, 3, 2), date(2026, 3, 20), ["machinery"])
    assert only_march.to_dict("records") == [{"industry": "machinery", "month": "2026-03", "hazards": 1, "major": 0}]
    with_april = hazards_by_industry_month(three_industry_park, date(2026, 3, 1), date(2026, 4, 30),
                                           ["hazardous_chemicals"])
    assert list(zip(with_april["month"], with_april["hazards"], strict=True)) == [("2026-03", 2), ("2026-04", 1)]
    assert hazards_by_industry_month(three_industry_park, *Q1, ["textiles"]).empty


def test_open_hazards_by_enterprise_and_category(three_industry_park: Session) -> None:
    table = open_hazards_by_enterprise_category(three_industry_park, D)
    assert table[["enterprise_id", "category", "hazards", "total"]].to_dict("records") == [
        {"enterprise_id": 1, "category": "fire", "hazards": 1, "total": 2},
        {"enterprise_id": 1, "category": "hazardous_chemicals", "hazards": 1, "total": 2},
        {"enterprise_id": 2, "category": "machinery", "hazards": 1, "total": 1},
    ]
    assert table["name"].iloc[0] == "临江精细化工有限公司"


def test_open_hazards_top_and_industry_and_date(three_industry_park: Session) -> None:
    assert set(open_hazards_by_enterprise_category(three_industry_park, D, top=1)["enterprise_id"]) == {1}
    assert set(open_hazards_by_enterprise_category(three_industry_park, D, ["machinery"])["enterprise_id"]) == {2}
    # on 20 April the machinery hazard is rectified, the fire hazard of enterprise 1 found on 5 April is open
    april = open_hazards_by_enterprise_category(three_industry_park, date(2026, 4, 20))
    assert april[["enterprise_id", "category", "hazards"]].to_dict("records") == [
        {"enterprise_id": 1, "category": "fire", "hazards": 2},
        {"enterprise_id": 1, "category": "hazardous_chemicals", "hazards": 1},
    ]


def test_inspections_by_tier_and_month(three_industry_park: Session) -> None:
    table = inspections_by_tier_month(three_industry_park, *Q1)
    assert table.to_dict("records") == [
        {"tier": "industry", "month": "2026-03", "inspections": 1, "enterprises": 1},
        {"tier": "park", "month": "2026-03", "inspections": 1, "enterprises": 1},
        {"tier": "self", "month": "2026-01", "inspections": 2, "enterprises": 1},
    ]
    december = inspections_by_tier_month(three_industry_park, date(2025, 12, 1), date(2025, 12, 31))
    assert december.to_dict("records") == [{"tier": "self", "month": "2025-12", "inspections": 1, "enterprises": 1}]
    assert inspections_by_tier_month(three_industry_park, *Q1, ["textiles"]).empty


def test_rectification_days_by_category(three_industry_park: Session) -> None:
    table = rectification_days_by_category(three_industry_park, *Q1)
    assert table.to_dict("records") == [
        {"category": "electrical", "bucket": "0_7", "hazards": 1, "rectified": 2, "mean_days": 14.5, "max_days": 22},
        {"category": "electrical", "bucket": "16_30", "hazards": 1, "rectified": 2, "mean_days": 14.5,
         "max_days": 22},
        {"category": "fire", "bucket": "8_15", "hazards": 1, "rectified": 1, "mean_days": 15.0, "max_days": 15},
    ]
    # the machinery hazard was rectified on 10 April after 21 days
    april = rectification_days_by_category(three_industry_park, date(2026, 4, 1), date(2026, 4, 30))
    assert april[["category", "bucket", "hazards", "max_days"]].to_dict("records") == [
        {"category": "machinery", "bucket": "16_30", "hazards": 1, "max_days": 21}]


def test_default_range_and_months() -> None:
    assert default_range(date(2026, 11, 29)) == (date(2025, 12, 1), date(2026, 11, 29))
    assert default_range(date(2026, 1, 31)) == (date(2025, 2, 1), date(2026, 1, 31))
    assert months_between(date(2025, 11, 15), date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert len(months_between(*default_range(date(2026, 11, 29)))) == 12
