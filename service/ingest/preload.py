"""What is stored about the recommendations a document names, loaded in a fixed number of
queries (not several per record): the importer then compares in memory and writes only changes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, select

from service.listparam import bind_values, in_values
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

CHUNK = 5000  # keys per look-up; the list travels as one parameter


def chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class StoredRecommendation:
    """A stored recommendation read as a plain row; its ORM object is loaded only when the import
    writes to it. A re-import reads every record and changes few: rows cost a fraction of ORM
    objects. The row's values are plain attributes (reads cost nothing); a write goes to the ORM
    object and is mirrored here, so the code that compares and writes reads one current value."""

    def __init__(self, session: Session, row: Any) -> None:
        self.__dict__.update(row._mapping)
        self.__dict__["_session"], self.__dict__["_orm"] = session, None

    def orm(self) -> Recommendation:
        if self._orm is None:
            self.__dict__["_orm"] = self._session.get(Recommendation, self.id)
        return self._orm

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.orm(), name, value)
        self.__dict__[name] = value


# Timestamps are written, never compared: not reading them saves parsing two datetimes per row.
_UNREAD = frozenset({"first_seen_at", "updated_at", "recorded_at"})


def _read_columns(table: Any) -> list:
    return [column for column in table.c if column.name not in _UNREAD]


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


@lru_cache(maxsize=4)
def _statements(dialect: str) -> dict[str, Select]:
    """The look-ups `load` makes, built once per database dialect."""
    recs, states = Recommendation.__table__, RecommendingState.__table__
    events, conflicts = StatusEvent.__table__, PositionConflict.__table__
    tags, refs = RecommendationTheme.__table__, ExternalRef.__table__
    return {
        "recs": select(*_read_columns(recs)).where(in_values(dialect, recs.c.key)),
        "ids": select(recs.c.key, recs.c.id).where(in_values(dialect, recs.c.key)),
        "states": select(states.c.recommendation_id, states.c.state)
        .where(in_values(dialect, states.c.recommendation_id)).order_by(states.c.position),
        "events": select(*_read_columns(events)).where(in_values(dialect, events.c.recommendation_id),
                                                       events.c.axis == Axis.POSITION.value).order_by(events.c.id),
        "conflicts": select(conflicts).where(in_values(dialect, conflicts.c.recommendation_id)),
        "tags": select(tags.c.recommendation_id, tags.c.theme_id).where(in_values(dialect, tags.c.recommendation_id)),
        "refs": select(refs.c.recommendation_id, refs.c.source, refs.c.external_id)
        .where(in_values(dialect, refs.c.recommendation_id)),
        "kinds": select(Document.__table__.c.id, Document.__table__.c.kind)
        .where(in_values(dialect, Document.__table__.c.id)),
    }


def lookup(session: Session, name: str, values: list) -> list:
    """Rows of the look-up `name` for these keys or ids."""
    dialect = session.get_bind().dialect.name
    return session.execute(_statements(dialect)[name], bind_values(dialect, values)).all()


def ids_by_key(session: Session, keys: list[str]) -> dict[str, int]:
    return {key: rec_id for part in chunks(keys) for key, rec_id in lookup(session, "ids", part)}


def load(session: Session, keys: Iterable[str]) -> Known:
    known = Known()
    rows = partial(lookup, session)
    for part in chunks(sorted(set(keys))):
        for row in rows("recs", part):
            known.recs[row.key] = StoredRecommendation(session, row)
    # Plain rows, not ORM objects: read-only here, and a re-import reads one per record.
    for part in chunks([rec.id for rec in known.recs.values()]):
        for rec_id, state in rows("states", part):
            known.states[rec_id].append(state)
        for event in rows("events", part):
            known.position_events[event.recommendation_id].append(event)
        for conflict in rows("conflicts", part):
            known.conflicts[conflict.recommendation_id].append(conflict)
        for rec_id, theme_id in rows("tags", part):
            known.theme_ids[rec_id].add(theme_id)
        for rec_id, source, external_id in rows("refs", part):
            known.refs[rec_id].add((source, external_id))
    doc_ids = sorted({r.source_document_id for r in known.recs.values() if r.source_document_id})
    for part in chunks(doc_ids):
        known.document_kinds.update((doc_id, kind) for doc_id, kind in rows("kinds", part))
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
