"""The loan desk's cached reads, its table and export in the user's language, and its writes.

Reads are cached by (database, data revision, as-of date, ...); a saved or ended override bumps
the revision, so the next run reads afresh for every user.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from dashboard.clock import park_today
from dashboard.i18n import current_language, format_date, label, name_in_language, t
from dashboard.rules.loan_eligibility import STATUSES
from dashboard.services.loan_desk import (
    EnterpriseLoan,
    ParkStatusHistory,
    codes_in,
    enterprise_loan,
    export_csv,
    export_filename,
    export_xlsx,
    filter_desk,
    override_history,
    park_status_history,
    park_status_history_of,
    rule_codes,
    rule_texts,
    status_counts,
    status_history,
)
from dashboard.services.loan_overrides import create_override, end_override
from dashboard.services.permissions import Actor, Permission, PermissionDenied
from dashboard.views.background import INLINE_ENTERPRISES, job
from dashboard.views.context import EARLIEST
from dashboard.views.data import (
    current_rules,
    database_key,
    engine,
    evaluations_at,
    load_enterprise_table,
    load_evaluations,
)
from dashboard.views.forms_common import plain
from dashboard.views.signed_in import save
from models.enums import LoanDecision
from models.loan import LoanOverride
from models.validation import RecordInvalid

# the page's pure helpers over the desk table, re-exported so that the page imports only this module
__all__ = ["export_csv", "export_filename", "export_xlsx", "filter_desk", "park_today", "status_counts"]

OVERRIDE_MARK = "✎"


@st.cache_resource(show_spinner=False, max_entries=8)  # shared and read-only: one row per enterprise
def _desk_table(url: str, revision: int, as_of: date, language: str) -> pd.DataFrame:
    table = load_enterprise_table(as_of)
    texts = rule_texts({r.enterprise_id: r.loan.rules for r in load_evaluations(as_of)}, language)
    desk = table.merge(texts, on="enterprise_id", how="left")
    desk[["reasons", "remedies"]] = desk[["reasons", "remedies"]].fillna("")
    desk["shown_name"] = shown_names(desk)
    rank = {status: index for index, status in enumerate(STATUSES)}
    desk = desk.assign(_rank=desk["effective_status"].map(rank))
    return desk.sort_values(["_rank", "score", "name"], kind="stable").drop(columns="_rank").reset_index(drop=True)


@dataclass(frozen=True)
class DeskIndex:
    """The desk's lookups: enterprise ids by shown name (the picker's order), shown names by id, and the
    rule codes that hold for someone."""

    ids: list[int]
    names: dict[int, str]
    codes: list[str]


@st.cache_resource(show_spinner=False, max_entries=8)
def _desk_index(url: str, revision: int, as_of: date, language: str) -> DeskIndex:
    table = _desk_table(url, revision, as_of, language)
    return DeskIndex(
        ids=[int(i) for i in table.sort_values("shown_name")["enterprise_id"]],
        names=dict(zip(table["enterprise_id"].astype(int), table["shown_name"], strict=True)),
        codes=codes_in(table),
    )


def load_desk_index(as_of: date) -> DeskIndex:
    """The desk's lookups at ``as_of`` in the user's language (read-only, shared)."""
    return _desk_index(*database_key(), as_of, current_language())


def load_desk_table(as_of: date) -> pd.DataFrame:
    """The enterprise table at ``as_of`` with each enterprise's reasons and remedies in the user's
    language, the worst effective status first, then the lowest score (read-only: shared by every session)."""
    return _desk_table(*database_key(), as_of, current_language())


def shown_names(table: pd.DataFrame) -> list[str]:
    """Each enterprise's name as the user reads it: the English name on the English page, when there is one."""
    return [name_in_language(str(name), english) for name, english in zip(table["name"], table["name_en"], strict=True)]


@st.cache_data(show_spinner=False, max_entries=32)
def _enterprise_loan(url: str, revision: int, as_of: date, enterprise_id: int, language: str) -> EnterpriseLoan:
    with Session(engine()) as session:
        return enterprise_loan(session, enterprise_id, as_of, current_rules(), language)


def load_enterprise_loan(as_of: date, enterprise_id: int) -> EnterpriseLoan:
    return _enterprise_loan(*database_key(), as_of, enterprise_id, current_language())


@st.cache_data(show_spinner=False, max_entries=32)
def _status_history(url: str, revision: int, as_of: date, enterprise_id: int) -> pd.DataFrame:
    with Session(engine()) as session:
        return status_history(session, enterprise_id, as_of, current_rules())


def load_status_history(as_of: date, enterprise_id: int) -> pd.DataFrame:
    return _status_history(*database_key(), as_of, enterprise_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _override_history(url: str, revision: int, enterprise_id: int) -> pd.DataFrame:
    with Session(engine()) as session:
        return override_history(session, enterprise_id)


def load_override_history(enterprise_id: int) -> pd.DataFrame:
    return _override_history(*database_key(), enterprise_id)


def park_status_history_now(as_of: date) -> Future[ParkStatusHistory]:
    """The park's status at the last twelve month-ends: twelve all-enterprise passes. A small park's is
    computed in the page's run (sharing the cached evaluations); a larger one's beside the page
    (:mod:`dashboard.views.background`), once per date and data revision for every session."""
    url, revision = database_key()
    if len(load_evaluations(as_of)) <= INLINE_ENTERPRISES:
        done: Future[ParkStatusHistory] = Future()
        done.set_result(_inline_history(url, revision, as_of))
        return done
    return job(("park_status_history", url, revision, as_of), park_status_history_of, url, as_of, current_rules())


@st.cache_resource(show_spinner=False, max_entries=8)
def _inline_history(url: str, revision: int, as_of: date) -> ParkStatusHistory:
    with Session(engine()) as session:
        return park_status_history(session, as_of, current_rules(),
                                   evaluate_at=lambda day: evaluations_at(url, revision, day))


# --- the table as the user reads it -------------------------------------------------------------


def effective_text(effective: str, computed: str) -> str:
    """The effective status's name, marked when an override changes the computed status."""
    text = label("loan_status", effective)
    if effective != computed:
        return f"{text} {OVERRIDE_MARK}"
    return text


def code_names(value: object) -> str:
    """``"L1,C2"`` → ``"L1, C2"``."""
    return ", ".join(rule_codes(value))


def code_option(code: str) -> str:
    """A rule code with its short name, for the rule filter: ``L1 · Signage``."""
    return f"{code} · {t(f'loans.code.{code}')}"


def shown_table(view: pd.DataFrame) -> pd.DataFrame:
    """The desk's table for ``st.dataframe``: names and labels in the user's language."""
    return pd.DataFrame({
        "name": view["shown_name"],
        "industry": [label("industry", value) for value in view["industry"]],
        "score": view["score"].astype(float),
        "grade": view["grade"],
        "loan_status": [label("loan_status", value) for value in view["loan_status"]],
        "effective_status": [effective_text(status, computed)
                             for status, computed in zip(view["effective_status"], view["loan_status"], strict=True)],
        "loan_rules": [code_names(value) for value in view["loan_rules"]],
        "reasons": view["reasons"],
    })


EXPORT_COLUMNS = (
    "enterprise_id", "uscc", "name", "industry", "score", "grade", "loan_status", "effective_status", "override",
    "loan_rules", "reasons", "remedies",
)


def export_frame(view: pd.DataFrame) -> pd.DataFrame:
    """The current view as the bank gets it: one row per enterprise, headers and values in the user's language."""
    yes, no = t("loans.yes"), t("loans.no")
    data: dict[str, object] = {
        "enterprise_id": view["enterprise_id"].astype(int),
        "uscc": view["uscc"],
        "name": view["name"],
        "industry": [label("industry", value) for value in view["industry"]],
        "score": view["score"].astype(float),
        "grade": view["grade"],
        "loan_status": [label("loan_status", value) for value in view["loan_status"]],
        "effective_status": [label("loan_status", value) for value in view["effective_status"]],
        "override": [yes if pd.notna(value) else no for value in view["override_id"]],
        "loan_rules": [code_names(value) for value in view["loan_rules"]],
        "reasons": view["reasons"],
        "remedies": view["remedies"],
    }
    columns = list(EXPORT_COLUMNS)
    if current_language() == "en":  # the legal (Chinese) name, and the English one beside it
        data["name_en"] = view["name_en"].fillna("")
        columns.insert(columns.index("name") + 1, "name_en")
    frame = pd.DataFrame(data, columns=columns)
    return frame.rename(columns={column: t(f"loans.col.{column}") for column in columns})


# --- writes -------------------------------------------------------------------------------------


def save_override(data: Mapping[str, Any], today: date) -> LoanOverride:
    """Record an override for the user signed in now (raises PermissionDenied or RecordInvalid; nothing is
    written then)."""
    rules = current_rules()
    return save(lambda s, actor: create_override(session=s, actor=actor, data=data, today=today, rules=rules))


def stop_override(override_id: int, today: date) -> None:
    """End an override from today on, for the user signed in now (raises PermissionDenied or RecordInvalid)."""
    save(lambda s, actor: end_override(session=s, actor=actor, override_id=override_id, today=today))


def override_section(loan: EnterpriseLoan, chosen: int, name: str, actor: Actor, today: date, flash_key: str) -> None:
    """The enterprise's override in force and its past overrides; for finance and admin, ending the override
    and the form for a new one (a refused save shows every problem and writes nothing). ``actor`` decides only
    what is shown; a save acts for the user signed in when it runs."""
    language = current_language()
    st.markdown(f"**{t('loans.override_heading')}**")
    if loan.override is not None:
        o = loan.override
        st.info(t("loans.override_text", decision=label("loan_decision", o.decision), reason=plain(o.reason),
                  author=plain(o.decided_by), decided=format_date(o.decided_on), expires=format_date(o.expires_on)))
        may_end = actor.may(Permission.override_loans) and o.expires_on >= today
        if may_end and st.button(t("loans.end_override"), key="loans_end", icon=":material/event_busy:"):
            try:
                stop_override(o.id, today)
            except (RecordInvalid, PermissionDenied) as refused:
                messages = refused.messages(language) if isinstance(refused, RecordInvalid) else [t("loans.denied")]
                st.error("\n\n".join(messages))
            else:
                st.session_state[flash_key] = t("loans.ended", name=name)
                st.rerun()
    else:
        st.caption(t("loans.no_override"))

    recorded = load_override_history(chosen)
    if not recorded.empty:
        st.dataframe(
            recorded.assign(decision=[label("loan_decision", d) for d in recorded["decision"]]).drop(columns="id"),
            hide_index=True, key="loans_overrides",
            column_config={
                "decision": st.column_config.TextColumn(t("loans.form.decision"), width="small"),
                "reason": st.column_config.TextColumn(t("loans.form.reason"), width="large"),
                "decided_by": st.column_config.TextColumn(t("loans.decided_by"), width="small"),
                "decided_on": st.column_config.DateColumn(t("loans.decided_on"), format="YYYY-MM-DD", width="small"),
                "expires_on": st.column_config.DateColumn(t("loans.form.expires_on"), format="YYYY-MM-DD",
                                                          width="small"),
            },
        )

    if not actor.may(Permission.override_loans):
        st.caption(t("loans.override_roles"))
        return

    max_days = current_rules().loan_override_max_days
    decisions = [str(d) for d in LoanDecision]
    decision_names = {d: label("loan_decision", d) for d in decisions}
    suggested = "ineligible" if loan.status == "eligible" else "eligible"
    with st.form("loans_override_form"):
        st.markdown(f"**{t('loans.form.heading', name=plain(name))}**")
        st.caption(t("loans.form.caption", days=max_days, today=format_date(today)))
        decision = st.radio(t("loans.form.decision"), decisions, index=decisions.index(suggested), horizontal=True,
                            format_func=decision_names.__getitem__, key="loans_form_decision")
        reason = st.text_area(t("loans.form.reason"), max_chars=4000, key="loans_form_reason",
                              placeholder=t("loans.form.reason_placeholder"))
        # The limit is not the widget's max_value: Streamlit silently puts an out-of-range date back to the default,
        # which would save an expiry the user did not choose. The service refuses it with a message naming the field.
        expires_on = st.date_input(t("loans.form.expires_on"), value=today + timedelta(days=90), format="YYYY-MM-DD",
                                   min_value=EARLIEST, max_value=today + timedelta(days=3650), key="loans_form_expires",
                                   help=t("loans.form.expires_help", days=max_days,
                                          last=format_date(today + timedelta(days=max_days))))
        submitted = st.form_submit_button(t("loans.form.save"), type="primary", icon=":material/gavel:")
    if submitted:
        data = {"enterprise_id": chosen, "decision": decision, "reason": reason, "expires_on": expires_on}
        try:
            save_override(data, today)
        except RecordInvalid as refused:
            st.error(t("loans.form.refused") + "\n\n" + "\n\n".join(f"- {m}" for m in refused.messages(language)))
        except PermissionDenied:
            st.error(t("loans.denied"))
        else:
            st.session_state[flash_key] = t("loans.form.saved", name=name,
                                             decision=label("loan_decision", decision))
            st.rerun()
