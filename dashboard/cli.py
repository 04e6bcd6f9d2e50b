"""The ``park-safety`` command (DESIGN.md section 6).

Every command takes ``--database-url`` (default: ``PARK_SAFETY_DATABASE_URL``, else the
embedded SQLite file). A user's mistake ends with a one-line message and a non-zero
exit status, never a traceback.
"""

from __future__ import annotations

import os
import sys
import time
import tomllib
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from dashboard.settings import get_settings

F = TypeVar("F", bound=Callable[..., Any])

APP_SCRIPT = Path(__file__).resolve().parent / "app.py"
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
        from dashboard.services.backup import BackupError
        from dashboard.services.permissions import PermissionDenied
        from models.validation import RecordInvalid
        from seed import SeedError

        try:
            return func(*args, **kwargs)
        except (RecordInvalid, SeedError, BackupError, PermissionDenied) as error:
            raise Failure(str(error)) from None
        except ArgumentError as error:
            raise Failure(f"the database URL is not valid: {error}") from None
        except OperationalError as error:
            raise Failure(f"cannot use the database: {str(error.orig).strip().splitlines()[0]}") from None
        except SADatabaseError as error:
            raise Failure(f"the database refused the operation: {str(error.orig).strip().splitlines()[0]}") from None

    return wrapper  # type: ignore[return-value]


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


def streamlit_flags() -> list[str]:
    """The packaged Streamlit settings as command-line flags."""
    with STREAMLIT_CONFIG.open("rb") as handle:
        config = tomllib.load(handle)
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
    env = dict(os.environ, PARK_SAFETY_DATABASE_URL=url)
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT),
        *streamlit_flags(), f"--server.port={port}", f"--server.address={host}",
    ]
    click.echo(f"Serving {make_url(url).render_as_string(hide_password=True)} at http://{host}:{port}")
    sys.stdout.flush()
    os.execve(sys.executable, command, env)


# --- db ------------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Create, migrate and back up the database."""


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


if __name__ == "__main__":
    main()
