"""The ``park-safety`` command (DESIGN.md section 6).

Every command takes ``--database-url`` (default: ``PARK_SAFETY_DATABASE_URL``, else the
embedded SQLite file). A user's mistake ends with a one-line message and a non-zero
exit status, never a traceback.

Each command imports what it uses when it runs, and nothing here imports more than click at the
top: ``--help`` answers without loading SQLAlchemy or the settings, and ``scorecards`` and ``loans``
never load the dashboard's libraries (Streamlit, pandas, altair, pydeck, WeasyPrint), which would
cost them seconds (``tests/test_cli_startup.py``).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from dashboard.cycle_collection import cycle_collection_paused
from dashboard.services.record_tables import IMPORTABLE

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from dashboard.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])

SERVER_SCRIPT = Path(__file__).resolve().parent / "server.py"
STREAMLIT_CONFIG = Path(__file__).resolve().parent / ".streamlit" / "config.toml"


class Failure(click.ClickException):
    """A one-line error for the user; exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"park-safety: error: {self.format_message()}", err=True)


class IsoDate(click.ParamType):
    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-05-01", param, ctx)


def database_url_option(func: F) -> F:
    return click.option(
        "--database-url",
        envvar="PARK_SAFETY_DATABASE_URL",
        default=None,
        metavar="URL",
        help="SQLAlchemy URL of the database (default: PARK_SAFETY_DATABASE_URL, else the embedded SQLite file).",
    )(func)


def friendly_errors(func: F) -> F:
    """Turn the errors a user can cause into one-line messages."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as error:
            failure = _user_failure(error)
            if failure is None:
                raise
            raise failure from None

    return wrapper  # type: ignore[return-value]


def _user_failure(error: Exception) -> Failure | None:
    """The one-line message for an error a user can cause; None for any other. The error classes are
    imported here, when something failed, so that no command loads the modules that define them."""
    from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

    from dashboard.services.backup import BackupError
    from dashboard.services.permissions import PermissionDenied
    from models.validation import RecordInvalid
    from seed import SeedError

    if isinstance(error, RecordInvalid | SeedError | BackupError | PermissionDenied):
        return Failure(str(error))
    if isinstance(error, ArgumentError):
        return Failure(f"the database URL is not valid: {error}")
    if isinstance(error, OperationalError):
        return Failure(f"cannot use the database: {str(error.orig).strip().splitlines()[0]}")
    if isinstance(error, DatabaseError):
        return Failure(f"the database refused the operation: {str(error.orig).strip().splitlines()[0]}")
    return None


def get_settings() -> Settings:
    """The settings (``dashboard.settings``), loaded when a command first needs them."""
    from dashboard.settings import get_settings as loaded

    return loaded()


def open_engine(database_url: str | None) -> Engine:
    from dashboard.db import make_engine

    url = database_url or get_settings().effective_database_url
    return make_engine(url)


def describe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="park-safety-dashboard")
def main() -> None:
    """园区安全生产监管看板 · Park Safety Supervision Dashboard."""


# --- serve -------------------------------------------------------------------------------------


def streamlit_flags(attachment_max_bytes: int | None = None) -> list[str]:
    """The packaged Streamlit settings as command-line flags. Streamlit's upload limit (whole megabytes) is raised to
    the attachment limit in force when that is larger than the packaged one (which holds the imports' 10 MB and the
    default attachment limit), so a file the service takes is not refused by the server first."""
    import math
    import tomllib

    with STREAMLIT_CONFIG.open("rb") as handle:
        config = tomllib.load(handle)
    if attachment_max_bytes is not None:
        server = config.setdefault("server", {})
        server["maxUploadSize"] = max(int(server.get("maxUploadSize", 0)), math.ceil(attachment_max_bytes / 2**20))
    flags: list[str] = []

    def walk(prefix: str, table: dict[str, Any]) -> None:
        for key, value in table.items():
            if isinstance(value, dict):
                walk(f"{prefix}{key}.", value)
            else:
                text = str(value).lower() if isinstance(value, bool) else str(value)
                flags.append(f"--{prefix}{key}={text}")

    walk("", config)
    return flags


@main.command()
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help="TCP port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for all).")
@database_url_option
@friendly_errors
def serve(port: int, host: str, database_url: str | None) -> None:
    """Migrate the database, seed the demo park if it is empty, and run the dashboard."""
    from sqlalchemy.engine import make_url

    from dashboard.db import is_empty, upgrade

    engine = open_engine(database_url)
    upgrade(engine)
    settings = get_settings()
    if settings.demo and is_empty(engine):
        from seed import seed_demo_park

        click.echo("The database is empty: building the demo park …")
        report = seed_demo_park(engine, enterprises=settings.demo_enterprises, seed=settings.demo_seed)
        click.echo(f"Demo park ready in {report.elapsed_s:.1f} s (sign in as admin, committee, finance or staff "
                   "with the demo password park-demo).")
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    # Uvicorn takes a browser's address from X-Forwarded-For only when the peer is one of these proxies
    # (the address failed sign-ins are counted on, dashboard/services/sign_in_throttle.py).
    env = dict(os.environ, PARK_SAFETY_DATABASE_URL=url, FORWARDED_ALLOW_IPS=settings.trusted_proxies)
    command = [
        sys.executable, "-m", "streamlit", "run", str(SERVER_SCRIPT),
        *streamlit_flags(settings.attachment_max_bytes), f"--server.port={port}", f"--server.address={host}",
    ]
    click.echo(f"Serving {make_url(url).render_as_string(hide_password=True)} at http://{host}:{port}")
    sys.stdout.flush()
    os.execve(sys.executable, command, env)


# --- db ------------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Create, migrate, back up and restore the database."""


