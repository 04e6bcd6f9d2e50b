"""``park-safety scorecards``, ``loans`` and ``bench``: the contract's fields (DESIGN.md section 6), CSV that
parses, one-line errors, and the benchmark's figures."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, text

from dashboard.cli import main
from dashboard.db import make_engine, upgrade
from dashboard.rules.scorecard import COMPONENTS
from dashboard.services.rule_reports import LOAN_COLUMNS, SCORECARD_COLUMNS
from seed import seed_demo_park

AS_OF = "2026-06-30"
SCORECARD_KEYS = {"enterprise_id", "uscc", "name", "industry", "score", "grade", "inherent_risk", "risk_color",
                  "components", "deductions"}
DEDUCTION_KEYS = {"component", "points", "reason", "records"}
LOAN_KEYS = {"enterprise_id", "uscc", "name", "status", "effective_status", "override", "rules"}
OVERRIDE_KEYS = {"decision", "reason", "decided_by", "decided_on", "expires_on"}
RULE_KEYS = {"code", "reason", "records", "remedy"}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def one_line_error(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    return lines[-1]


@pytest.fixture(scope="module")
def demo_url(module_engine: Engine) -> str:
    """The URL of a database holding a small demo park (40 enterprises, history to 30 June 2026)."""
    seed_demo_park(module_engine, enterprises=40, as_of=date.fromisoformat(AS_OF))
    return module_engine.url.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def scorecards_json(demo_url: str) -> list[dict[str, Any]]:
    result = run("scorecards", "--as-of", AS_OF, "--database-url", demo_url, "--language", "en")
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert isinstance(parsed, list)
    return parsed


@pytest.fixture(scope="module")
def loans_json(demo_url: str) -> list[dict[str, Any]]:
    result = run("loans", "--as-of", AS_OF, "--database-url", demo_url)
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    assert isinstance(parsed, list)
    return parsed


def _records_exist(module_engine: Engine, records: list[dict[str, Any]]) -> None:
    with module_engine.connect() as connection:
        for record in records:
            assert set(record) == {"table", "id"}
            found = connection.execute(text(f"SELECT count(*) FROM {record['table']} WHERE id = :id"),
                                       {"id": record["id"]}).scalar_one()
            assert found == 1, record


def test_scorecards_json_has_exactly_the_contracts_fields(scorecards_json: list[dict[str, Any]],
                                                           module_engine: Engine) -> None:
    assert len(scorecards_json) == 40
    assert [item["enterprise_id"] for item in scorecards_json] == sorted(item["enterprise_id"]
                                                                           for item in scorecards_json)
    for item in scorecards_json:
        assert set(item) == SCORECARD_KEYS
        assert list(item["components"]) == list(COMPONENTS)
        assert item["grade"] in "ABCD" and item["risk_color"] in ("red", "orange", "yellow", "blue")
        assert isinstance(item["score"], float) and round(item["score"], 1) == item["score"]
        lost = 0.0
        for deduction in item["deductions"]:
            assert set(deduction) == DEDUCTION_KEYS
            assert deduction["component"] in COMPONENTS and deduction["points"] > 0 and deduction["reason"]
            _records_exist(module_engine, deduction["records"])
            lost += deduction["points"]
        assert 100 - lost == pytest.approx(sum(item["components"].values()), abs=0.05)
    assert any(d["records"] for item in scorecards_json for d in item["deductions"])


def test_loans_json_has_exactly_the_contracts_fields(loans_json: list[dict[str, Any]], module_engine: Engine) -> None:
    assert len(loans_json) == 40
    for item in loans_json:
        assert set(item) == LOAN_KEYS
        assert item["status"] in ("eligible", "conditional", "ineligible")
        assert item["override"] is None or set(item["override"]) == OVERRIDE_KEYS
        for rule in item["rules"]:
            assert set(rule) == RULE_KEYS
            assert rule["code"][0] in "LC" and rule["reason"] and rule["remedy"]
            _records_exist(module_engine, rule["records"])
        assert (item["status"] == "ineligible") == any(rule["code"].startswith("L") for rule in item["rules"])
    assert any(item["rules"] for item in loans_json)


def test_the_reasons_follow_the_language(demo_url: str, scorecards_json: list[dict[str, Any]]) -> None:
    result = run("scorecards", "--as-of", AS_OF, "--database-url", demo_url, "--language", "zh")
    chinese = json.loads(result.stdout)
    english_reason = next(d["reason"] for item in scorecards_json for d in item["deductions"])
    chinese_reason = next(d["reason"] for item in chinese for d in item["deductions"])
    assert english_reason[0].isascii() and english_reason != chinese_reason
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese_reason)
    assert [item["score"] for item in chinese] == [item["score"] for item in scorecards_json]


def test_scorecards_csv_parses_and_matches_the_json(demo_url: str, scorecards_json: list[dict[str, Any]]) -> None:
    result = run("scorecards", "--as-of", AS_OF, "--database-url", demo_url, "--format", "csv", "--language", "en")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == SCORECARD_COLUMNS
    assert len(rows) == len(scorecards_json)
    for row, item in zip(rows, scorecards_json, strict=True):
        assert int(row["enterprise_id"]) == item["enterprise_id"] and row["uscc"] == item["uscc"]
        assert float(row["score"]) == item["score"] and row["grade"] == item["grade"]
        assert {c: float(row[c]) for c in COMPONENTS} == item["components"]
        assert len(row["deductions"].split(";")) == len(item["deductions"]) or not item["deductions"]


def test_loans_csv_parses_and_joins_rule_codes(demo_url: str, loans_json: list[dict[str, Any]]) -> None:
    result = run("loans", "--as-of", AS_OF, "--database-url", demo_url, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == LOAN_COLUMNS
    for row, item in zip(rows, loans_json, strict=True):
        assert row["status"] == item["status"] and row["effective_status"] == item["effective_status"]
        assert row["rules"] == ";".join(rule["code"] for rule in item["rules"])
        assert row["override_decision"] == (item["override"] or {}).get("decision", "")


@pytest.mark.parametrize("command", ["scorecards", "loans"])
def test_a_bad_as_of_is_a_one_line_error(command: str, tmp_path: Path) -> None:
    result = run(command, "--as-of", "2026-02-30", "--database-url", f"sqlite:///{tmp_path / 'park.sqlite3'}")
    assert result.exit_code != 0
    assert "is not a date" in one_line_error(result)


def test_an_empty_database_gives_an_empty_array(tmp_path: Path) -> None:
    result = run("loans", "--database-url", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_a_bad_database_url_is_a_one_line_error() -> None:
    result = run("scorecards", "--database-url", "nosuchdb://somewhere/x")
    assert result.exit_code == 1
    assert one_line_error(result).startswith("park-safety: error: the database URL is not valid")


@pytest.fixture(scope="module")
def small_bench_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('bench') / 'small.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    seed_demo_park(engine, enterprises=50)
    engine.dispose()
    return url


def test_bench_json_prints_the_four_figures_and_the_commands_times(small_bench_url: str) -> None:
    result = run("bench", "--format", "json", "--runs", "2", "--database-url", small_bench_url)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert {"floor_query_ms", "full_pass_ms", "ratio", "peak_rss_mb"} <= set(figures)
    assert figures["floor_query_ms"] > 0 and figures["full_pass_ms"] > 0 and figures["peak_rss_mb"] > 0
    assert figures["ratio"] == pytest.approx(figures["full_pass_ms"] / figures["floor_query_ms"], rel=0.05)
    assert (figures["enterprises"], figures["runs"], figures["backend"]) == (50, 2, "sqlite")
    commands = {timing["command"]: timing for timing in figures["commands"]}
    assert set(commands) == {"scorecards --format json", "loans --format json", "--help"}
    for timing in commands.values():
        assert 0 < timing["best_seconds"] <= timing["seconds"]
    assert (commands["scorecards --format json"]["target_seconds"], commands["--help"]["target_seconds"]) == (3, 1)


def test_bench_text_names_each_figure_and_command(small_bench_url: str) -> None:
    result = run("bench", "--runs", "1", "--database-url", small_bench_url)
    assert result.exit_code == 0, result.output
    for words in ("floor query", "full pass", "peak memory", "50 enterprises", "park-safety scorecards --format json",
                  "park-safety loans --format json", "park-safety --help"):
        assert words in result.output
