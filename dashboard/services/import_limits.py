"""What a file must be before the import reads it (services/tabular.py parses it).

The largest file the import takes, and what it costs to check it on a 2-core machine:

- at most :data:`dashboard.services.tabular.MAX_BYTES` (10 MB) and
  :data:`dashboard.services.tabular.MAX_ROWS` (100,000) data rows — a county's table in one
  file; more must be split. A CSV of that size is checked (the preview) in about 3.7 s (`park-safety bench --import`).
- an XLSX is a zip: its parts may declare at most :data:`MAX_XLSX_UNPACKED` (24 MB) unpacked,
  no part larger than 1 MB packed more than :data:`MAX_XLSX_RATIO` times. The sizes a part declares
  bound what can be read out of it (Python's zipfile stops at the declared size and fails the CRC),
  so these are checked before a byte is parsed: a 100 KB workbook that would unpack to 100 MB of
  shared strings is refused in a millisecond. Parsing costs about a second per 4 MB of sheet XML,
  so the largest workbook allowed (about 30,000 rows of 17 columns) is checked within 10 s; a
  larger table goes as CSV or in several workbooks.

A CSV is UTF-8 or GBK/GB18030 as a whole: a file whose lines mix the two (a GBK file with lines
pasted in from a UTF-8 one) would be read with garbled text, so it is refused, naming the first
line in the other encoding.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from dashboard.services.tabular import CellProblem, Sheet, file_format, read_table
from models.validation import FieldProblem

MAX_XLSX_UNPACKED = 24 * 1024 * 1024
"""An XLSX whose parts declare more than this (24 MB) unpacked is refused before it is parsed."""
MAX_XLSX_RATIO = 200
"""A part of an XLSX larger than 1 MB unpacked that is packed more than this many times is refused (a zip
bomb); sheets as spreadsheets write them pack 5 to 30 times."""
_ENCODING_NAMES = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030"}
_PROBLEMS = ("mixed_encoding", "xlsx_unpacked_too_large", "xlsx_packed_too_tightly")


def _register_messages() -> None:
    """The problems named here are worded in the import panel's catalogs (``imports.problem.<code>`` in
    dashboard/i18n/{en,zh}/imports.py); the problem catalog (models.messages) finds them there."""
    from contextvars import copy_context

    from dashboard.i18n import set_language, t
    from models.messages import MESSAGES

    def template(code: str, language: str) -> str:
        context = copy_context()
        context.run(set_language, language)
        return context.run(lambda: t(f"imports.problem.{code}"))  # without parameters: the template itself

    for code in _PROBLEMS:
        MESSAGES.setdefault(code, {language: template(code, language) for language in ("en", "zh")})


_register_messages()


def _file_problem(code: str, **params: Any) -> CellProblem:
    return CellProblem(None, None, FieldProblem("__file__", code, params))


def read_checked(filename: str, data: bytes) -> Sheet:
    """The file's table as :func:`read_table` reads it, once it has passed the checks here; else a sheet
    holding the one problem that refuses it."""
    kind = file_format(filename)
    problem = None
    if kind == "csv":
        problem = mixed_encoding_problem(data)
    elif kind == "xlsx":
        problem = unpacked_problem(filename, data)
    if problem is not None:
        return Sheet(problems=[problem])
    return read_table(filename, data)


# --- CSV: one encoding -----------------------------------------------------------------------------


def _chinese_utf8(line: bytes) -> bool:
    """Whether ``line`` is UTF-8 holding Chinese text (GBK text almost never is: its byte pairs are not
    UTF-8's three-byte sequences; the rare GBK pair that is UTF-8 reads as a Latin letter, not Chinese)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"
               for ch in text)


def mixed_encoding_line(data: bytes) -> tuple[int, str, str] | None:
    """The first line (counted from 1, the header being line 1) of a CSV whose lines mix UTF-8 and GBK,
    with the encoding of the lines before it and its own; None for a file in one encoding.

    The file's encoding is that of its first line with Chinese text (UTF-8 when it starts with a BOM); the
    first line in the other one is named. A line whose non-ASCII text reads as UTF-8 but holds no Chinese
    (an accent, a symbol) could be either and counts for neither."""
    try:
        data.decode("utf-8-sig")
        return None  # UTF-8 throughout
    except UnicodeDecodeError:
        pass
    first: str | None = "utf-8" if data.startswith(b"\xef\xbb\xbf") else None
    for number, line in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if line.isascii():
            continue
        if _chinese_utf8(line):
            kind = "utf-8"
        else:
            try:
                line.decode("utf-8")
                continue
            except UnicodeDecodeError:
                pass
            try:
                line.decode("gb18030")
            except UnicodeDecodeError:
                return None  # neither: junk, which the reader refuses as such
            kind = "gb18030"
        if first is None:
            first = kind
        elif kind != first:
            return number, first, kind
    return None


def mixed_encoding_problem(data: bytes) -> CellProblem | None:
    """The problem of a CSV that is not UTF-8 as a whole because it mixes UTF-8 lines with GBK ones (read as
    GB18030 the UTF-8 lines would be garbled, or the file refused as binary)."""
    try:
        data.decode("utf-8-sig")
        return None  # UTF-8 throughout
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        return None  # binary: the reader says so
    mixed = mixed_encoding_line(data)
    if mixed is None:
        return None
    line, before, found = mixed
    return _file_problem("mixed_encoding", line=line, row=max(line - 1, 0), encoding=_ENCODING_NAMES[before],
                         other=_ENCODING_NAMES[found])


# --- XLSX: what it unpacks to ----------------------------------------------------------------------


def unpacked_problem(filename: str, data: bytes) -> CellProblem | None:
    """Why a workbook is refused before it is parsed: parts too large unpacked, or packed too tightly (by
    the sizes they declare). A file that is not a zip is left to the reader, which says so."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    total = sum(member.file_size for member in members)
    if total > MAX_XLSX_UNPACKED:
        return _file_problem("xlsx_unpacked_too_large", file=name, size=f"{total / 1024 / 1024:,.0f}",
                             limit=MAX_XLSX_UNPACKED // 1024 // 1024)
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1):
            return _file_problem("xlsx_packed_too_tightly", file=name, part=member.filename,
                                 size=f"{member.file_size / 1024 / 1024:,.0f}",
                                 packed=f"{member.compress_size / 1024:,.0f}", limit=MAX_XLSX_RATIO)
    return None