@db.command("upgrade")
@database_url_option
@friendly_errors
def db_upgrade(database_url: str | None) -> None:
    """Create or migrate the database to the latest schema."""
    from alembic.runtime.migration import MigrationContext

    from dashboard.db import upgrade

    engine = open_engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        head = MigrationContext.configure(connection).get_current_revision()
    click.echo(f"{describe(engine)} is at schema revision {head}.")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@database_url_option
@friendly_errors
def db_backup(file: Path, database_url: str | None) -> None:
    """Write a consistent copy of the database to FILE, even while the app is running."""
    from dashboard.services.backup import backup_database

    engine = open_engine(database_url)
    started = time.perf_counter()
    written = backup_database(engine, file)
    size_mb = written.stat().st_size / 1e6
    click.echo(f"Backed up {describe(engine)} to {written} ({size_mb:.1f} MB, {time.perf_counter() - started:.1f} s).")


@db.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds a park or enterprises.")
@database_url_option
@friendly_errors
def db_restore(file: Path, force: bool, database_url: str | None) -> None:
    """Put a backup FILE (from `db backup`) in place of the database, all or nothing; stop the app first."""
    from dashboard.db import upgrade
    from dashboard.services.backup import restore_database

    engine = open_engine(database_url)
    restore_database(engine, file, force=force)
    upgrade(engine)  # a backup from an older version is brought to this version's schema
    click.echo(f"Restored {file} into {describe(engine)}.")


# --- seed ----------------------------------------------------------------------------------------


@main.command()
@click.option("--enterprises", default=120, show_default=True, type=click.IntRange(1, 200_000))
@click.option("--hazards", default=None, type=click.IntRange(0, 20_000_000),
              help="Exact number of hazards (default: a realistic number for the enterprises).")
@click.option("--seed", "seed_value", default=2026, show_default=True, type=int, help="Random seed.")
@click.option("--as-of", type=IsoDate(), default=None, help="Last day of the history, YYYY-MM-DD (default: today).")
@click.option("--replace", is_flag=True, help="Delete the park's existing data first.")
@database_url_option
@friendly_errors
def seed(enterprises: int, hazards: int | None, seed_value: int, as_of: date | None, replace: bool,
         database_url: str | None) -> None:
    """Build the deterministic demo park (same seed and end date, same park)."""
    from dashboard.db import upgrade
    from seed import clear_park_data, seed_demo_park

    engine = open_engine(database_url)
    upgrade(engine)
    if replace:
        clear_park_data(engine)
    report = seed_demo_park(engine, enterprises=enterprises, hazards=hazards, seed=seed_value, as_of=as_of,
                            progress=lambda line: click.echo(f"  {line}"))
    counts = ", ".join(f"{table} {count:,}" for table, count in report.counts.items())
    click.echo(f"Seeded {describe(engine)}: {counts}.")
    click.echo(f"Elapsed: {report.elapsed_s:.1f} s")


# --- user ----------------------------------------------------------------------------------------


