"""Settings 系统设置 (admin): the accounts, the rule thresholds and weights with their defaults,
and a download of a consistent copy of the database."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.services.permissions import Permission
from dashboard.views.session import current_user
from dashboard.views.settings import backup_section, rules_section, show_flash, users_section

user = current_user()
if user is None:  # the app's gate signs users in before any page runs
    st.stop()
if not (user.actor.may(Permission.manage_settings) and user.actor.may(Permission.manage_users)):
    st.error(t("settings.denied"))
    st.stop()

st.title(t("page.settings"))
show_flash()

users_tab, rules_tab, backup_tab = st.tabs([t("settings.tab.users"), t("settings.tab.rules"), t("settings.tab.backup")])
with users_tab:
    users_section()
with rules_tab:
    rules_section()
with backup_tab:
    backup_section()
