"""Views and pages save in one way only: ``dashboard/views/signed_in.save``, which acts for the user signed in
when the save runs (issue 13, item 1), inside ``views/faults.write``, which turns a database that cannot take the
write into the one message (issue 14). A view that opened a write transaction of its own would act for a user
read on an earlier run, or meet a database fault its own way, so none does, apart from the places listed here
with the reason; each of those runs its transaction through ``faults.write`` too."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITING = re.compile(r"\bwriting\(|\bsession_scope\(|\.commit\(\)")
ALLOWED = {
    "dashboard/views/signed_in.py": "the one way a view saves",
    "dashboard/views/session.py": "signing in and out: they open and end the session itself",
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


def test_the_allowed_write_transactions_meet_database_faults_through_faults_write() -> None:
    for name in ALLOWED:
        source = (ROOT / name).read_text(encoding="utf-8")
        assert len(re.findall(r"\bwriting\(", source)) == len(re.findall(r"\bwrite\(", source)), name

