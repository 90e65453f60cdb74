"""Queries over runs and the health of each source."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from scrapers import registry
from service.ingest.health import BAD, GOOD, bad_streak
from service.ingest.runs import NOT_CONFIGURED
from service.keyset import id_page, where_equal
from service.models import RunOutcome, ScrapeRun
from service.models._common import utcnow
from service.run_errors import public_entry, scrub


def list_runs(session: Session, *, source: str | None, outcome: RunOutcome | None, limit: int,
              before_id: int | None) -> tuple[list[ScrapeRun], int]:
    """Newest runs first, before the id cursor, and the total matching `source` and `outcome`."""
    conds = where_equal((ScrapeRun.source, source), (ScrapeRun.outcome, outcome))
    return id_page(session, ScrapeRun, conds, limit=limit, before_id=before_id, newest_first=True)


def source_health(session: Session, next_runs: dict[str, datetime | None],
                  *, failing_threshold: int = 3) -> list[dict[str, Any]]:
    """One row per known source (and any other source that has runs).

    `last_success_at` comes from GOOD runs only, which always reached the source (a run that
    fetched nothing is `skipped`). A source is failing when its latest run failed or was
    blocked: a skipped latest run asked the source nothing, so it is not shown as failing, while
    `consecutive_failures` still counts the failed attempts around skipped runs.
    `failing_threshold` no longer changes the rows (one bad latest run already shows as failing);
    it stays accepted so callers need not change, and is what `source.failing` events count to."""
    seen = set(session.execute(select(ScrapeRun.source).distinct()).scalars())
    known = registry.keys()
    names = known + sorted(seen - set(known))
    now = utcnow()
    rows = []
    for name in names:
        last = session.execute(select(ScrapeRun).where(ScrapeRun.source == name,
                                                       ScrapeRun.outcome != RunOutcome.RUNNING)
                               .order_by(ScrapeRun.id.desc()).limit(1)).scalar_one_or_none()
        last_ok = session.execute(select(func.max(ScrapeRun.finished_at)).where(
            ScrapeRun.source == name, ScrapeRun.outcome.in_(GOOD))).scalar_one()
        newest = session.execute(select(func.max(ScrapeRun.finished_at)).where(
            ScrapeRun.source == name, ScrapeRun.outcome.in_(GOOD), ScrapeRun.inserted + ScrapeRun.updated > 0)
        ).scalar_one() or last_ok
        streak = bad_streak(session, name)
        newest = _aware(newest)
        rows.append({
            "source": name, "description": _description(name), "last_run_id": last.id if last else None,
            "last_outcome": last.outcome if last else None,
            "last_run_at": last.finished_at if last else None, "last_success_at": _aware(last_ok),
            "failing": last is not None and last.outcome in BAD,
            "consecutive_failures": streak, "newest_document_at": newest,
            "freshness_seconds": (now - newest).total_seconds() if newest else None,
            "next_run_at": next_runs.get(name), "skip_reason": _skip_reason(last)})
    return rows


def _description(key: str) -> str | None:
    """What a registered source reads; None for other run sources (imports, the sample)."""
    source = registry.get(key)
    return source.description if source is not None else None


def _skip_reason(run: ScrapeRun | None) -> str | None:
    """Why the latest run fetched nothing and what to set, when it was skipped."""
    if run is None or run.outcome != RunOutcome.SKIPPED:
        return None
    return scrub("; ".join(e.get("message", "") for e in run.errors if e.get("class") == NOT_CONFIGURED)) or None


def _aware(value: datetime | None) -> datetime | None:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def last_error(session: Session, source: str) -> str | None:
    """The first error of the source's latest run, as `class: message (url)`."""
    run = session.execute(select(ScrapeRun).where(ScrapeRun.source == source, ScrapeRun.outcome != RunOutcome.RUNNING)
                          .order_by(ScrapeRun.id.desc()).limit(1)).scalar_one_or_none()
    if run is None or not run.errors:
        return None
    err = public_entry(run.errors[0])  # cleaned again for runs recorded before cleaning on entry
    where = err.get("url") or err.get("file")
    return f"{err['class']}: {err['message']}" + (f" ({where})" if where else "")
