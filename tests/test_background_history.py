"""A large park's loan-status history is computed in the dashboard's worker process; what it gives is what
the page would compute itself."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from dashboard.db import make_engine
from dashboard.services.loan_desk import park_status_history, park_status_history_of
from dashboard.services.rule_settings import effective_rules
from dashboard.views.background import job, result_or_none


def test_the_worker_process_gives_the_same_history_as_the_page(fresh_park: str, today: date) -> None:
    engine = make_engine(fresh_park)
    with Session(engine) as session:
        rules = effective_rules(session)
        here = park_status_history(session, today, rules)
    engine.dispose()
    future = job(("test history", fresh_park, today), park_status_history_of, fresh_park, today, rules)
    there = result_or_none(future, wait_s=120)
    assert there is not None
    assert there.counts.equals(here.counts)
    assert there.changes.equals(here.changes)
    assert (there.before_on, there.after_on) == (here.before_on, here.after_on)
    assert job(("test history", fresh_park, today), park_status_history_of, fresh_park, today, rules) is future


def test_the_worker_process_gives_the_same_comparison_figures_as_the_page(fresh_park: str, today: date) -> None:
    from dashboard.services.overview import evaluation_counts_of, park_kpis, same_day_previous_month

    engine = make_engine(fresh_park)
    with Session(engine) as session:
        rules = effective_rules(session)
        here = park_kpis(session, today, rules).previous
    engine.dispose()
    previous = same_day_previous_month(today)
    future = job(("test counts", fresh_park, previous), evaluation_counts_of, fresh_park, previous, rules)
    there = result_or_none(future, wait_s=120)
    assert there == {"signage_compliant": here.signage_compliant, "ineligible": here.ineligible}
