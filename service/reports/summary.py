"""The report's counts: by position, implementation, status and theme, and the change since the
previous review. Counts are per recommendation, whatever the grouping."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlmodel import Session

from scrapers.records import Position
from service.models import Recommendation
from service.reports.model import (
    IMPLEMENTATION_LABELS,
    NO_THEME,
    POSITION_LABELS,
    STATUS_LABELS,
    Comparison,
    ReportRow,
    ReportScope,
    Summary,
    ThemeCount,
)


def _ordered(counter: Counter[str], order: dict[str, str]) -> dict[str, int]:
    """Every known value in a fixed order (zeros included), then any value we do not know."""
    out = {key: counter.get(key, 0) for key in order}
    out.update({key: n for key, n in sorted(counter.items()) if key not in out})
    return out


def theme_counts(rows: list[ReportRow]) -> list[ThemeCount]:
    listed = Counter(r.themes[0] for r in rows if r.themes)
    tagged = Counter(t for r in rows for t in dict.fromkeys(r.themes))
    counts = sorted((ThemeCount(name, listed.get(name, 0), n) for name, n in tagged.items()),
                    key=lambda c: (-c.tagged, c.name.casefold()))
    untagged = sum(1 for r in rows if not r.themes)
    return counts + ([ThemeCount(NO_THEME, untagged, untagged)] if untagged else [])


def comparison(session: Session, scope: ReportScope, rows: list[ReportRow], *,
               include_sample: bool) -> Comparison | None:
    """Counts of cycle N-1 beside cycle N; only for a report of one cycle after the first."""
    if scope.cycle is None or scope.cycle <= 1:
        return None
    previous = scope.cycle - 1
    stmt = (select(Recommendation.position, func.count())
            .where(Recommendation.state == scope.state, Recommendation.cycle == previous,
                   Recommendation.mechanism == (scope.mechanism or "upr"))
            .group_by(Recommendation.position))
    if not include_sample:
        stmt = stmt.where(Recommendation.is_sample.is_(False))
    before = Counter({position: n for position, n in session.execute(stmt)})
    repeats = [[r for r in row.recurrences if r.cycle == previous] for row in rows]
    return Comparison(
        previous=f"cycle {previous}", previous_total=sum(before.values()), current_total=len(rows),
        previous_by_position=_ordered(before, POSITION_LABELS),
        current_by_position=_ordered(Counter(r.position for r in rows), POSITION_LABELS),
        recurring=sum(1 for rs in repeats if rs),
        recurring_noted_before=sum(1 for rs in repeats if any(r.position == Position.NOTED for r in rs)))


def summarise(session: Session, scope: ReportScope, rows: list[ReportRow], *,
              include_sample: bool) -> Summary:
    return Summary(
        total=len(rows),
        by_position=_ordered(Counter(r.position for r in rows), POSITION_LABELS),
        by_implementation=_ordered(Counter(r.implementation for r in rows), IMPLEMENTATION_LABELS),
        by_status=_ordered(Counter(r.status for r in rows), STATUS_LABELS),
        by_theme=theme_counts(rows),
        comparison=comparison(session, scope, rows, include_sample=include_sample))
