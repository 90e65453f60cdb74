"""What the `recwatch` commands share: one-line messages, printing runs and parses, and
preparing the database. Kept apart from the commands so other command modules (reports) use it
without importing `service.cli`."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table

from scrapers.records import ParsedDocument
from service import migrate
from service.config import get_settings
from service.db import get_engine, session_scope
from service.ingest.pipeline import RunReport


def say(message: str) -> None:
    """One unwrapped line on standard error: scripts and people both read these."""
    sys.stderr.write(message.replace("\n", " ") + "\n")


def upgrade_and_seed() -> None:
    """Apply pending migrations and seed the list of states."""
    from service.states.seed import seed_states

    settings = get_settings()
    if settings.is_embedded:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.effective_database_url)
    with session_scope() as session:
        seed_states(session)


def upgrade_if_embedded() -> None:
    """On the embedded SQLite default, bring the database up to date; elsewhere migrations are
    an operator's step (`recwatch db upgrade`), so a stale schema stops the command."""
    if get_settings().is_embedded:
        upgrade_and_seed()
    elif not migrate.is_current(get_engine()):
        say("the database is not at the newest migration: run `recwatch db upgrade`")
        raise typer.Exit(1)


def when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def print_jsonl(parsed: ParsedDocument, source: str) -> None:
    for rec in parsed.recommendations:
        row = {"source": source, "paragraph": rec.paragraph, "text": rec.text,
               "recommending_states": rec.recommending_states, "position": rec.position.value,
               "position_wording": rec.position_wording, "state_under_review": rec.state,
               "mechanism": rec.mechanism.value, "key": rec.key}
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def print_table(parsed: ParsedDocument, source: str) -> None:
    table = Table(title=f"{source} — {parsed.document.symbol or ''} {parsed.document.state_under_review or ''}")
    for col in ("paragraph", "position", "recommending states", "text"):
        table.add_column(col, overflow="fold")
    for rec in parsed.recommendations:
        table.add_row(rec.paragraph, rec.position.value, ", ".join(rec.recommending_states),
                      rec.text[:160])
    Console().print(table)


# A failed run's reasons on one line: the first few; the run keeps them all.
REASONS_SHOWN = 5


def report_run(report: RunReport, label: str) -> None:
    """The outcome of a run in one line (plus one per note of a successful run). This is the only
    place a run's messages are printed, so each appears once."""
    if report.skipped:
        say(f"{label}: nothing to do — {report.skip_reason or 'nothing was configured to fetch'}")
        return
    if report.ok:
        c = report.counts
        say(f"{label}: run {report.run_id} {report.outcome.value} — {c.get('inserted', 0)} inserted, "
            f"{c.get('updated', 0)} updated, {c.get('unchanged', 0)} unchanged, {c.get('rejected', 0)} "
            f"rejected, {c.get('skipped_unchanged', 0)} already imported")
        for error in report.errors:
            say(f"{label}: {error['class']}: {error['message']}")
        return
    reasons = [e["message"] for e in report.errors]
    more = f"; and {len(reasons) - REASONS_SHOWN} more" if len(reasons) > REASONS_SHOWN else ""
    reason = "; ".join(reasons[:REASONS_SHOWN]) + more or "failed"
    say(f"{label}: {reason} (run {report.run_id} {report.outcome.value})")
