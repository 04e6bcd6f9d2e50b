"""Cached access to the services for pages.

One engine per process (``st.cache_resource``), migrated on first use. Query results
are cached with ``st.cache_data`` keyed by the data revision that every write bumps, so
an edit shows on the next rerun for every user and every app server.

The all-enterprise evaluation at a date and the tables built from it are the big reads: they are
kept once per process with ``st.cache_resource`` (no copy on every use, shared by every page and
session) and must be treated as read-only by their callers.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from dashboard.db import get_engine, upgrade
from dashboard.services.enterprise_table import enterprise_table
from dashboard.services.evaluation import EnterpriseEvaluation, evaluate_all
from dashboard.services.park import ParkSummary, park_summary
from dashboard.services.revision import current_revision
from dashboard.services.rule_settings import effective_rules
from dashboard.settings import RuleSettings, get_settings


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    eng = get_engine(url)
    upgrade(eng)
    return eng


def engine() -> Engine:
    """The process's engine for the configured database, with the schema upgraded to head."""
    return _engine(get_settings().effective_database_url)


def data_revision() -> int:
    with Session(engine()) as session:
        return current_revision(session)


@st.cache_data(show_spinner=False, max_entries=16)
def _park_summary(url: str, revision: int) -> ParkSummary:
    with Session(engine()) as session:
        return park_summary(session)


def load_park_summary() -> ParkSummary:
    return _park_summary(get_settings().effective_database_url, data_revision())


def database_key() -> tuple[str, int]:
    """The database URL and its current data revision: the first two arguments of every cached read.

    A cached read is a ``st.cache_data`` function of ``(url, revision, as_of, ...)`` that opens
    ``Session(engine())`` and calls a service; a write anywhere bumps the revision, so the
    next run reads afresh.
    """
    return get_settings().effective_database_url, data_revision()


@st.cache_data(show_spinner=False, max_entries=4)
def _rules(url: str, revision: int) -> RuleSettings:
    with Session(engine()) as session:
        return effective_rules(session)


def current_rules() -> RuleSettings:
    """The rule thresholds and weights in force: the settings' defaults with the administrator's changes."""
    return _rules(*database_key())


@st.cache_resource(show_spinner=False, max_entries=16)
def evaluations_at(url: str, revision: int, as_of: date) -> tuple[EnterpriseEvaluation, ...]:
    """Every enterprise's evaluation at ``as_of`` for the database at ``url`` as of data revision ``revision``
    (cached for the process; read-only)."""
    with Session(engine()) as session:
        return tuple(evaluate_all(session, as_of, current_rules()))


def load_evaluations(as_of: date) -> tuple[EnterpriseEvaluation, ...]:
    """Every enterprise's evaluation at ``as_of`` (the set-based pass), once per date and data revision
    for the whole process. Read-only."""
    return evaluations_at(*database_key(), as_of)


@st.cache_resource(show_spinner=False, max_entries=8)
def _enterprise_table(url: str, revision: int, as_of: date) -> pd.DataFrame:
    with Session(engine()) as session:
        return enterprise_table(session, as_of, current_rules(), load_evaluations(as_of))


def load_enterprise_table(as_of: date) -> pd.DataFrame:
    """Every enterprise at ``as_of``: identity, place, score, grade, colour, loan status, hazard counts.

    Shared by every session: read-only (filtering, ``assign`` and ``merge`` make new frames)."""
    return _enterprise_table(*database_key(), as_of)
