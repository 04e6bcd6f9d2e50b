"""A threshold the administrator changed reaches every place that once fell back to the design's defaults
(``RuleSettings()``): the stored level of a seeded accident, and the records the facts of every enterprise
are read from. The settings in force are always passed in; nothing has a default to fall back to."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, text
from sqlmodel import Session

from dashboard.rules.accident_level import accident_level
from dashboard.services.facts import Windows, all_enterprise_facts, all_enterprise_facts_detail, load_records
from dashboard.services.permissions import SYSTEM
from dashboard.services.records import create_record
from dashboard.services.rule_settings import effective_rules, save_rules
from dashboard.settings import RuleSettings
from models import Enterprise
from models.enums import AccidentLevel
from seed import seed_demo_park

AS_OF = date(2026, 6, 30)


def _set_rules(engine: Engine, **changes: object) -> RuleSettings:
    with Session(engine) as session:
        rules = save_rules(session=session, actor=SYSTEM, changes=changes)
        session.commit()
    return rules


def test_the_demo_park_stores_each_accident_level_by_the_thresholds_in_force(engine: Engine) -> None:
    rules = _set_rules(engine, accident_larger_loss_yuan=1)  # any loss at all makes an accident larger
    seed_demo_park(engine, enterprises=30, seed=7, as_of=AS_OF)
    with engine.connect() as connection:
        accidents = connection.execute(text(
            "SELECT deaths, serious_injuries, direct_loss_yuan, level FROM accident")).all()
    assert accidents
    assert all(level != AccidentLevel.general.value for *_, level in accidents)
    assert [level for *_, level in accidents] == [
        accident_level(deaths, injuries, float(loss), rules).value for deaths, injuries, loss, _ in accidents]


def test_the_facts_of_every_enterprise_read_records_by_the_windows_in_force(
    engine: Engine, enterprise: Enterprise
) -> None:
    assert enterprise.id is not None
    long_ago = AS_OF - timedelta(days=500)  # outside the design's 365-day window, inside 600 days
    with Session(engine) as session:
        create_record(session=session, actor=SYSTEM, table="accident", data={
            "enterprise_id": enterprise.id, "occurred_on": long_ago, "deaths": 0, "serious_injuries": 1,
            "direct_loss_yuan": 20_000, "description": "机械伤害"})
        session.commit()
    rules = _set_rules(engine, accident_window_days=600)
    with Session(engine) as session:
        assert effective_rules(session) == rules
        loaded = load_records(session, windows=Windows.at(AS_OF, rules))
        (detail,) = all_enterprise_facts_detail(session, AS_OF, rules)
        (fast,) = all_enterprise_facts(session, AS_OF, rules)
    assert [a.occurred_on for a in loaded[enterprise.id].accidents] == [long_ago]
    assert detail.general_accidents == fast.general_accidents == 1
    assert [ref.id for ref in detail.refs["general_accidents"]] == [a.id for a in loaded[enterprise.id].accidents]
