"""Views and pages save in one way only: ``dashboard/views/signed_in.save``, which acts for the user signed in
when the save runs (issue 13, item 1). A view that opened a write transaction of its own would act for a user
read on an earlier run, so none does, apart from the few places listed here with the reason."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITING = re.compile(r"\bwriting\(|\bsession_scope\(|\.commit\(\)")
ALLOWED = {
    "dashboard/views/signed_in.py": "the one way a view saves",
    "dashboard/views/session.py": "signing in and out: they open and end the session itself",
    "dashboard/views/settings.py": "the backup's audit row, written after signed_in.on_click has checked the session",
}


def test_no_view_or_page_opens_a_write_transaction_of_its_own() -> None:
    offenders = []
    for folder in ("dashboard/views", "pages"):
        for path in sorted((ROOT / folder).glob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if WRITING.search(line):
                    offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders, "save through dashboard.views.signed_in.save instead:\n" + "\n".join(offenders)


def test_the_settings_page_writes_only_the_backups_audit_row_itself() -> None:
    source = (ROOT / "dashboard/views/settings.py").read_text(encoding="utf-8")
    assert len(WRITING.findall(source)) == 2  # writing(...) and its commit, in database_copy
    assert "on_click(make, page=\"settings\", permission=Permission.manage_settings)" in source
