"""The deterministic demo park (DESIGN.md section 7): one call builds the park, its plots,
its enterprises and their 24 months of history, and the demo users.

Everything random comes from generators seeded by the seed (one per concern and per
enterprise), and every date is counted back from the as-of date, so the same seed and
as-of date give the same rows, ids included, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, text
from sqlmodel import Session

from dashboard.clock import park_today
from dashboard.services.rule_settings import effective_rules
from dashboard.settings import RuleSettings, get_settings
from models.enums import Role
from seed.bulk import CLEAR_ORDER, BulkLoader, loader_for
from seed.enterprises import EnterpriseFile, build_enterprise
from seed.evidence import attach_evidence
from seed.geography import SitePlan, draw_site_plan
from seed.history import HistoryWriter, Ids, Inspectors
from seed.situations import situations
from seed.timeline import HISTORY_DAYS, Timeline
from seed.users import DEMO_USERS, demo_user_rows

Progress = Callable[[str], None]


class SeedError(Exception):
    """The demo park cannot be seeded as asked (the message says why, in one line)."""


@dataclass
class SeedReport:
    """What a seed wrote: rows per table, and how long it took."""

    counts: dict[str, int]
    elapsed_s: float


def _rng(seed: int, *parts: object) -> random.Random:
    """An independent generator for one concern, so adding records to one part leaves the others as they were."""
    return random.Random("/".join(str(part) for part in (seed, *parts)))


def seed_demo_park(engine: Engine, *, enterprises: int = 120, hazards: int | None = None, seed: int = 2026,
                   as_of: date | None = None, progress: Progress | None = None) -> SeedReport:
    """Build the demo park into an empty, migrated database, in one transaction.

    ``hazards`` fixes the number of hazards exactly (spread over the enterprises, more in
    chemical firms); by default each firm gets what its size and industry make likely.
    ``as_of`` is the last day of the history (default: today in the park's time zone).
    Raises :class:`SeedError`, writing nothing, when the database already holds a park
    or enterprises.
    """
    started = time.perf_counter()
    if enterprises < 1:
        raise SeedError("the demo park needs at least one enterprise")
    if hazards is not None and hazards < 0:
        raise SeedError("the number of hazards cannot be negative")
    settings = get_settings()
    as_of = as_of or park_today()
    say: Progress = progress or (lambda line: None)
    with Session(engine) as session:  # an accident's stored level follows the thresholds in force
        rules = effective_rules(session)

    loader = loader_for(engine)
    try:
        loader.begin()
        _refuse_unless_empty(loader)
        _build(loader, enterprises=enterprises, hazards=hazards, seed=seed,
               timeline=Timeline(as_of, settings.timezone), rules=rules, say=say)
        loader.flush()
        loader.bump_revision()
        loader.commit()
    except BaseException:
        loader.rollback()
        raise
    finally:
        loader.close()
    elapsed = time.perf_counter() - started
    say(f"done in {elapsed:.1f} s")
    return SeedReport(counts=dict(loader.counts), elapsed_s=elapsed)


def clear_park_data(engine: Engine) -> None:
    """Delete every row of every data table, children first; the schema and its version stay."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(CLEAR_ORDER)} RESTART IDENTITY"))
        else:
            for table in CLEAR_ORDER:
                connection.execute(text(f"DELETE FROM {table}"))
        if not connection.execute(text("UPDATE data_revision SET revision = revision + 1 WHERE id = 1")).rowcount:
            connection.execute(text("INSERT INTO data_revision (id, revision) VALUES (1, 1)"))


def _refuse_unless_empty(loader: BulkLoader) -> None:
    firms = loader.count("enterprise")
    if firms:
        noun = "enterprise" if firms == 1 else "enterprises"
        raise SeedError(f"the database already holds {firms:,} {noun}; use --replace to start over")
    if loader.count("park"):
        raise SeedError("the database already holds a park; use --replace to start over")


def _build(loader: BulkLoader, *, enterprises: int, hazards: int | None, seed: int, timeline: Timeline,
           rules: RuleSettings, say: Progress) -> None:
    plan = draw_site_plan(_rng(seed, "site"))
    _park_and_plots(loader, plan, enterprises)
    say(f"{plan.site.name}: {len(plan.plots)} plots, history {timeline.start} – {timeline.as_of}")

    usccs: set[str] = set()
    firms = [build_enterprise(number, situation, plan, timeline, _rng(seed, "enterprise", number), usccs)
             for number, situation in enumerate(situations(enterprises, _rng(seed, "situations")), start=1)]
    for firm in firms:
        loader.add("enterprise", firm.row)
    say(f"{len(firms):,} enterprises")
    _users(loader, seed)

    planned, drawn = _hazard_counts(firms, hazards, _rng(seed, "hazards"))
    writer = HistoryWriter(timeline, loader.add, Ids(), Inspectors.draw(_rng(seed, "inspectors")), rules)
    step = max(2000, len(firms) // 10)
    for index, firm in enumerate(firms, start=1):
        writer.write(firm, drawn[index - 1], planned[index - 1], _rng(seed, "history", firm.id))
        if index % step == 0 and index < len(firms):
            say(f"history of {index:,} of {len(firms):,} enterprises")
    attach_evidence(loader, timeline=timeline, rng=_rng(seed, "evidence"),
                    uploader=next(username for username, _, role in DEMO_USERS if role == Role.staff))
    say("photos and inspection sheets attached")


def _park_and_plots(loader: BulkLoader, plan: SitePlan, enterprises: int) -> None:
    # the county's yearly accident target for the park: three for the demo park, more for a county-sized one
    target = max(3, round(enterprises / 40))
    loader.add("park", (1, plan.site.name, plan.site.name_en, plan.boundary_geojson(), plan.center_lat,
                        plan.center_lon, target))
    for number, plot in enumerate(plan.plots, start=1):
        area = round(plan.ring_area_m2(plan.plot_ring(plot)), 1)
        loader.add("plot", (number, plot.code, plan.plot_geojson(plot), area))


def _users(loader: BulkLoader, seed: int) -> None:
    """The demo accounts; accounts made before the seed are kept, and their usernames skipped."""
    rows = demo_user_rows(seed)
    if loader.count("app_user") == 0:
        for number, row in enumerate(rows, start=1):
            loader.add("app_user", (number, *row))
        return
    loader.flush()
    taken = {name for (name,) in loader.rows("SELECT username FROM app_user")}
    loader.insert("app_user", ("username", "display_name", "role", "password_hash", "active"),
                  [row for row in rows if row[0] not in taken])


def _hazard_counts(firms: list[EnterpriseFile], hazards: int | None,
                   rng: random.Random) -> tuple[list[int], list[int]]:
    """Per firm: how many of its planned open hazards to write, and how many to draw from its history."""
    wanted = [len(firm.situation.open_hazards) for firm in firms]
    weights = [firm.hazard_weight for firm in firms]
    if hazards is None:
        months = HISTORY_DAYS / 30.4
        return wanted, [round(weight * months * rng.lognormvariate(0, 0.35)) for weight in weights]
    planned: list[int] = []
    left = hazards
    for count in wanted:
        kept = min(count, left)
        planned.append(kept)
        left -= kept
    return planned, _apportion(left, weights)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` by largest remainder: the parts add up to it exactly."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * weight / weight_sum for weight in weights]
    parts = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts
