"""The import panel (dashboard/views/imports.py) in AppTest, with real files uploaded through
``st.file_uploader``: the problems list, the preview, and the confirm button that writes.

The panel is run on its own (the Records page puts it in a tab), signed in as a demo user of the
module's demo park (``demo_app_url``, both backends). Only the confirm test writes, with its own
enterprises, so the tests do not depend on their order.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.views.context import LANGUAGE_KEY
from dashboard.views.session import TOKEN_KEY
from tests.apptest import TIMEOUT, import_uploader, texts, token_for
from tests.records import enterprise_data, with_check_character
from tests.test_imports import enterprise_file

SAMPLES = Path(__file__).resolve().parent.parent / "seed" / "samples"
SCRIPT = """
import streamlit as st
from dashboard.i18n import set_language
from dashboard.views.context import LANGUAGE_KEY
set_language(st.session_state.get(LANGUAGE_KEY, "zh"))
from dashboard.views.imports import import_panel
import_panel()
"""
# inside the demo park's site plan
LAT, LON = 28.8316, 115.5499


def panel(username: str = "staff", language: str = "en") -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=TIMEOUT)
    at.session_state[TOKEN_KEY] = token_for(username)
    at.session_state[LANGUAGE_KEY] = language
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, filename: str, data: bytes, table: str = "enterprise") -> AppTest:
    at.selectbox(key="imports_table").set_value(table)
    at.run()
    import_uploader(at).upload(filename, data, "text/csv" if filename.endswith(".csv") else "application/octet-stream")
    at.run()
    assert not at.exception, at.exception
    return at


def problem_lines(at: AppTest) -> list[str]:
    """The problems as the user reads them: the bulleted list, markdown escapes removed."""
    listed = [m.value for m in at.markdown if str(m.value).startswith("- ")]
    assert len(listed) == 1, listed
    return [re.sub(r"\\(.)", r"\1", line[2:]) for line in str(listed[0]).splitlines()]


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def enterprises(url: str) -> int:
    return int(query(url, "SELECT count(*) FROM enterprise")[0][0])


def new_enterprises(*numbers: int, **changes: object) -> list[dict[str, object]]:
    return [enterprise_data(uscc=with_check_character(f"91360123{n:09d}"), name=f"青岚第{n}化工有限公司",
                            lat=LAT, lon=LON, **changes) for n in numbers]


def test_a_file_with_a_problem_lists_it_and_offers_no_import(demo_app_url: str) -> None:
    records = new_enterprises(101, 102, 103)
    records[1]["uscc"] = "91360123000000010X"
    before = enterprises(demo_app_url)
    at = upload(panel(), "bad.csv", enterprise_file(records))
    assert "1 problem(s) found, in 1 row(s). Nothing has been written" in texts(at)
    assert problem_lines(at) == ["row 2, column uscc: Unified social credit code “91360123000000010X” has a wrong "
                                 "check character (the 18th character should be 1)."]
    assert not at.dataframe
    assert not [b for b in at.button if b.label.startswith("Import")]
    assert enterprises(demo_app_url) == before


def test_a_valid_file_is_previewed_in_chinese_and_nothing_is_written(demo_app_url: str) -> None:
    before = enterprises(demo_app_url)
    at = upload(panel(language="zh"), "enterprise.xlsx", (SAMPLES / "enterprise.xlsx").read_bytes())
    assert "文件有效:共 3 行,其中新增 3 条、更新 0 条、无变化 0 条。" in texts(at)
    preview = at.dataframe[0].value
    assert preview["处理"].tolist() == ["新增"] * 3
    assert preview["行业"].tolist() == ["危险化学品", "机械", "仓储物流"]
    assert [b.label for b in at.button] == ["导入 3 行"]
    assert enterprises(demo_app_url) == before


def test_confirming_writes_the_file_and_a_script_in_a_name_stays_text(demo_app_url: str) -> None:
    script = "<script>alert(1)</script>"
    records = new_enterprises(201, 202)
    records[0]["name"] = script
    before = enterprises(demo_app_url)
    at = upload(panel(), "new.csv", enterprise_file(records))
    assert "2 to create, 0 to update, 0 unchanged" in texts(at)
    assert at.dataframe[0].value["Name"].tolist() == [script, "青岚第202化工有限公司"]
    assert script not in texts(at)  # shown only as a table cell's text, never as markup
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    assert "Imported new.csv into Enterprises: 2 created, 0 updated, 0 unchanged." in [s.value for s in at.success]
    assert not at.dataframe  # the uploader is reset: no preview of a file already imported
    assert enterprises(demo_app_url) == before + 2
    assert query(demo_app_url, f"SELECT name FROM enterprise WHERE uscc = '{records[0]['uscc']}'") == [(script,)]
    assert query(demo_app_url, "SELECT username, entity, after_json FROM audit_log WHERE action = 'import'")[-1][:2] \
        == ("staff", "enterprise")


def test_the_parks_own_export_previews_as_all_unchanged(demo_app_url: str) -> None:
    from sqlmodel import Session

    from dashboard.services.exports import export_bytes

    engine = make_engine(demo_app_url)
    with Session(engine) as session:
        data, count = export_bytes(session, "enterprise", "csv")
    engine.dispose()
    at = upload(panel(), "enterprise.csv", data)
    assert f"{count:,} row(s) — 0 to create, 0 to update, {count:,} unchanged." in texts(at)
    assert at.dataframe[0].value["Action"].tolist()[:3] == ["Unchanged"] * 3


def test_a_hazard_file_naming_an_unknown_enterprise(demo_app_url: str) -> None:
    at = upload(panel(language="zh"), "hazard.csv", (SAMPLES / "hazard.csv").read_bytes(), table="hazard")
    lines = problem_lines(at)
    assert len(lines) == 3
    assert lines[0] == "第 1 行,“uscc”列:没有统一社会信用代码为“91360123MA7K2P3Q12”的企业,请先导入或新增该企业。"
    assert [line[:14] for line in lines[1:]] == ["第 2 行,“uscc”列:", "第 3 行,“uscc”列:"]


def test_a_name_with_markup_in_a_problem_is_shown_as_written(demo_app_url: str) -> None:
    records = new_enterprises(301)
    records[0]["name"] = "**<b>粗体</b>**"
    records[0]["employees"] = -1
    at = upload(panel(), "bad.csv", enterprise_file(records))
    assert problem_lines(at) == ["row 1, column employees: Number of employees must not be negative (got -1)."]
    assert not at.get("html")


def test_a_role_that_may_not_edit_records_gets_no_uploader(demo_app_url: str) -> None:
    at = panel("committee")
    assert "Your role may not import records." in texts(at)
    assert not at.file_uploader
