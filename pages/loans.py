"""Loan desk 信贷资格: which enterprises the park supports for loans, why not, and what would change it."""

from __future__ import annotations

import streamlit as st

from dashboard.charts.loans import enterprise_status_chart, park_status_chart
from dashboard.i18n import current_language, format_date, format_int, format_month, in_current_language, label, t
from dashboard.rules.loan_eligibility import STATUSES
from dashboard.services.facts import record_id
from dashboard.views.background import result_or_none, wait_for
from dashboard.views.context import as_of
from dashboard.views.loans import (
    OVERRIDE_MARK,
    code_option,
    export_csv,
    export_filename,
    export_frame,
    export_xlsx,
    filter_desk,
    load_desk_index,
    load_desk_table,
    load_enterprise_loan,
    load_status_history,
    override_section,
    park_status_history_now,
    park_today,
    shown_table,
    status_counts,
)
from dashboard.views.paging import page_of, pager
from dashboard.views.session import current_user
from dashboard.views.signed_in import on_click

ENTERPRISE_KEY = "loans_enterprise"
FLASH_KEY = "_loans_flash"
PAGE_KEY = "loans_page"

user = current_user()
if user is None:  # the app's gate signs users in before any page runs
    st.stop()
actor = user.actor
language = current_language()
day = as_of()
today = park_today()

st.title(t("page.loans"))
st.caption(t("loans.caption", date=format_date(day)))
flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash)

table = load_desk_table(day)
if table.empty:
    st.info(t("loans.empty"))
    st.stop()

# --- counts by status ---
effective = status_counts(table, "effective_status")
computed = status_counts(table, "loan_status")
overridden = int(table["override_id"].notna().sum())
metric_columns = st.columns(4)
for column, status in zip(metric_columns, STATUSES, strict=False):
    column.metric(label("loan_status", status), format_int(effective[status]), border=True,
                  help=t("loans.metric_help", computed=format_int(computed[status])))
metric_columns[3].metric(t("loans.overrides_metric"), format_int(overridden), border=True,
                         help=t("loans.overrides_help"))
st.caption(t("loans.computed_counts", **{status: format_int(computed[status]) for status in STATUSES},
             overrides=format_int(overridden)))

# --- filters ---
left, right = st.columns(2)
status_names = {status: label("loan_status", status) for status in STATUSES}
code_names = {code: code_option(code) for code in load_desk_index(day).codes}
statuses = left.multiselect(t("loans.filter_status"), STATUSES, format_func=status_names.__getitem__,
                            placeholder=t("loans.filter_all"), key="loans_status_filter")
codes = right.multiselect(t("loans.filter_rule"), list(code_names), format_func=code_names.__getitem__,
                          placeholder=t("loans.filter_all"), key="loans_rule_filter")
view = filter_desk(table, statuses, codes).reset_index(drop=True)

# --- the table, a page at a time ---
st.subheader(t("loans.table_heading"))
page = page_of(view, PAGE_KEY, (tuple(statuses), tuple(codes), language))
event = st.dataframe(
    shown_table(page), hide_index=True, key="loans_table", on_select="rerun", selection_mode="single-row",
    height=min(36 * (len(page) + 1) + 3, 460),
    column_config={
        "name": st.column_config.TextColumn(t("loans.col.name"), width="medium"),
        "industry": st.column_config.TextColumn(t("loans.col.industry")),
        "score": st.column_config.NumberColumn(t("loans.col.score"), format="%.1f", width="small"),
        "grade": st.column_config.TextColumn(t("loans.col.grade"), width="small"),
        "loan_status": st.column_config.TextColumn(t("loans.col.loan_status")),
        "effective_status": st.column_config.TextColumn(t("loans.col.effective_status"),
                                                        help=t("loans.effective_help", mark=OVERRIDE_MARK)),
        "loan_rules": st.column_config.TextColumn(t("loans.col.loan_rules")),
        "reasons": st.column_config.TextColumn(t("loans.col.reasons"), width="large"),
    },
)
pager(len(view), PAGE_KEY)
st.caption(t("loans.shown", shown=format_int(len(view)), total=format_int(len(table)), mark=OVERRIDE_MARK))

