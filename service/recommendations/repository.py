"""Queries over recommendations: filters, keyset pagination, and the detail with its history."""

from __future__ import annotations

from dataclasses import astuple, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlmodel import Session

from scrapers.records import Implementation, Position
from service.aggregates import AggregateCache
from service.errors import InvalidParameter, NotFound
from service.filters import RecommendationFilter
from service.models import (
    ChangeEvent,
    Document,
    PositionConflict,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    RelatedRecommendation,
    Theme,
    ThemeKind,
)
from service.pagination import decode_cursor, encode_cursor
from service.recommendations.schemas import Status
from service.search import KeysetHint, count_matches, text_match

IMPLEMENTED_VALUES = (Implementation.IMPLEMENTED.value, Implementation.PARTIALLY_IMPLEMENTED.value)

# Plain table columns, not ORM attributes: filters built from them keep a statement that selects
# columns a Core statement (no ORM compile step, no entity loading) on the API's hot reads.
R = Recommendation.__table__.c
RS = RecommendingState.__table__.c
RT = RecommendationTheme.__table__.c
TH = Theme.__table__.c

SORTS: dict[str, Any] = {
    "id": R.id,
    "updated_at": R.updated_at,
    "key": R.key,
    "state": R.state,
}


def status_clause(status: Status) -> ColumnElement[bool]:
    """SQL for the derived status, mirroring schemas.derive_status."""
    if status in (Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED):
        return R.implementation == status.value
    not_impl = R.implementation.not_in(IMPLEMENTED_VALUES)
    if status == Status.ACCEPTED:
        return and_(not_impl, R.position.in_([Position.SUPPORTED.value, Position.PARTIALLY_SUPPORTED.value]))
    if status == Status.REJECTED:
        return and_(not_impl, R.position == Position.NOTED.value)
    return and_(not_impl, R.position == Position.PENDING.value)


def _conditions(f: RecommendationFilter, dialect: str, *, keyset: KeysetHint | None = None
                ) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.state:
        conds.append(R.state == f.state)
    if f.mechanism:
        conds.append(R.mechanism == f.mechanism)
    if f.cycle is not None:
        conds.append(R.cycle == f.cycle)
    if f.position:
        conds.append(R.position == f.position)
    if f.implementation:
        conds.append(R.implementation == f.implementation)
    if f.status:
        conds.append(status_clause(f.status))
    if f.review_id is not None:
        conds.append(R.review_id == f.review_id)
    if f.recommending_state:
        conds.append(exists().where(RS.recommendation_id == R.id, RS.state == f.recommending_state))
    for kind, value in ((ThemeKind.THEME, f.theme), (ThemeKind.SDG, f.sdg),
                        (ThemeKind.AFFECTED, f.affected)):
        if value:
            conds.append(_tagged(kind, value))
    if f.q:
        conds.append(text_match(dialect, f.q, keyset=keyset))
    if not f.include_sample:
        conds.append(R.is_sample.is_(False))
    return conds


def _only_text(f: RecommendationFilter) -> bool:
    """True when `q` is the whole filter: the full-text index alone then answers counts and pages."""
    return bool(f.q) and f.include_sample and f == RecommendationFilter(q=f.q)


def _tagged(kind: ThemeKind, value: str) -> ColumnElement[bool]:
    """Tag filter: exact name, or for SDGs the goal number (`sdg=16` matches "16 - PEACE ...")."""
    name_match = func.lower(TH.name) == value.lower()
    if kind == ThemeKind.SDG and value.strip().isdigit():
        name_match = or_(name_match, TH.name.startswith(f"{value.strip()} "),
                         TH.name.startswith(f"{value.strip()}."))
    return exists().where(RT.recommendation_id == R.id, RT.theme_id == TH.id, TH.kind == kind, name_match)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# Counts of text searches, invalidated by change events like the other aggregates. Only those:
# counting every match of a common word is the one expensive count (PostgreSQL: 26 ms for
# "freedom" at 200k rows, a bitmap heap scan over 32,000 rows; SQLite's index alone: 1 ms),
# while the page of results is always read fresh. Its own cache, so that many distinct searches
# cannot evict the state and dashboard aggregates.
TEXT_COUNTS = AggregateCache()


def count(session: Session, f: RecommendationFilter) -> int:
    if f.q:
        return TEXT_COUNTS.get(session, ("text-count", *astuple(f)), lambda: _count(session, f))
    return _count(session, f)


def _count(session: Session, f: RecommendationFilter) -> int:
    dialect = _dialect(session)
    if _only_text(f) and (stmt := count_matches(dialect, f.q)) is not None:
        return session.execute(stmt).scalar_one()
    stmt = select(func.count()).select_from(Recommendation.__table__).where(*_conditions(f, dialect))
    return session.execute(stmt).scalar_one()


