"""Records 数据维护: staff keep the park's records true – pick an enterprise, then create, correct or
delete its records, one tab per table."""

from __future__ import annotations

import streamlit as st

from dashboard.clock import park_today
from dashboard.i18n import t
from dashboard.services.permissions import Permission
from dashboard.views.forms_children import (
    accident_tab,
    dishonesty_tab,
    enforcement_tab,
    inspection_tab,
    signs_tab,
    training_tab,
)
from dashboard.views.hazard_worklist import hazard_worklist
from dashboard.views.imports import import_panel
from dashboard.views.record_forms import Context, enterprise_picker, enterprise_tab, hazard_tab
from dashboard.views.session import current_user

user = current_user()
if user is None:  # the app's gate signs users in before any page runs
    st.stop()
if not user.actor.may(Permission.edit_records):
    st.error(t("records.denied"))
    st.stop()

st.title(t("page.records"))
st.caption(t("records.caption"))

enterprise_id = enterprise_picker()
ctx = Context(display_name=user.display_name, today=park_today(), enterprise_id=enterprise_id)

TABS = (
    ("worklist", lambda _ctx: hazard_worklist(), False),
    ("enterprise", enterprise_tab, False),
    ("signs", signs_tab, True),
    ("inspection", inspection_tab, True),
    ("hazard", hazard_tab, True),
    ("accident", accident_tab, True),
    ("training", training_tab, True),
    ("enforcement", enforcement_tab, True),
    ("dishonesty", dishonesty_tab, True),
    ("import", lambda _ctx: import_panel(), False),
)
tabs = st.tabs([t(f"records.tab.{name}") for name, _, _ in TABS])
for tab, (_, draw_tab, needs_enterprise) in zip(tabs, TABS, strict=True):
    with tab:
        if needs_enterprise and enterprise_id is None:
            st.info(t("records.pick_first"), icon=":material/arrow_upward:")
        else:
            draw_tab(ctx)
