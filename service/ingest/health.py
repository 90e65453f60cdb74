"""Source health: a source that keeps failing is announced once, and again when it recovers."""

from __future__ import annotations

from sqlmodel import Session, select

from service.ingest import events
from service.models import RunOutcome, ScrapeRun

BAD = (RunOutcome.FAILED.value, RunOutcome.BLOCKED.value)
# A GOOD run reached the source and got an answer: `runs.finish_run` never records one that
# fetched nothing (that is `skipped`), so "last success" can be read from GOOD outcomes alone.
GOOD = (RunOutcome.OK.value, RunOutcome.PARTIAL.value)
# Neither: a skipped run asked the source nothing, so it neither breaks nor extends a streak.
NEUTRAL = (RunOutcome.SKIPPED.value,)


def bad_streak(session: Session, source: str, *, before_id: int | None = None) -> int:
    """How many of the latest finished runs (before `before_id`, if given) failed or were blocked.

    Skipped runs are passed over: failed, skipped, failed is two failures in a row, so a source
    that failed before a spell of "nothing configured" is announced once and recovers once."""
    stmt = select(ScrapeRun.outcome).where(ScrapeRun.source == source,
                                           ScrapeRun.outcome != RunOutcome.RUNNING)
    if before_id is not None:
        stmt = stmt.where(ScrapeRun.id < before_id)
    streak = 0
    for outcome in session.execute(stmt.order_by(ScrapeRun.id.desc()).limit(1000)).scalars():
        if outcome in NEUTRAL:
            continue
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
