"""The staff's weekly loop through the pages, on a demo park of its own: an inspection with two overdue
hazards is recorded on the Records page, the scorecard and the loan status fall on the next run; one
hazard is rectified and verified in the worklist, and they rise again."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col
from streamlit.testing.v1 import AppTest

from dashboard.db import make_engine
from dashboard.services.enterprise_table import enterprise_table
from dashboard.services.rule_reports import shown_score
from dashboard.services.rule_settings import effective_rules
from models import Hazard
from tests.apptest import open_app


def standing(url: str, enterprise_id: int, today: date) -> dict[str, Any]:
    engine = make_engine(url)
    with Session(engine) as session:
        table = enterprise_table(session, today, effective_rules(session)).set_index("enterprise_id")
    engine.dispose()
    row = table.loc[enterprise_id]
    return {"score": float(row["score"]), "status": row["effective_status"], "overdue": int(row["overdue_hazards"])}


def scorecard_page(enterprise_id: int) -> tuple[str, str]:
    """The score and loan status the committee sees on the enterprise's file."""
    at = open_app("committee", page="scorecards", language="en", query={"enterprise": str(enterprise_id)})
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    return metrics["Score"], "\n".join(str(m.value) for m in at.markdown)


def test_recording_and_closing_hazards_moves_the_scorecard_and_the_loan_status(fresh_park: str, today: date) -> None:
    engine = make_engine(fresh_park)
    with Session(engine) as session:
        table = enterprise_table(session, today, effective_rules(session))
    engine.dispose()
    clean = table[(table.score == 100.0) & (table.effective_status == "eligible") & (table.open_hazards == 0)]
    enterprise_id = int(clean.iloc[0]["enterprise_id"])
    assert standing(fresh_park, enterprise_id, today) == {"score": 100.0, "status": "eligible", "overdue": 0}

    # staff record an inspection 40 days ago that found two hazards, due 10 days ago and not rectified
    at: AppTest = open_app("staff", page="records", language="en", query={"enterprise": str(enterprise_id)})
    at.date_input(key="inspection.inspected_on").set_value(today - timedelta(days=40))
    at.text_input(key="inspection.inspector").set_value("Park inspection team")
    at.selectbox(key="inspection.tier").set_value("park")
    for number, (category, text) in enumerate([("fire", "Fire exit blocked"), ("electrical", "Open cable tray")], 1):
        if number == 2:
            next(b for b in at.button if b.label == "Add another hazard").click().run()
        at.selectbox(key=f"inspection.hazards[{number}].category").set_value(category)
        at.text_area(key=f"inspection.hazards[{number}].description").set_value(text)
        at.text_input(key=f"inspection.hazards[{number}].responsible_person").set_value("Li Na")
        at.date_input(key=f"inspection.hazards[{number}].deadline").set_value(today - timedelta(days=10))
    next(b for b in at.button if b.label == "Save inspection and hazards").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]

    after_inspection = standing(fresh_park, enterprise_id, today)
    assert after_inspection["overdue"] == 2
    assert after_inspection["score"] < 100.0
    assert after_inspection["status"] == "conditional"  # C2: hazards overdue by 1–30 days
    score, text = scorecard_page(enterprise_id)
    assert score == f"{shown_score(after_inspection['score']):.1f}"
    assert "Conditional" in text

    # the worklist on the same page: rectify, then verify, the first of the two
    engine = make_engine(fresh_park)
    with Session(engine) as session:
        first = session.execute(select(Hazard).where(col(Hazard.enterprise_id) == enterprise_id,
                                                     col(Hazard.description) == "Fire exit blocked")).scalars().one()
    engine.dispose()
    at.selectbox(key="worklist.pick").set_value(first.id).run()
    at.button(key="worklist.do.rectify").click().run()
    at.button(key="worklist.submit").click().run()
    at.button(key="worklist.do.verify").click().run()
    at.button(key="worklist.submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]

    after_closing = standing(fresh_park, enterprise_id, today)
    assert after_closing["overdue"] == 1
    assert after_closing["score"] > after_inspection["score"]
    score, _ = scorecard_page(enterprise_id)
    assert score == f"{shown_score(after_closing['score']):.1f}"
