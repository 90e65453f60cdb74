"""What is stored about the recommendations a document names, loaded in a fixed number of
queries (not several per record): the importer then compares in memory and writes only changes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlmodel import Session, select

from service.models import (
    Axis,
    Document,
    ExternalRef,
    PositionConflict,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    StatusEvent,
    Theme,
)

CHUNK = 500  # IN-list size: well inside SQLite's and PostgreSQL's parameter limits


def chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


@dataclass
class Known:
    recs: dict[str, Recommendation] = field(default_factory=dict)
    states: dict[int, list[RecommendingState]] = field(default_factory=lambda: defaultdict(list))
    position_events: dict[int, list[StatusEvent]] = field(default_factory=lambda: defaultdict(list))
    conflicts: dict[int, list[PositionConflict]] = field(default_factory=lambda: defaultdict(list))
    theme_ids: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    refs: dict[int, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    document_kinds: dict[int, str] = field(default_factory=dict)


def load(session: Session, keys: Iterable[str]) -> Known:
    known = Known()
    for part in chunks(sorted(set(keys))):
        for rec in session.execute(select(Recommendation).where(Recommendation.key.in_(part))).scalars():
            known.recs[rec.key] = rec
    ids = [rec.id for rec in known.recs.values()]
    for part in chunks(ids):
        for row in session.execute(select(RecommendingState).where(RecommendingState.recommendation_id.in_(part))
                                   .order_by(RecommendingState.position)).scalars():
            known.states[row.recommendation_id].append(row)
        for event in session.execute(select(StatusEvent).where(
                StatusEvent.recommendation_id.in_(part), StatusEvent.axis == Axis.POSITION)
                .order_by(StatusEvent.id)).scalars():
            known.position_events[event.recommendation_id].append(event)
        for conflict in session.execute(select(PositionConflict).where(
                PositionConflict.recommendation_id.in_(part))).scalars():
            known.conflicts[conflict.recommendation_id].append(conflict)
        for rec_id, theme_id in session.execute(select(RecommendationTheme.recommendation_id,
                                                       RecommendationTheme.theme_id)
                                                .where(RecommendationTheme.recommendation_id.in_(part))):
            known.theme_ids[rec_id].add(theme_id)
        for rec_id, source, external_id in session.execute(
                select(ExternalRef.recommendation_id, ExternalRef.source, ExternalRef.external_id)
                .where(ExternalRef.recommendation_id.in_(part))):
            known.refs[rec_id].add((source, external_id))
    doc_ids = sorted({r.source_document_id for r in known.recs.values() if r.source_document_id})
    for part in chunks(doc_ids):
        known.document_kinds.update(session.execute(select(Document.id, Document.kind)
                                                    .where(Document.id.in_(part))).all())
    return known


class ThemeIds:
    """Theme ids by (kind, name), read once per import; new themes are created as met."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._ids = {(t.kind, t.name): t.id for t in session.execute(select(Theme)).scalars()}

    def get(self, kind: str, name: str) -> int:
        key = (kind, name)
        if key not in self._ids:
            theme = Theme(kind=kind, name=name)
            self.session.add(theme)
            self.session.flush()
            self._ids[key] = theme.id
        return self._ids[key]
