"""What is stored about the recommendations a document names, loaded in a fixed number of
queries (not several per record): the importer then compares in memory and writes only changes."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, String, any_, bindparam, func
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


def in_values(session: Session, column: ColumnElement, values: list) -> ColumnElement[bool]:
    """`column IN (values)` with the whole list bound as one parameter: a JSON array read by
    json_each on SQLite, an array on PostgreSQL. The statement is then the same for any list,
    compiled once, instead of rendering and binding hundreds of placeholders per query."""
    if session.get_bind().dialect.name == "sqlite":
        listed = func.json_each(bindparam(None, json.dumps(values), type_=String)).table_valued("value")
        return column.in_(select(listed.c.value))
    return column == any_(bindparam(None, values, type_=ARRAY(column.type)))


def chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class StoredRecommendation:
    """A stored recommendation read as a plain row; its ORM object is loaded only when the import
    writes to it. A re-import reads every record and changes few: rows cost a fraction of ORM
    objects, and the code that compares and writes reads both the same way."""

    __slots__ = ("_orm", "_row", "_session")

    def __init__(self, session: Session, row: Any) -> None:
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_row", row)
        object.__setattr__(self, "_orm", None)

    def orm(self) -> Recommendation:
        if self._orm is None:
            object.__setattr__(self, "_orm", self._session.get(Recommendation, self._row.id))
        return self._orm

    def __getattr__(self, name: str) -> Any:
        return getattr(self._orm if self._orm is not None else self._row, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.orm(), name, value)


@dataclass
class Known:
    """What is stored, by recommendation id. Events and conflicts are rows with the model's
    attribute names; claims made during the import append ORM objects beside them."""

    recs: dict[str, StoredRecommendation] = field(default_factory=dict)
    states: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    position_events: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    conflicts: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    theme_ids: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    refs: dict[int, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    document_kinds: dict[int, str] = field(default_factory=dict)


def load(session: Session, keys: Iterable[str]) -> Known:
    known = Known()
    table = Recommendation.__table__
    for part in chunks(sorted(set(keys))):
        for row in session.execute(select(table).where(in_values(session, table.c.key, part))):
            known.recs[row.key] = StoredRecommendation(session, row)
    ids = [rec.id for rec in known.recs.values()]
    states, events, conflicts = RecommendingState.__table__, StatusEvent.__table__, PositionConflict.__table__
    for part in chunks(ids):
        # Plain rows, not ORM objects: read-only here, and a re-import reads one per record.
        for row in session.execute(select(states.c.recommendation_id, states.c.state)
                                   .where(in_values(session, states.c.recommendation_id, part))
                                   .order_by(states.c.position)):
            known.states[row.recommendation_id].append(row.state)
        for event in session.execute(select(events).where(in_values(session, events.c.recommendation_id, part),
                                                          events.c.axis == Axis.POSITION.value)
                                     .order_by(events.c.id)):
            known.position_events[event.recommendation_id].append(event)
        for conflict in session.execute(select(conflicts).where(
                in_values(session, conflicts.c.recommendation_id, part))):
            known.conflicts[conflict.recommendation_id].append(conflict)
        for rec_id, theme_id in session.execute(select(RecommendationTheme.recommendation_id,
                                                       RecommendationTheme.theme_id)
                                                .where(in_values(session, RecommendationTheme.recommendation_id, part))):
            known.theme_ids[rec_id].add(theme_id)
        for rec_id, source, external_id in session.execute(
                select(ExternalRef.recommendation_id, ExternalRef.source, ExternalRef.external_id)
                .where(in_values(session, ExternalRef.recommendation_id, part))):
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
