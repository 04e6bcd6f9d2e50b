"""Bulk export (DESIGN.md section 6): every record of one table as CSV or XLSX, by the file's extension.

An export is an import file: the same columns (the contract's names, children naming their
enterprise by ``uscc`` and carrying their ``id``), so importing it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from dashboard.services.imports import table_spec
from dashboard.services.record_tables import RecordTable
from dashboard.services.tabular import file_format, write_table
from models import Enterprise
from models.validation import FieldProblem, RecordInvalid

__all__ = ["export_bytes", "export_file", "export_rows"]


def export_rows(session: Session, table: str) -> tuple[list[str], Iterator[list[Any]]]:
    """The file's columns and its rows, in id order."""
    spec = table_spec(table)
    return list(spec.columns), _rows(session, spec)


def _rows(session: Session, spec: RecordTable) -> Iterator[list[Any]]:
    if not spec.child:
        query = select(Enterprise).order_by(col(Enterprise.id))
        for enterprise in session.execute(query).scalars():
            yield [getattr(enterprise, column) for column in spec.columns]
        return
    row_table: Any = spec.table
    query_child = (select(row_table, col(Enterprise.uscc))
                   .join(Enterprise, col(Enterprise.id) == row_table.enterprise_id)
                   .order_by(row_table.id))
    for record, uscc in session.execute(query_child):
        yield [uscc if column == "uscc" else getattr(record, column) for column in spec.columns]


def export_bytes(session: Session, table: str, fmt: str) -> tuple[bytes, int]:
    """The export of ``table`` as ``fmt`` (csv or xlsx) and how many records it holds."""
    columns, rows = export_rows(session, table)
    counted: list[list[Any]] = list(rows)
    return write_table(fmt, columns, counted, sheet_title=table), len(counted)


def export_file(session: Session, table: str, path: Path) -> int:
    """Write the export of ``table`` to ``path`` (.csv or .xlsx); the number of records written."""
    fmt = file_format(path.name)
    if fmt is None:
        raise RecordInvalid([FieldProblem("__file__", "file_type", {"value": path.name})])
    content, count = export_bytes(session, table, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return count
