"""Source health: a source that keeps failing is announced once, and again when it recovers."""

from __future__ import annotations

from sqlmodel import Session, select

from service.ingest import events
from service.models import RunOutcome, ScrapeRun

BAD = (RunOutcome.FAILED.value, RunOutcome.BLOCKED.value)
GOOD = (RunOutcome.OK.value, RunOutcome.PARTIAL.value)


def bad_streak(session: Session, source: str, *, before_id: int | None = None) -> int:
    """How many of the latest finished runs (before `before_id`, if given) failed or were blocked."""
    stmt = select(ScrapeRun.outcome).where(ScrapeRun.source == source,
                                           ScrapeRun.outcome != RunOutcome.RUNNING)
    if before_id is not None:
        stmt = stmt.where(ScrapeRun.id < before_id)
    streak = 0
    for outcome in session.execute(stmt.order_by(ScrapeRun.id.desc()).limit(1000)).scalars():
        if outcome not in BAD:
            break
        streak += 1
    return streak


def after_run(session: Session, run: ScrapeRun, *, threshold: int) -> str | None:
    """Emit source.failing on the threshold-th bad run in a row, source.recovered on the first
    good run after such a streak. Returns the event type written, if any."""
    if run.outcome in BAD and bad_streak(session, run.source) == threshold:
        events.emit(session, events.EventType.SOURCE_FAILING, payload={
            "source": run.source, "consecutive_failures": threshold, "last_run_id": run.id,
            "last_outcome": run.outcome, "errors": run.errors[:5]})
        return events.EventType.SOURCE_FAILING
    if run.outcome in GOOD:
        streak = bad_streak(session, run.source, before_id=run.id)
        if streak >= threshold:
            events.emit(session, events.EventType.SOURCE_RECOVERED, payload={
                "source": run.source, "after_failures": streak, "run_id": run.id})
            return events.EventType.SOURCE_RECOVERED
    return None
