"""Which pages each role sees (DESIGN.md sections 1 and 5), in sidebar order.

The navigation is built from this on every run, so a page a role may not see is not
registered for that user at all and cannot be reached by its URL either.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from models.enums import Role

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class PageSpec:
    key: str  # the title's catalog key is page.<key>
    script: str  # file under pages/
    url_path: str
    icon: str
    roles: frozenset[Role]

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.script


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "overview.py", "overview", ":material/dashboard:", EVERYONE),
    PageSpec("risk_map", "risk_map.py", "risk-map", ":material/map:", EVERYONE),
    PageSpec("heatmaps", "heatmaps.py", "heatmaps", ":material/grid_on:", EVERYONE),
    PageSpec("scorecards", "scorecards.py", "scorecards", ":material/leaderboard:", EVERYONE),
    PageSpec("loans", "loans.py", "loans", ":material/account_balance:",
             frozenset({Role.finance, Role.committee, Role.admin})),
    PageSpec("briefing", "briefing.py", "briefing", ":material/summarize:",
             frozenset({Role.committee, Role.admin})),
    PageSpec("records", "records.py", "records", ":material/edit_note:", frozenset({Role.staff, Role.admin})),
    PageSpec("audit", "audit.py", "audit", ":material/history:", frozenset({Role.admin, Role.committee})),
    PageSpec("settings", "settings.py", "settings", ":material/settings:", frozenset({Role.admin})),
)


def pages_for(role: Role) -> list[PageSpec]:
    """The pages ``role`` may open, in sidebar order."""
    return [page for page in PAGES if role in page.roles]