def page_statement(session: Session, f: RecommendationFilter, entities: list[Any], *, sort: str,
                   limit: int, cursor: str | None) -> Select:
    """`entities` of one page in `sort` order (`-` prefix = descending), keyset-paginated on
    (sort value, id); `limit + 1` rows, so the caller knows whether there is a next page."""
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    last_id = None
    keyset: list[ColumnElement[bool]] = []
    if cursor:
        value, last_id = decode_cursor(cursor, 2, (None, int))
        value = _cursor_value(column, value)
        if column is R.id:
            keyset.append(R.id < last_id if descending else R.id > last_id)
        elif descending:
            keyset.append(or_(column < value, and_(column == value, R.id < last_id)))
        else:
            keyset.append(or_(column > value, and_(column == value, R.id > last_id)))
    # Text alone in id order: the page is the full-text index's next `limit + 1` matches, not
    # every match sorted (32,000 for "freedom" at 200k rows).
    hint = (KeysetHint(last_id, descending, limit + 1)
            if column is R.id and _only_text(f) else None)
    stmt = select(*entities).where(*_conditions(f, _dialect(session), keyset=hint), *keyset)
    order = [column.desc(), R.id.desc()] if descending else [column, R.id]
    if column is R.id:
        order = order[:1]
    return stmt.order_by(*order).limit(limit + 1)


def next_cursor(rows: list[Any], limit: int, sort: str) -> tuple[list[Any], str | None]:
    """Trim the extra row of `page_statement` and make the cursor for the next page."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor([_plain(getattr(last, SORTS[sort.lstrip("-")].key)), last.id])


def list_page(session: Session, f: RecommendationFilter, *, sort: str, limit: int,
              cursor: str | None) -> tuple[list[Recommendation], str | None]:
    """One page of recommendations (ORM objects, for the dashboard and exports)."""
    stmt = page_statement(session, f, [Recommendation], sort=sort, limit=limit, cursor=cursor)
    return next_cursor(list(session.execute(stmt).scalars()), limit, sort)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _cursor_value(column: Any, value: Any) -> Any:
    """The cursor's sort value in the column's type. The sort columns other than the id are
    non-null strings and datetimes (ISO text in the cursor); anything else is a 422, not a 500."""
    if column is R.id:
        return value
    if not isinstance(value, str):
        raise InvalidParameter("cursor: not a cursor returned by this API")
    if column is R.updated_at:
        try:
            return datetime.fromisoformat(value)
        except ValueError as exc:
            raise InvalidParameter("cursor: not a cursor returned by this API") from exc
    return value


def recommending_states_for(session: Session, ids: list[int]) -> dict[int, list[RecommendingState]]:
    """All recommending states of a page in one query (no N+1)."""
    out: dict[int, list[RecommendingState]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = (select(RecommendingState).where(RecommendingState.recommendation_id.in_(ids))
            .order_by(RecommendingState.recommendation_id, RecommendingState.position))
    for row in session.execute(stmt).scalars():
        out[row.recommendation_id].append(row)
    return out


def conflicts_for(session: Session, recommendation_id: int | None = None, *, state: str | None = None,
                  limit: int = 500) -> list[tuple[PositionConflict, Document | None]]:
    stmt = (select(PositionConflict, Document)
            .outerjoin(Document, PositionConflict.claimed_document_id == Document.id))
    if recommendation_id is not None:
        stmt = stmt.where(PositionConflict.recommendation_id == recommendation_id)
    if state:
        stmt = stmt.join(Recommendation, Recommendation.id == PositionConflict.recommendation_id).where(
            Recommendation.state == state)
    return list(session.execute(stmt.order_by(PositionConflict.id).limit(limit)))


def event_conditions(session: Session, flt: RecommendationFilter) -> list[ColumnElement[bool]]:
    """Change events for the feed: `state` and `mechanism` read the event itself (document and
    source events carry them too); every other filter keeps the events of recommendations that
    match it now. Baseline events (a first import) are left out."""
    conds: list[ColumnElement[bool]] = [ChangeEvent.baseline.is_(False)]
    if flt.state:
        conds.append(ChangeEvent.state == flt.state)
    if flt.mechanism:
        conds.append(ChangeEvent.mechanism == flt.mechanism)
    rest = replace(flt, state=None, mechanism=None)
    if rest != RecommendationFilter():
        matching = select(R.id).where(*_conditions(rest, session.get_bind().dialect.name))
        conds.append(ChangeEvent.recommendation_id.in_(matching))
    return conds


def related_for(session: Session, recommendation_id: int) -> list[tuple[Recommendation, float]]:
    """Similar recommendations from earlier cycles, most similar first; NotFound for an unknown id."""
    if session.get(Recommendation, recommendation_id) is None:
        raise NotFound(f"recommendation {recommendation_id} does not exist")
    return list(session.execute(
        select(Recommendation, RelatedRecommendation.similarity)
        .join(RelatedRecommendation, RelatedRecommendation.related_id == Recommendation.id)
        .where(RelatedRecommendation.recommendation_id == recommendation_id)
        .order_by(RelatedRecommendation.similarity.desc(), Recommendation.id)))