# the exports hold every row of the view, and are made when clicked
buttons = st.container(horizontal=True)
buttons.download_button(
    t("loans.export_csv"), in_current_language(on_click(lambda _: export_csv(export_frame(view)), page="loans")),
    file_name=export_filename(day, "csv"), mime="text/csv", icon=":material/download:", key="loans_csv",
    on_click="ignore",
)
buttons.download_button(
    t("loans.export_xlsx"),
    in_current_language(on_click(lambda _: export_xlsx(export_frame(view),
                                                       title=t("loans.export_title", date=day.isoformat()),
                                                       sheet_name=t("loans.export_sheet", date=day.isoformat())),
                                 page="loans")),
    file_name=export_filename(day, "xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table_view:", key="loans_xlsx", on_click="ignore",
)

index = load_desk_index(day)
ids, names = index.ids, index.names

# --- the park over the last twelve month-ends ---
st.subheader(t("loans.history_heading"))
history_job = park_status_history_now(day)
history = result_or_none(history_job)
if history is None:
    wait_for(history_job, t("loans.history_computing"))
else:
    st.altair_chart(park_status_chart(history.counts), width="stretch")
if history is not None and history.before_on is not None and history.after_on is not None:
    months = {"before": format_month(history.before_on), "after": format_month(history.after_on)}
    if history.changes.empty:
        st.caption(t("loans.no_changes", **months))
    else:
        st.markdown(t("loans.changes_heading", count=format_int(len(history.changes)), **months))
        changes = history.changes.assign(
            name=[names.get(int(i), n) for i, n in zip(history.changes["enterprise_id"], history.changes["name"],
                                                       strict=True)],
            before=[label("loan_status", s) for s in history.changes["before"]],
            after=[label("loan_status", s) for s in history.changes["after"]],
        )
        st.dataframe(changes[["name", "before", "after"]], hide_index=True, key="loans_changes", column_config={
            "name": st.column_config.TextColumn(t("loans.col.name")),
            "before": st.column_config.TextColumn(t("loans.changes_before", month=months["before"])),
            "after": st.column_config.TextColumn(t("loans.changes_after", month=months["after"])),
        })

# --- one enterprise ---
st.subheader(t("loans.enterprise_heading"))
requested = st.query_params.get("enterprise")
if requested and requested != st.session_state.get("_loans_query"):
    st.session_state["_loans_query"] = requested
    wanted = record_id(requested)
    if wanted is not None and wanted in names:
        st.session_state[ENTERPRISE_KEY] = wanted
    else:  # not an id, or none the desk holds: say so, and go on with the desk's own choice
        st.warning(t("loans.unknown_enterprise", value=requested))
rows = event.selection.rows if event is not None else []
if rows:
    picked = int(page.iloc[rows[0]]["enterprise_id"])
    if picked != st.session_state.get("_loans_row"):
        st.session_state["_loans_row"] = picked
        st.session_state[ENTERPRISE_KEY] = picked
if st.session_state.get(ENTERPRISE_KEY) not in names:
    st.session_state[ENTERPRISE_KEY] = int(view["enterprise_id"].iloc[0]) if len(view) else ids[0]
chosen = int(st.selectbox(t("loans.pick"), ids, format_func=names.__getitem__, key=ENTERPRISE_KEY,
                          help=t("loans.pick_help")))
if st.query_params.get("enterprise") != str(chosen):
    st.query_params["enterprise"] = str(chosen)
    st.session_state["_loans_query"] = str(chosen)

loan = load_enterprise_loan(day, chosen)
status_column, effective_column, override_column = st.columns(3)
status_column.metric(t("loans.computed_status"), label("loan_status", loan.status), border=True)
effective_column.metric(t("loans.effective_status"), label("loan_status", loan.effective_status), border=True,
                        delta=t("loans.changed_by_override") if loan.effective_status != loan.status else None,
                        delta_color="off", delta_arrow="off")
override_column.metric(t("loans.override_in_force"),
                       format_date(loan.override.expires_on) if loan.override else t("loans.none"), border=True,
                       help=t("loans.override_expires_help"))

st.markdown(f"**{t('loans.path_heading')}**")
if not loan.path and loan.effective_status != loan.status:
    st.info(t("loans.path_clear_override", status=label("loan_status", loan.effective_status)))
elif not loan.path:
    st.success(t("loans.path_clear"))
for step in loan.path:
    kind = t("loans.rule_ineligible") if step.makes_ineligible else t("loans.rule_conditional")
    box = st.container(border=True)
    box.markdown(f"**{step.code} · {t(f'loans.code.{step.code}')}** — {kind}")
    box.markdown(t("loans.why", text=step.reason))
    box.markdown(t("loans.remedy", text=step.remedy))

st.markdown(f"**{t('loans.status_history_heading')}**")
months_frame = load_status_history(day, chosen)
st.altair_chart(enterprise_status_chart(months_frame), width="stretch")

override_section(loan, chosen, names[chosen], actor, today, FLASH_KEY)