@main.group()
def user() -> None:
    """Manage the dashboard's accounts."""


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "committee", "finance", "staff"]))
@click.option("--display-name", default=None, help="Name shown in the dashboard (default: the username).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
@database_url_option
@friendly_errors
def user_add(username: str, role: str, display_name: str | None, password_stdin: bool,
             database_url: str | None) -> None:
    """Add an account; asks for its password (or reads it with --password-stdin)."""
    from dashboard.db import session_scope, upgrade
    from dashboard.services.permissions import SYSTEM
    from dashboard.services.users import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = open_engine(database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        created = add_user(session=session, actor=SYSTEM, data={
            "username": username, "display_name": display_name or username, "role": role, "password": password,
        })
    click.echo(f"Added {created.username} ({role}).")


# --- scorecards, loans --------------------------------------------------------------------------


def _print_every_enterprise(report: str, database_url: str | None, as_of: date | None, output_format: str,
                            language: str | None) -> None:
    """Every enterprise at D, with the records behind every deduction and loan rule, as ``report`` ("scorecards"
    or "loans") in ``output_format`` on standard output.

    Python's cyclic collector is paused from the first import to the last line, and resumes only once the
    evaluations are freed: at county scale its collections during the imports cost some 0.1 s, and its first
    collection after a pause that ended with the evaluations still alive (every one of them is new) 0.6 s.
    """
    with cycle_collection_paused():
        _print_report(report, database_url, as_of, output_format, language)


def _print_report(report: str, database_url: str | None, as_of: date | None, output_format: str,
                  language: str | None) -> None:
    from dashboard.services import rule_reports

    results, _ = _evaluate_every_enterprise(database_url, as_of)
    lang = language or get_settings().language
    columns: tuple[str, ...]
    if report == "scorecards":
        columns, record, row = rule_reports.SCORECARD_COLUMNS, rule_reports.scorecard_record, rule_reports.scorecard_row
    else:
        columns, record, row = rule_reports.LOAN_COLUMNS, rule_reports.loan_record, rule_reports.loan_row
    if output_format == "csv":
        _print_csv(columns, [row(result, lang) for result in results])
    else:
        _print_json_array(record(result, lang) for result in results)


def _evaluate_every_enterprise(database_url: str | None, as_of: date | None) -> tuple[list[Any], date]:
    """Every enterprise at D, with the records behind every deduction and loan rule."""
    from sqlmodel import Session

    from dashboard.clock import park_today
    from dashboard.db import upgrade
    from dashboard.services.evaluation import evaluate_all
    from dashboard.services.rule_settings import effective_rules

    engine = open_engine(database_url)
    upgrade(engine)
    day = as_of or park_today()
    with Session(engine) as session:
        return evaluate_all(session, day, effective_rules(session), detail=True), day


def _print_json_array(items: Iterable[dict[str, Any]]) -> None:
    """A JSON array on standard output and nothing else: one element per line, written a few hundred at a time
    as they are made (a county's 15 MB is never held whole)."""
    import json
    from itertools import islice

    encode = json.JSONEncoder(ensure_ascii=False).encode
    remaining = iter(items)
    opened = False
    while batch := [encode(item) for item in islice(remaining, 500)]:
        click.echo(("," if opened else "[") + "\n" + ",\n".join(batch), nl=False)
        opened = True
    click.echo("\n]" if opened else "[]")


def _print_csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """A header row, then one line per row: a name or reason a spreadsheet would run as a formula is written
    as text (csv_text's guard)."""
    from dashboard.services.tabular import csv_text

    click.echo(csv_text(columns, ([row[column] for column in columns] for row in rows)), nl=False)


_FORMAT = click.option("--format", "output_format", type=click.Choice(["json", "csv"]), default="json",
                       show_default=True, help="JSON array, or CSV with one flat row per enterprise.")
_AS_OF = click.option("--as-of", type=IsoDate(), default=None,
                      help="Evaluate at this date, YYYY-MM-DD (default: today in the park's time zone).")
_LANGUAGE = click.option("--language", type=click.Choice(["zh", "en"]), default=None,
                         help="Language of the reasons (default: the configured language).")


@main.command()
@_AS_OF
@_FORMAT
@_LANGUAGE
@database_url_option
@friendly_errors
def scorecards(as_of: date | None, output_format: str, language: str | None, database_url: str | None) -> None:
    """Every enterprise's scorecard: score, grade, risk colour, components and every deduction with its records.

    CSV: one column per component, the deduction codes joined with ';' (deductions) and
    their sentences joined with ' | ' (reasons).
    """
    _print_every_enterprise("scorecards", database_url, as_of, output_format, language)


@main.command()
@_AS_OF
@_FORMAT
@_LANGUAGE
@database_url_option
@friendly_errors
def loans(as_of: date | None, output_format: str, language: str | None, database_url: str | None) -> None:
    """Every enterprise's loan eligibility: computed and effective status, override, rules with reasons and remedies.

    CSV: the override's fields as override_* columns, the rule codes joined with ';' (rules),
    and their reasons and remedies joined with ' | '.
    """
    _print_every_enterprise("loans", database_url, as_of, output_format, language)


# --- briefing ------------------------------------------------------------------------------------


@main.command()
@click.option("--month", required=True, metavar="YYYY-MM", help="The month to brief, e.g. 2026-11.")
@_LANGUAGE
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: FILE.pdf or FILE.xlsx (the extension chooses the format).")
@database_url_option
@friendly_errors
def briefing(month: str, language: str | None, out: Path, database_url: str | None) -> None:
    """The committee's monthly meeting briefing (会议简报) as a PDF or an XLSX workbook.

    The month against the previous month and the same month a year earlier; a month in progress is
    counted up to today.
    """
    from sqlmodel import Session

    from dashboard.briefing import FORMATS, briefing_document
    from dashboard.clock import park_today
    from dashboard.db import upgrade
    from dashboard.fonts import FontMissing
    from dashboard.i18n import set_language
    from dashboard.services.briefing import BriefingError, monthly_briefing, parse_month
    from dashboard.services.park import get_park
    from dashboard.services.rule_settings import effective_rules

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise Failure(f"--out {out}: the file must end in .pdf or .xlsx")
    if not out.parent.is_dir():
        raise Failure(f"--out {out}: the folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise Failure(f"--out {out}: the file cannot be written here")
    started = time.perf_counter()
    engine = open_engine(database_url)
    upgrade(engine)
    today = park_today()
    set_language(language or get_settings().language)
    try:
        first = parse_month(month)
        with Session(engine) as session:
            if get_park(session) is None:
                raise Failure(f"{describe(engine)} holds no park: run park-safety seed, or import one")
            rules = effective_rules(session)
            document = briefing_document(monthly_briefing(session, first, rules, today), rules, fmt, today)
    except (BriefingError, FontMissing) as error:
        raise Failure(f"--month {month}: {error}" if isinstance(error, BriefingError) else str(error)) from None
    try:
        out.write_bytes(document)
    except OSError as error:
        raise Failure(f"--out {out}: cannot write the file: {error.strerror or error}") from None
    click.echo(f"Wrote {out} ({len(document):,} bytes, {time.perf_counter() - started:.1f} s).")


# --- import, export ------------------------------------------------------------------------------

@main.command("import")
@click.argument("table", type=click.Choice(IMPORTABLE))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would do; write nothing.")
@click.option("--language", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the problems listed.")
@database_url_option
@friendly_errors
def import_(table: str, file: Path, dry_run: bool, language: str, database_url: str | None) -> None:
    """Import FILE (.csv in UTF-8 or GB18030, or .xlsx) into TABLE, all rows or none.

    Headers are the contract's column names (or their Chinese labels); child rows name their
    enterprise by uscc; an enterprise whose uscc exists is updated. If any row is invalid nothing is
    written, every problem is printed as "row N, column C: message", and the exit status is 1.
    """
    from sqlmodel import Session

    from dashboard.db import upgrade
    from dashboard.services.imports import import_file, import_table
    from dashboard.services.permissions import SYSTEM
    from dashboard.services.tabular import MAX_BYTES

    size = file.stat().st_size
    if size > MAX_BYTES:  # refused before it is read into memory
        raise Failure(f"{file.name} is {size / 1024 / 1024:.1f} MB; files larger than "
                      f"{MAX_BYTES // 1024 // 1024} MB cannot be imported")
    engine = open_engine(database_url)
    upgrade(engine)
    data = file.read_bytes()
    if dry_run:  # the check alone reads the database only: no write lock
        with Session(engine) as session:
            report = import_table(session=session, actor=SYSTEM, table=table, filename=file.name, data=data,
                                  dry_run=True)
    else:  # checked first, then written holding the write lock only while writing
        report = import_file(engine=engine, actor=SYSTEM, table=table, filename=file.name, data=data)
    if report.problems:
        for line in report.problem_lines(language):
            click.echo(line, err=True)
        count = len(report.problems)
        raise Failure(f"{file.name}: {count} problem{'s' if count != 1 else ''}; nothing was written")
    done = "would create" if dry_run else "created"
    click.echo(f"{'Checked' if dry_run else 'Imported'} {file.name} into {table} ({describe(engine)}): "
               f"{report.created} {done}, {report.updated} {'would update' if dry_run else 'updated'}, "
               f"{report.unchanged} unchanged.")


@main.command("export")
@click.argument("table", type=click.Choice(IMPORTABLE))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@database_url_option
@friendly_errors
def export(table: str, file: Path, database_url: str | None) -> None:
    """Write every record of TABLE to FILE: .csv (UTF-8 with BOM) or .xlsx, by the extension.

    The columns are the contract's names, children with the uscc of their enterprise: the file
    imports back unchanged.
    """
    from sqlmodel import Session

    from dashboard.db import upgrade
    from dashboard.services.exports import export_file
    from dashboard.services.tabular import file_format

    if file_format(file.name) is None:
        raise Failure(f"{file.name}: the file must end in .csv or .xlsx")
    engine = open_engine(database_url)
    upgrade(engine)
    with Session(engine) as session:
        try:
            count = export_file(session, table, file)
        except OSError as error:
            raise Failure(f"cannot write {file}: {error.strerror or error}") from None
    click.echo(f"Exported {count:,} {table} record{'s' if count != 1 else ''} from {describe(engine)} to {file}.")


# --- attachments ---------------------------------------------------------------------------------

_LISTED = ("id", "stage", "media_type", "bytes", "sha256", "uploaded_by", "uploaded_at", "claimed_taken_at",
           "original_name")


@main.command()
@click.argument("table")
@click.argument("record_id", type=int)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--stage", type=click.Choice(["found", "rectified", "evidence"]), default=None,
              help="整改前 found or 整改后 rectified (a hazard's), evidence (any other record's). "
                   "Default: found for a hazard, else evidence.")
@click.option("--language", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the problems listed.")
@database_url_option
@friendly_errors
def attach(table: str, record_id: int, files: tuple[Path, ...], stage: str | None, language: str,
           database_url: str | None) -> None:
    """Attach photos (JPEG, PNG, WebP, HEIC) or PDF documents to the record RECORD_ID of TABLE (hazard,
    sign_check, inspection, accident, enforcement or training), all of them or none.

    Every file is checked as the pages check it; if any is refused, every problem is printed, one a line
    naming its file, nothing is stored and the exit status is 1.
    """
    from dashboard.db import session_scope, upgrade, writing
    from dashboard.services import attachments
    from dashboard.services.permissions import SYSTEM
    from models.validation import RecordInvalid

    engine = open_engine(database_url)
    upgrade(engine)
    try:
        with session_scope(writing(engine)) as session:
            too_large = attachments.oversized([(file.name, file.stat().st_size) for file in files])
            if too_large:  # refused by their sizes, before any file is read into memory
                raise RecordInvalid(too_large)
            contents = [(file.name, file.read_bytes()) for file in files]
            stored = attachments.attach(session=session, actor=SYSTEM, table=table, record_id=record_id,
                                        stage=stage or ("found" if table == "hazard" else "evidence"),
                                        files=contents)
            lines = [f"{row.id}\t{row.stage.value}\t{row.media_type}\t{row.bytes}\t{row.sha256}\t"
                     f"{row.original_name}" for row in stored]
    except OSError as error:
        raise Failure(f"cannot read {error.filename}: {error.strerror or error}") from None
    except RecordInvalid as refused:
        for line in refused.messages(language):
            click.echo(line, err=True)
        count = len(refused.problems)
        raise Failure(f"{count} problem{'s' if count != 1 else ''}; nothing was attached") from None
    click.echo(f"Attached {len(lines)} file{'s' if len(lines) != 1 else ''} to {table} {record_id} "
               f"({describe(engine)}):")
    for line in lines:
        click.echo(line)


@main.command("attachments")
@click.argument("table")
@click.argument("record_id", type=int)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="A tab-separated table with a header, or a JSON array.")
@database_url_option
@friendly_errors
def attachments_list(table: str, record_id: int, output_format: str, database_url: str | None) -> None:
    """List the files attached to the record RECORD_ID of TABLE (not those removed), oldest first: id, stage,
    media type, bytes, SHA-256, who uploaded it, when (the server's time, UTC), when the photo claims it was
    taken (its EXIF, the camera's clock) and the name it was uploaded with."""
    from sqlmodel import Session

    from dashboard.db import upgrade
    from dashboard.services.attachments import ATTACHABLE, attachments_of
    from dashboard.services.record_tables import record_table
    from models.validation import FieldProblem, RecordInvalid

    engine = open_engine(database_url)
    upgrade(engine)
    with Session(engine) as session:
        if session.get(record_table(table, among=ATTACHABLE).table, record_id) is None:
            raise RecordInvalid([FieldProblem("id", "unknown_reference", {"value": record_id})])
        rows = [_listed(row) for row in attachments_of(session, table, record_id)]
    if output_format == "json":
        _print_json_array(rows)
        return
    click.echo("\t".join(_LISTED))
    for row in rows:
        click.echo("\t".join("" if row[column] is None else str(row[column]) for column in _LISTED))


def _listed(row: Any) -> dict[str, Any]:
    """One attachment as ``park-safety attachments`` lists it; its times in ISO 8601 (uploaded_at in UTC)."""
    from datetime import UTC

    uploaded = row.uploaded_at
    if uploaded is not None:
        uploaded = (uploaded if uploaded.tzinfo is not None else uploaded.replace(tzinfo=UTC)).astimezone(UTC)
    return {
        "id": row.id, "stage": row.stage.value, "media_type": row.media_type, "bytes": row.bytes,
        "sha256": row.sha256, "uploaded_by": row.uploaded_by,
        "uploaded_at": uploaded.isoformat() if uploaded is not None else None,
        "claimed_taken_at": row.claimed_taken_at.isoformat() if row.claimed_taken_at is not None else None,
        "original_name": row.original_name,
    }


@main.group()
def attachment() -> None:
    """One attached file."""


@attachment.command("get")
@click.argument("attachment_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write.")
@click.option("--original", is_flag=True,
              help="The file as uploaded (with its EXIF), not the copy the pages show (re-encoded without it).")
@database_url_option
@friendly_errors
def attachment_get(attachment_id: int, out: Path, original: bool, database_url: str | None) -> None:
    """Write an attached file to --out: the copy the pages show (a photo's display copy, at most 2048 px and
    without metadata; a PDF as it is), or with --original the file as it was uploaded."""
    from sqlmodel import Session

    from dashboard.db import upgrade
    from dashboard.services.attachments import read_copy
    from dashboard.services.permissions import SYSTEM

    if not out.parent.is_dir():
        raise Failure(f"--out {out}: the folder {out.parent} does not exist")
    engine = open_engine(database_url)
    upgrade(engine)
    with Session(engine) as session:
        copy = read_copy(session, SYSTEM, attachment_id, "original" if original else "display")
    if copy is None:
        raise Failure(f"attachment {attachment_id} has no such copy")
    try:
        out.write_bytes(copy.data)
    except OSError as error:
        raise Failure(f"--out {out}: cannot write the file: {error.strerror or error}") from None
    click.echo(f"Wrote {out} ({len(copy.data):,} bytes, {copy.media_type}).")


# --- bench ---------------------------------------------------------------------------------------


def _seed_county(url: str, as_of: date) -> None:
    """Seed the county-scale park in a child process, so this process's peak memory is the benchmark's own."""
    import subprocess

    from dashboard.services.bench import COUNTY_ENTERPRISES, COUNTY_HAZARDS, COUNTY_SEED

    click.echo(f"The database is empty: seeding a county-scale park ({COUNTY_ENTERPRISES:,} enterprises, "
               f"{COUNTY_HAZARDS:,} hazards); this takes a minute or two …", err=True)
    command = [sys.executable, "-m", "dashboard.cli", "seed", "--enterprises", str(COUNTY_ENTERPRISES),
               "--hazards", str(COUNTY_HAZARDS), "--seed", str(COUNTY_SEED), "--as-of", as_of.isoformat()]
    env = dict(os.environ, PARK_SAFETY_DATABASE_URL=url)  # not on the command line: it may hold a password
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as child:
        assert child.stdout is not None
        lines = []
        for line in child.stdout:
            lines.append(line.rstrip())
            click.echo(line.rstrip(), err=True)
    if child.returncode != 0:
        last = next((line for line in reversed(lines) if line.strip()), "no output")
        raise Failure(f"seeding the benchmark database failed: {last}")


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Readable text, or one JSON object (floor_query_ms, full_pass_ms, ratio, peak_rss_mb, commands "
                   "[{command, seconds, best_seconds, …}], …; with --pages: pages [{page, cold_ms, warm_ms, bytes}], "
                   "peak_rss_mb; with --evidence: upload {median_s, max_s, cpu_s, examine_s, store_s, …}, file "
                   "{views [{view, first_ms, cold_ms, warm_ms, warm_cpu_ms, pictures, bytes, …}], …}; with --import: "
                   "preview {seconds, …}, import {seconds, check_seconds, lock_seconds, …}, pages [{page, alone, "
                   "during_import, median_slower_ms, max_slower_ms}], saves, targets_met, …).")
@click.option("--pages", is_flag=True,
              help="Time every page instead: serve the dashboard on the database, open each page as the demo "
                   "admin cold (every cache emptied) and warm, and count the bytes each sends to the browser and "
                   "the server's peak memory.")
@click.option("--briefing", is_flag=True,
              help="Time the monthly briefing instead: each of PDF and XLSX, in Chinese and in English, made by "
                   "park-safety briefing in a fresh process (default database: the demo park in a file of its "
                   "own, built on first use).")
@click.option("--evidence", is_flag=True,
              help="Time evidence instead: uploading a 12-megapixel photo (attach on a fresh SQLite file), and "
                   "opening the file of an enterprise with 200 photos served as a browser does, with the bytes of "
                   "the page and its pictures (default database: the demo park in a file of its own, photos "
                   "added on first use).")
@click.option("--photos", default=200, show_default=True, type=click.IntRange(1, 2000),
              help="With --evidence: the photos the enterprise's file holds (those missing are attached first).")
@click.option("--import", "bulk_import", is_flag=True,
              help="Time the bulk import instead: make the largest file it takes (--rows rows of --table from the "
                   "demo park, under 10 MB), time its preview and its import as the Records page's worker process "
                   "runs them, and three pages and the saves of a served dashboard alone and during the import "
                   "(default database: the demo park in a file of its own, built on first use; each run imports "
                   "into a copy).")
@click.option("--table", default="hazard", show_default=True,
              type=click.Choice([table for table in IMPORTABLE if table != "enterprise"]),
              help="With --import: the table the file is of.")
@click.option("--rows", default=None, type=click.IntRange(min=1), metavar="N",
              help="With --import: data rows in the file (fewer make a quick check of the benchmark itself).  "
                   "[default: 100,000, the most the import takes]")
@click.option("--month", default=None, metavar="YYYY-MM",
              help="With --briefing: the month briefed (default: the month that ended last).")
@click.option("--language", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="With --pages, --evidence or --import: the language the pages are drawn in.")
@click.option("--runs", default=None, type=click.IntRange(1, 1000),
              help="Timed runs of each; the figures are medians.  [default: 5; 3 with --pages, --briefing and "
                   "--import]")
@click.option("--database-url", default=None, metavar="URL",
              help="Database to measure (default: a county-scale SQLite file in the data folder, built on first "
                   "use). An empty database is seeded at county scale first (with --briefing, --evidence or "
                   "--import: the demo park). PARK_SAFETY_DATABASE_URL is not used, so the benchmark never seeds "
                   "the application's database unless named here.")
@friendly_errors
def bench(output_format: str, pages: bool, briefing: bool, evidence: bool, photos: int, bulk_import: bool,
          table: str, rows: int | None, month: str | None, language: str, runs: int | None,
          database_url: str | None) -> None:
    """Time the all-enterprise scorecard and loan pass against the floor query over every hazard, and the
    scorecards, loans and --help commands as whole processes (or, with --pages, every page of the dashboard;
    with --briefing, the monthly briefing; with --evidence, an upload and a file full of photos; with --import,
    the bulk import of the largest file)."""
    import json

    if briefing:
        _bench_briefing(database_url, month, runs or 3, output_format)
        return
    if evidence:
        _bench_evidence(database_url, runs or 5, language, photos, output_format)
        return
    if bulk_import:
        _bench_import(database_url, table, rows, runs or 3, language, output_format)
        return

    from dashboard.clock import park_today
    from dashboard.db import is_empty, make_engine, upgrade
    from dashboard.services.bench import (
        BENCH_FILENAME,
        TARGET_FULL_PASS_MS,
        TARGET_PEAK_RSS_MB,
        TARGET_RATIO,
        run_bench,
    )

    settings = get_settings()
    url = database_url or f"sqlite:///{settings.data_dir / BENCH_FILENAME}"
    engine = make_engine(url)
    upgrade(engine)
    as_of = park_today()
    if is_empty(engine):
        engine.dispose()
        _seed_county(engine.url.render_as_string(hide_password=False), as_of)
    if pages:
        _bench_pages(engine, as_of, runs or 3, language, output_format)
        return
    result = run_bench(engine, as_of, settings.rules, runs or 5)
    engine.dispose()
    from dashboard.services.bench import CommandBenchError, time_commands

    try:
        commands = time_commands(engine.url.render_as_string(hide_password=False), as_of, runs or 5)
    except CommandBenchError as error:
        raise Failure(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps({**result.as_json(), "commands": [timing.as_json() for timing in commands]},
                              ensure_ascii=False))
        return
    met = result.targets_met
    on_sqlite = result.backend == "sqlite"  # the targets are set for the embedded SQLite database

    def target(text: str, name: str) -> str:
        return f"target {text}: {'met' if met[name] else 'MISSED'}" if on_sqlite else ""

    click.echo(f"Benchmark of {describe(engine)} ({result.backend}): {result.enterprises:,} enterprises, "
               f"{result.hazards:,} hazards, as of {result.as_of}; medians of {result.runs} run(s).")
    click.echo(f"  floor query (one grouped scan of hazard): {result.floor_query_ms:10.1f} ms")
    click.echo((f"  full pass (facts, scorecards, loans):     {result.full_pass_ms:10.1f} ms   "
                + target(f"<= {TARGET_FULL_PASS_MS:.0f} ms", "full_pass_ms")).rstrip())
    click.echo((f"  full pass / floor:                        {result.ratio:10.2f} x    "
                + target(f"<= {TARGET_RATIO} x", "ratio")).rstrip())
    click.echo((f"  peak memory (RSS):                        {result.peak_rss_mb:10.1f} MB   "
                + target(f"<= {TARGET_PEAK_RSS_MB:.0f} MB", "peak_rss_mb")).rstrip())
    click.echo("  whole processes, as a user runs them (median, best):")
    for timing in commands:
        verdict = f"target <= {timing.target_seconds:.0f} s: {'met' if timing.target_met else 'MISSED'}"
        click.echo((f"    park-safety {timing.command:<26} {timing.seconds:6.2f} s {timing.best_seconds:6.2f} s   "
                    + (verdict if on_sqlite else "")).rstrip())
    if not on_sqlite:
        click.echo("  (the targets — full pass <= 1.5 s and <= 2.5 x the floor, memory <= 1 GB, scorecards and loans "
                   "<= 3 s, --help <= 1 s — are set for SQLite)")



def _bench_briefing(database_url: str | None, month: str | None, runs: int, output_format: str) -> None:
    import json

    from dashboard.bench_briefing import TARGET_SECONDS, BriefingBenchError, time_briefings
    from dashboard.clock import park_today
    from dashboard.db import is_empty, make_engine, upgrade
    from dashboard.services.briefing import BriefingError, default_month, parse_month
    from seed import seed_demo_park

    today = park_today()
    try:
        first = parse_month(month) if month else default_month(today)
    except BriefingError as error:
        raise Failure(f"--month {month}: {error}") from None
    url = database_url or f"sqlite:///{get_settings().data_dir / 'bench-demo.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    if is_empty(engine):
        seed_demo_park(engine, as_of=today)
    shown = describe(engine)
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    try:
        timings = time_briefings(url, first, runs)
    except BriefingBenchError as error:
        raise Failure(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps({"database": shown, "month": f"{first:%Y-%m}", "runs": runs,
                               "target_seconds": TARGET_SECONDS,
                               "documents": [timing.as_json() for timing in timings]}, ensure_ascii=False))
        return
    click.echo(f"Briefing of {first:%Y-%m} on {shown}: each document made by park-safety briefing in a fresh "
               f"process; medians of {runs} run(s).")
    for timing in timings:
        pages = f", {timing.pages} pages" if timing.pages else ""
        click.echo(f"  {timing.fmt.upper():4} {timing.language}: {timing.seconds:6.2f} s  "
                   f"({timing.bytes:,} bytes{pages})   target <= {TARGET_SECONDS:.0f} s: "
                   f"{'met' if timing.target_met else 'MISSED'}")


def _bench_evidence(database_url: str | None, runs: int, language: str, photos: int, output_format: str) -> None:
    import json

    from dashboard.bench_evidence import (
        EVIDENCE_FILENAME,
        TARGET_BYTES,
        TARGET_UPLOAD_S,
        TARGET_WARM_MS,
        UPLOAD_SIZE,
        EvidenceBenchError,
        ensure_file_photos,
        load_average,
        time_file_views,
        time_upload,
    )
    from dashboard.bench_pages import PageBenchError
    from dashboard.clock import park_today
    from dashboard.db import is_empty, make_engine, upgrade
    from seed import seed_demo_park

    progress = None if output_format == "json" else (lambda line: click.echo(line, err=True))
    engine = make_engine(database_url or f"sqlite:///{get_settings().data_dir / EVIDENCE_FILENAME}")
    try:
        upgrade(engine)
        if is_empty(engine):
            click.echo("The database is empty: seeding the demo park …", err=True)
            seed_demo_park(engine, as_of=park_today())
        upload = time_upload(runs, progress)
        file = ensure_file_photos(engine, photos, progress)
        views, peak = time_file_views(engine, file, runs, language, progress)
    except (EvidenceBenchError, PageBenchError) as error:
        raise Failure(str(error)) from None
    finally:
        engine.dispose()
    load = load_average()
    if output_format == "json":
        click.echo(json.dumps({
            "upload": upload.as_json(),
            "file": {"database": describe(engine), "enterprise": file.enterprise_id, "photos": file.photos,
                     "by_table": file.by_table, "added": file.added, "language": language,
                     "views": [view.as_json() for view in views], "peak_rss_mb": round(peak, 1),
                     "target_warm_ms": TARGET_WARM_MS, "target_bytes": TARGET_BYTES},
            "runs": runs, "load_average": None if load is None else [round(x, 2) for x in load],
        }, ensure_ascii=False))
        return
    verdict = "met" if upload.target_met else "MISSED"
    click.echo(f"Upload of a {UPLOAD_SIZE[0] * UPLOAD_SIZE[1] / 1e6:.0f}-megapixel JPEG ({UPLOAD_SIZE[0]} x "
               f"{UPLOAD_SIZE[1]}, {upload.original_bytes:,} bytes, EXIF orientation and GPS) by attach() on a fresh "
               f"SQLite file, checks, both copies and the commit; {runs} run(s):")
    click.echo(f"  median {upload.median_s:.2f} s, max {upload.max_s:.2f} s (the process's CPU time: median "
               f"{upload.cpu_s:.2f} s)   target <= {TARGET_UPLOAD_S} s: {verdict}")
    click.echo(f"  of which examining (checks, decoding, display copy and thumbnail) {upload.examine_s:.2f} s "
               f"({upload.examine_cpu_s:.2f} s CPU), storing and committing {upload.store_s:.2f} s "
               f"({upload.store_cpu_s:.2f} s CPU): medians, the examination timed alone after each upload")
    click.echo(f"  copies: display {upload.display_bytes:,} bytes, thumbnail {upload.thumbnail_bytes:,} bytes; "
               f"the process's first upload (not a run) {upload.first_s:.2f} s")
    tables = ", ".join(f"{table} {count}" for table, count in sorted(file.by_table.items()))
    click.echo(f"File of enterprise {file.enterprise_id} with {file.photos} photos ({tables}) on {describe(engine)}, "
               f"in {language}; medians of {runs} run(s):")
    click.echo(f"  {'view':<52} {'first ms':>9} {'cold ms':>8} {'warm ms':>8} {'CPU cold':>9} {'CPU warm':>9} "
               f"{'pictures':>9} {'bytes':>11}")
    for view in views:
        first = "" if view.first_ms is None else f"{view.first_ms:.0f}"
        missed = [name for name, met in view.targets_met.items() if not met]
        flag = f"   MISSED: {', '.join(missed)}" if missed else ""
        click.echo(f"  {view.view:<52} {first:>9} {view.cold_ms:8.0f} {view.warm_ms:8.0f} {view.cold_cpu_ms:9.0f} "
                   f"{view.warm_cpu_ms:9.0f} {view.pictures:9} {view.bytes:11,}{flag}")
    click.echo(f"  ms: until the page's script finished (medians); CPU: the server's own CPU ms for the page and its "
               f"pictures (means), what it takes on an idle machine; bytes: the page's websocket messages and its "
               f"pictures (largest {max((v.largest_picture for v in views), default=0):,} bytes); server peak memory "
               f"{peak:,.0f} MB")
    click.echo(f"  targets: upload <= {TARGET_UPLOAD_S} s, warm <= {TARGET_WARM_MS:.0f} ms, <= "
               f"{TARGET_BYTES / 1e6:.0f} MB: " + ("all met" if upload.target_met and all(
                   all(view.targets_met.values()) for view in views) else "some MISSED"))
    if load is not None:
        click.echo(f"  load average while measured: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} (1, 5, 15 min)")


def _bench_import(database_url: str | None, table: str, rows: int | None, runs: int, language: str,
                  output_format: str) -> None:
    import json

    from dashboard.bench_import import (
        BENCH_FILENAME,
        TARGET_PAGE_SLOWER_MS,
        TARGET_PREVIEW_S,
        ImportBenchError,
        run_import_bench,
        sqlite_path,
    )
    from dashboard.bench_pages import PageBenchError
    from dashboard.clock import park_today
    from dashboard.db import is_empty, make_engine, upgrade
    from dashboard.services.tabular import MAX_ROWS
    from seed import seed_demo_park

    if rows is not None and rows > MAX_ROWS:
        raise Failure(f"--rows {rows:,}: the import takes at most {MAX_ROWS:,} rows")
    url = database_url or f"sqlite:///{get_settings().data_dir / BENCH_FILENAME}"
    try:
        sqlite_path(url)
    except ImportBenchError as error:
        raise Failure(str(error)) from None
    engine = make_engine(url)
    upgrade(engine)
    if is_empty(engine):
        click.echo("The database is empty: seeding the demo park …", err=True)
        seed_demo_park(engine, as_of=park_today())
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    progress = None if output_format == "json" else (lambda line: click.echo(line, err=True))
    try:
        result = run_import_bench(url, table, rows or MAX_ROWS, runs, language, progress=progress)
    except (ImportBenchError, PageBenchError) as error:
        raise Failure(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    figures = result.as_json()
    met = result.targets_met

    def verdict(name: str) -> str:
        return "met" if met[name] else "MISSED"

    def seconds(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f} s"

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:,.0f}"

    click.echo(f"Import of {result.rows:,} {table} rows ({result.bytes:,} bytes of CSV) into {result.database}; "
               f"medians of {runs} run(s).")
    preview = figures["preview"]
    click.echo(f"  preview (the Records page's check, in a worker process): {preview['seconds']:.2f} s "
               f"(longest {preview['max_seconds']:.2f} s)   target <= {TARGET_PREVIEW_S:.0f} s: {verdict('preview')}")
    command = figures["preview_command"]
    click.echo(f"  park-safety import {table} FILE --dry-run, whole process: {seconds(command['seconds'])} "
               f"(best {seconds(command['best_seconds'])})")
    for key, title in (("import", "import alone"), ("import_during_pages", "import while the pages are opened")):
        done = figures[key]
        click.echo(f"  {title}: {seconds(done['seconds'])}: checked and made ready in "
                   f"{seconds(done['check_seconds'])}, waited {seconds(done['lock_wait_seconds'])} for the write lock, "
                   f"held it {seconds(done['lock_seconds'])} "
                   f"(longest {seconds(done['max_lock_seconds'])}); {done['created']:,} created")
    click.echo("  pages of the served dashboard, ms: alone (median, longest), during the import (median, "
               "longest), slower by (median, longest)")
    for page in result.pages:
        flag = "" if page.target_met else "   MISSED"
        click.echo(f"    {page.page:<12} {ms(page.alone.median_ms):>7} {ms(page.alone.max_ms):>7}   "
                   f"{ms(page.during.median_ms):>7} {ms(page.during.max_ms):>7}   "
                   f"{ms(page.median_slower_ms):>7} {ms(page.max_slower_ms):>7}   "
                   f"({page.alone.count} and {page.during.count} opened){flag}")
    click.echo(f"  saves (a sign-in's write transaction every {figures['saves']['every_seconds']} s), ms: alone "
               f"{ms(result.saves_alone.median_ms)}, {ms(result.saves_alone.max_ms)}; during the import "
               f"{ms(result.saves_during.median_ms)}, {ms(result.saves_during.max_ms)} "
               f"({result.saves_alone.count} and {result.saves_during.count} saved, {result.saves_refused} refused)")
    click.echo(f"  targets (SQLite, 2 cores): preview <= {TARGET_PREVIEW_S:.0f} s; during the import each page's "
               f"median and longest within {TARGET_PAGE_SLOWER_MS / 1000:.0f} s of alone; no save refused: "
               + ("all met" if all(met.values()) else "some MISSED"))
    for when, load in (("before", result.load_average_before), ("after", result.load_average_after)):
        if load is not None:
            click.echo(f"  load average {when}: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} (1, 5, 15 min)")


def _bench_pages(engine: Any, as_of: date, runs: int, language: str, output_format: str) -> None:
    import json

    from dashboard.bench_pages import (
        TARGET_BYTES,
        TARGET_COLD_MS,
        TARGET_PEAK_RSS_MB,
        TARGET_WARM_MS,
        PageBenchError,
        run_page_bench,
    )

    progress = None if output_format == "json" else (lambda line: click.echo(line, err=True))
    try:
        result = run_page_bench(engine, as_of, runs, language, progress=progress)
    except PageBenchError as error:
        raise Failure(str(error)) from None
    finally:
        engine.dispose()
    if output_format == "json":
        click.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    on_sqlite = result.backend == "sqlite"
    click.echo(f"Pages of {describe(engine)} ({result.backend}): {result.enterprises:,} enterprises, "
               f"{result.hazards:,} hazards, as of {result.as_of}, in {result.language}; medians of {result.runs} "
               "run(s) each.")
    click.echo(f"  {'page':<34} {'cold ms':>9} {'warm ms':>9} {'bytes':>11}")
    for page in result.pages:
        missed = [name for name, met in page.targets_met.items() if not met]
        flag = f"   MISSED: {', '.join(missed)}" if missed and on_sqlite else ""
        click.echo(f"  {page.page:<34} {page.cold_ms:9.0f} {page.warm_ms:9.0f} {page.bytes:11,}{flag}")
    peak = "" if result.peak_rss_mb <= TARGET_PEAK_RSS_MB or not on_sqlite else "   MISSED"
    click.echo(f"  server peak memory (RSS): {result.peak_rss_mb:,.0f} MB{peak}")
    click.echo(f"  targets (SQLite, 2 cores): cold <= {TARGET_COLD_MS:,.0f} ms, warm <= {TARGET_WARM_MS:,.0f} ms, "
               f"<= {TARGET_BYTES / 1e6:.0f} MB per page, peak <= {TARGET_PEAK_RSS_MB / 1024:.1f} GB: "
               + ("all met" if result.all_targets_met else "some MISSED"))


if __name__ == "__main__":
    main()
