"""Audit trail 操作日志 (admin, committee): who changed what and when, filtered by user, table,
action, date and record, newest first, with what each change changed and a CSV export."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import format_int, t
from dashboard.services.permissions import Permission
from dashboard.views.audit import (
    asked_page,
    change_table,
    describe,
    entries_table,
    export_button,
    filters_form,
    load_choices,
    load_page,
    pager,
)
from dashboard.views.session import current_user

user = current_user()
if user is None:  # the app's gate signs users in before any page runs
    st.stop()
if not user.actor.may(Permission.view_audit):
    st.error(t("audit.denied"))
    st.stop()

st.title(t("page.audit"))
st.caption(t("audit.caption"))

filters, page_size = filters_form(load_choices(user.actor))
page = load_page(user.actor, filters, asked_page(filters, page_size), page_size)

if page.total == 0:
    st.info(t("audit.empty"), icon=":material/search_off:")
    st.stop()

head, export = st.columns((3, 1), vertical_alignment="bottom")
head.subheader(t("audit.matching", n=format_int(page.total)))
with export:
    export_button(user.actor, filters)
entries_table(page.entries)
pager(page)

st.subheader(t("audit.diff.title"))
by_id = {entry.id: entry for entry in page.entries}
names = {entry.id: describe(entry) for entry in page.entries}
# open on the newest entry that changed something (sign-ins record no fields)
first_change = next((i for i, entry in enumerate(page.entries) if entry.before_json or entry.after_json), 0)
picked = st.selectbox(t("audit.diff.pick"), list(by_id), index=first_change, format_func=names.__getitem__)
if picked is not None:
    change_table(by_id[picked])
