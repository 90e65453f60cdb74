"""Queries over recommendations: filters, keyset pagination, and the detail with its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlmodel import Session

from scrapers.records import Implementation, Position
from service.errors import InvalidParameter
from service.models import (
    Document,
    ExternalRef,
    ImplementationEvidence,
    PositionConflict,
    Recommendation,
    RecommendationLink,
    RecommendationTheme,
    RecommendingState,
    RelatedRecommendation,
    Review,
    StatusEvent,
    Theme,
    ThemeKind,
)
from service.pagination import decode_cursor, encode_cursor
from service.recommendations.schemas import Status
from service.search import text_match

IMPLEMENTED_VALUES = (Implementation.IMPLEMENTED.value, Implementation.PARTIALLY_IMPLEMENTED.value)

SORTS: dict[str, Any] = {
    "id": Recommendation.id,
    "updated_at": Recommendation.updated_at,
    "key": Recommendation.key,
    "state": Recommendation.state,
}


@dataclass
class RecommendationFilter:
    state: str | None = None
    recommending_state: str | None = None
    mechanism: str | None = None
    cycle: int | None = None
    position: str | None = None
    implementation: str | None = None
    status: Status | None = None
    review_id: int | None = None
    q: str | None = None
    theme: str | None = None
    sdg: str | None = None
    affected: str | None = None
    include_sample: bool = True


def status_clause(status: Status) -> ColumnElement[bool]:
    """SQL for the derived status, mirroring schemas.derive_status."""
    if status in (Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED):
        return Recommendation.implementation == status.value
    not_impl = Recommendation.implementation.not_in(IMPLEMENTED_VALUES)
    if status == Status.ACCEPTED:
        return and_(not_impl, Recommendation.position.in_(
            [Position.SUPPORTED.value, Position.PARTIALLY_SUPPORTED.value]))
    if status == Status.REJECTED:
        return and_(not_impl, Recommendation.position == Position.NOTED.value)
    return and_(not_impl, Recommendation.position == Position.PENDING.value)


def _conditions(f: RecommendationFilter, dialect: str) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.state:
        conds.append(Recommendation.state == f.state)
    if f.mechanism:
        conds.append(Recommendation.mechanism == f.mechanism)
    if f.cycle is not None:
        conds.append(Recommendation.cycle == f.cycle)
    if f.position:
        conds.append(Recommendation.position == f.position)
    if f.implementation:
        conds.append(Recommendation.implementation == f.implementation)
    if f.status:
        conds.append(status_clause(f.status))
    if f.review_id is not None:
        conds.append(Recommendation.review_id == f.review_id)
    if f.recommending_state:
        conds.append(exists().where(RecommendingState.recommendation_id == Recommendation.id,
                                    RecommendingState.state == f.recommending_state))
    for kind, value in ((ThemeKind.THEME, f.theme), (ThemeKind.SDG, f.sdg),
                        (ThemeKind.AFFECTED, f.affected)):
        if value:
            conds.append(_tagged(kind, value))
    if f.q:
        conds.append(text_match(dialect, f.q))
    if not f.include_sample:
        conds.append(Recommendation.is_sample.is_(False))
    return conds


def _tagged(kind: ThemeKind, value: str) -> ColumnElement[bool]:
    """Tag filter: exact name, or for SDGs the goal number (`sdg=16` matches "16 - PEACE ...")."""
    name_match = func.lower(Theme.name) == value.lower()
    if kind == ThemeKind.SDG and value.strip().isdigit():
        name_match = or_(name_match, Theme.name.startswith(f"{value.strip()} "),
                         Theme.name.startswith(f"{value.strip()}."))
    return exists().where(RecommendationTheme.recommendation_id == Recommendation.id,
                          RecommendationTheme.theme_id == Theme.id, Theme.kind == kind, name_match)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def count(session: Session, f: RecommendationFilter) -> int:
    stmt = select(func.count()).select_from(Recommendation).where(*_conditions(f, _dialect(session)))
    return session.execute(stmt).scalar_one()


def list_page(session: Session, f: RecommendationFilter, *, sort: str, limit: int,
              cursor: str | None) -> tuple[list[Recommendation], str | None]:
    """One page in `sort` order (`-` prefix = descending), keyset-paginated on (sort value, id)."""
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    stmt = select(Recommendation).where(*_conditions(f, _dialect(session)))
    if cursor:
        value, last_id = decode_cursor(cursor, 2, (None, int))
        value = _cursor_value(column, value)
        if column is Recommendation.id:
            stmt = stmt.where(Recommendation.id < last_id if descending else Recommendation.id > last_id)
        elif descending:
            stmt = stmt.where(or_(column < value, and_(column == value, Recommendation.id < last_id)))
        else:
            stmt = stmt.where(or_(column > value, and_(column == value, Recommendation.id > last_id)))
    order = [column.desc(), Recommendation.id.desc()] if descending else [column, Recommendation.id]
    if column is Recommendation.id:
        order = order[:1]
    rows = list(session.execute(stmt.order_by(*order).limit(limit + 1)).scalars())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([_plain(getattr(last, column.key)), last.id])
    return rows, next_cursor


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _cursor_value(column: Any, value: Any) -> Any:
    """The cursor's sort value in the column's type. The sort columns other than the id are
    non-null strings and datetimes (ISO text in the cursor); anything else is a 422, not a 500."""
    if column is Recommendation.id:
        return value
    if not isinstance(value, str):
        raise InvalidParameter("cursor: not a cursor returned by this API")
    if column is Recommendation.updated_at:
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


@dataclass
class RecommendationBundle:
    recommendation: Recommendation
    review: Review
    states: list[RecommendingState]
    events: list[tuple[StatusEvent, Document | None]]
    external_refs: list[ExternalRef]
    source_document: Document | None
    themes: list[tuple[Theme, str]]
    conflicts: list[tuple[PositionConflict, Document | None]]
    related: list[tuple[Recommendation, float]]
    links: list[RecommendationLink]
    evidence: list[ImplementationEvidence]


def get_bundle(session: Session, recommendation_id: int) -> RecommendationBundle | None:
    """The recommendation with everything its detail page shows, in a fixed number of queries."""
    rec = session.get(Recommendation, recommendation_id)
    if rec is None:
        return None
    review = session.get(Review, rec.review_id)
    states = recommending_states_for(session, [rec.id])[rec.id]
    events = list(session.execute(
        select(StatusEvent, Document).outerjoin(Document, StatusEvent.document_id == Document.id)
        .where(StatusEvent.recommendation_id == rec.id)
        .order_by(StatusEvent.effective_on.is_(None).desc(), StatusEvent.effective_on, StatusEvent.id)
    ))
    refs = list(session.execute(select(ExternalRef).where(ExternalRef.recommendation_id == rec.id)
                                .order_by(ExternalRef.id)).scalars())
    source = session.get(Document, rec.source_document_id) if rec.source_document_id else None
    themes = list(session.execute(
        select(Theme, RecommendationTheme.source).join(RecommendationTheme, RecommendationTheme.theme_id == Theme.id)
        .where(RecommendationTheme.recommendation_id == rec.id).order_by(Theme.kind, Theme.name)))
    links = list(session.execute(select(RecommendationLink).where(RecommendationLink.recommendation_id == rec.id)
                                 .order_by(RecommendationLink.effective_on, RecommendationLink.id)).scalars())
    evidence = list(session.execute(select(ImplementationEvidence).where(
        ImplementationEvidence.recommendation_id == rec.id).order_by(ImplementationEvidence.id)).scalars())
    return RecommendationBundle(rec, review, states, events, refs, source, themes,
                                conflicts_for(session, rec.id), related_for(session, rec.id), links, evidence)


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


def related_for(session: Session, recommendation_id: int) -> list[tuple[Recommendation, float]]:
    """Similar recommendations from earlier cycles, most similar first."""
    return list(session.execute(
        select(Recommendation, RelatedRecommendation.similarity)
        .join(RelatedRecommendation, RelatedRecommendation.related_id == Recommendation.id)
        .where(RelatedRecommendation.recommendation_id == recommendation_id)
        .order_by(RelatedRecommendation.similarity.desc(), Recommendation.id)))
