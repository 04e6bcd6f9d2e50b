"""A page with only the hazard worklist panel, for AppTest: the language as the app would resolve it
(``tests.apptest`` puts it in the session), then the panel for the user whose token is in the session.
The app itself shows the panel in a tab of the Records page."""

from dashboard.views.context import resolve_language
from dashboard.views.hazard_worklist import hazard_worklist

resolve_language()
hazard_worklist()
