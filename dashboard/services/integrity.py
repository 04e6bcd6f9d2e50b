"""Turn a refusal by the database (unique, check, foreign key) into a field problem,
so a race that slips past validation still gets a clear message and writes nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError

from models.validation import FieldProblem, RecordInvalid

_CONSTRAINT = re.compile(r"\b(uq|ck|fk)_([a-z_]+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (\w+)\.(\w+)")


def refused_by_database(error: IntegrityError, values: Mapping[str, Any]) -> RecordInvalid:
    """The problem the database reported, named by field where the constraint tells it."""
    text = str(error.orig)
    unique = _SQLITE_UNIQUE.search(text)
    if unique:
        column = unique.group(2)
        return RecordInvalid([FieldProblem(column, "duplicate", {"value": values.get(column, "")})])
    match = _CONSTRAINT.search(text)
    if match:
        kind, rest = match.groups()
        for column in sorted(values, key=len, reverse=True):
            if column in rest:
                code = "duplicate" if kind == "uq" else "unknown_reference" if kind == "fk" else "invalid"
                return RecordInvalid(
                    [FieldProblem(column, code, {"value": values.get(column, ""), "detail": f"{kind}_{rest}"})]
                )
    if "FOREIGN KEY" in text.upper():
        return RecordInvalid([FieldProblem("__record__", "invalid", {"detail": "a referenced record does not exist"})])
    return RecordInvalid([FieldProblem("__record__", "invalid", {"detail": text.splitlines()[0]})])
