"""docs/security.md names, for each line of the threat model, the tests that hold it: every test it names
exists, so a renamed or deleted test cannot leave a line of the model held by nothing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"
# `tests/x.py`, `tests/x.py::test_name` or, after one of those in the same line, `::test_name`
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+)(?:\[[^\]`]*\])?)?`")


def named_tests() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        current: str | None = None
        for match in REFERENCE.finditer(line):
            path, name = match.group(1), match.group(2)
            if path is None and name is None:
                continue
            current = path or current
            assert current is not None, f"{match.group(0)} names no file: {line}"
            found.append((current, name))
    return found


def test_the_threat_model_names_tests() -> None:
    assert len(named_tests()) > 60


def test_every_test_the_threat_model_names_exists() -> None:
    missing = []
    for path, name in named_tests():
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name is not None and not re.search(rf"^(async )?def {name}\(", file.read_text(encoding="utf-8"), re.M):
            missing.append(f"{path}::{name}")
    assert not missing, "docs/security.md names tests that do not exist: " + ", ".join(sorted(set(missing)))
