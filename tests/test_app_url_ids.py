"""An enterprise id in a page's URL (``scorecards?enterprise=…``, ``loans?enterprise=…``,
``records?enterprise=…``) that no enterprise can have — past the id column's range (a 32-bit integer on
PostgreSQL, which raises NumericValueOutOfRange for it; SQLite overflows past 64 bits), negative, not a
number, or digits Python reads but a URL id never has — shows the "no such enterprise" notice, never an
error, on each database."""

from __future__ import annotations

import pytest

from dashboard.services.facts import ID_MAX, record_id
from tests.apptest import open_app

OUT_OF_RANGE = [
    "99999999999999999999",  # 20 digits: past SQLite's 64-bit integers (OverflowError)
    "9223372036854775808",  # 2**63: past PostgreSQL's bigint
    "2147483648",  # 2**31: past the id column (integer) on PostgreSQL
    "1" + "0" * 400,  # huge
]
NOT_AN_ID = ["-1", "0", "abc", "1e3", "12.0", "²", "１２"]  # "²".isdigit() is True but int("²") fails


def test_record_id_takes_only_plain_ids_in_the_columns_range() -> None:
    assert record_id("12") == 12
    assert record_id(" 7 ") == 7
    assert record_id(str(ID_MAX)) == ID_MAX == 2**31 - 1
    for raw in [*OUT_OF_RANGE, *NOT_AN_ID, "", None]:
        assert record_id(raw) is None, raw


@pytest.mark.parametrize("value", [*OUT_OF_RANGE, *NOT_AN_ID])
def test_scorecards_show_the_notice_for_an_id_no_enterprise_can_have(demo_app_url: str, value: str) -> None:
    at = open_app("committee", page="scorecards", query={"enterprise": value})
    assert not at.exception
    assert [warning.value for warning in at.warning] == [f"找不到编号为“{value}”的企业,已显示企业列表。"]
    assert not at.error
    assert any("rank" in frame.value.columns for frame in at.dataframe)  # the list instead


@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648", "999999", "-1", "abc", "²"])
def test_the_loan_desk_shows_the_notice_and_the_first_enterprise(demo_app_url: str, value: str) -> None:
    at = open_app("finance", page="loans", language="en", query={"enterprise": value})
    assert not at.exception
    assert [warning.value for warning in at.warning] == [f"No enterprise has the id “{value}”."]
    assert not at.error
    assert at.selectbox(key="loans_enterprise").value is not None  # the desk goes on with an enterprise of its own


@pytest.mark.parametrize("value", ["99999999999999999999", "2147483648", "999999", "-1", "abc", "²"])
def test_records_show_the_notice_and_no_enterprise_picked(demo_app_url: str, value: str) -> None:
    at = open_app("staff", page="records", language="en", query={"enterprise": value})
    assert not at.exception
    assert [warning.value for warning in at.warning] == [f"No enterprise has the id “{value}”."]
    assert not at.error
    assert at.selectbox(key="records.enterprise").value is None
