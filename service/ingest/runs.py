"""Run records, committed in their own short transactions so a failed run stays visible."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, or_, update
from sqlmodel import Session, select

from scrapers import registry
from service.ingest import health
from service.models import RunOutcome, ScrapeRun
from service.models._common import utcnow

COUNTERS = ("fetched", "skipped_unchanged", "inserted", "updated", "unchanged", "rejected")
# The error class of the note that says why a run was skipped and what to set.
NOT_CONFIGURED = "NotConfigured"


def reached(counts: dict[str, int]) -> bool:
    """True when the run got an answer from its source: a document, or a 304/unchanged one."""
    return counts.get("fetched", 0) + counts.get("skipped_unchanged", 0) > 0


def start_run(engine: Engine, source: str, *, trigger: str = "manual") -> int:
    """Record a run as `running` and return its id."""
    with Session(engine) as session:
        run = ScrapeRun(source=source, trigger=trigger)
        session.add(run)
        session.commit()
        return run.id


def finish_run(engine: Engine, run_id: int, outcome: RunOutcome, *,
               counts: dict[str, int] | None = None,
               errors: list[dict[str, Any]] | None = None,
               failing_threshold: int = 3) -> ScrapeRun:
    """Close a run with its outcome, counters and errors (each error: class, message, url),
    and announce the source failing or recovering in the same transaction.

    A success needs an answer from the source: an `ok` or `partial` run that fetched nothing and
    had nothing unchanged is recorded as `skipped`, so it can never move `last_success_at`."""
    errors = list(errors or [])
    if outcome in (RunOutcome.OK, RunOutcome.PARTIAL) and not reached(counts or {}):
        outcome = RunOutcome.SKIPPED
        if not any(e.get("class") == NOT_CONFIGURED for e in errors):
            errors.insert(0, {"class": NOT_CONFIGURED, "message": "nothing was fetched: "
                              "no documents to fetch were configured for this run", "url": None})
    with Session(engine, expire_on_commit=False) as session:
        run = session.get(ScrapeRun, run_id)
        if run is None:
            raise LookupError(f"run {run_id} does not exist")
        run.outcome = outcome
        run.finished_at = utcnow()
        for name, value in (counts or {}).items():
            if name in COUNTERS:
                setattr(run, name, value)
        run.errors = errors
        session.add(run)
        session.flush()
        if run.source in registry.keys():  # monitored sources only: a person's failed import is no outage
            health.after_run(session, run, threshold=failing_threshold)
        session.commit()
        return run


STALE_AFTER = timedelta(hours=12)


def close_stale_runs(engine: Engine) -> int:
    """Mark runs left `running` by a crashed process as failed; returns how many.

    Called by the worker that takes over scheduling: scheduled runs still `running` belong to a
    dead leader. A manual run may still be alive in another process, so it is only closed once
    it is older than any run could be (STALE_AFTER)."""
    cutoff = utcnow() - STALE_AFTER
    with Session(engine) as session:
        result = session.execute(
            update(ScrapeRun).where(ScrapeRun.outcome == RunOutcome.RUNNING, or_(
                ScrapeRun.trigger == "schedule", ScrapeRun.started_at < cutoff)).values(
                outcome=RunOutcome.FAILED, finished_at=utcnow(),
                errors=[{"class": "Interrupted", "message": "process ended before the run finished",
                         "url": None}]))
        session.commit()
        return result.rowcount or 0


def has_successful_run(session: Session, source: str) -> bool:
    """A source's first successful run is a baseline that alerts nobody."""
    return session.exec(select(ScrapeRun.id).where(
        ScrapeRun.source == source, ScrapeRun.outcome.in_([RunOutcome.OK, RunOutcome.PARTIAL]))
    ).first() is not None
