"""The reads behind `/api/v1/documents`: archived documents and how many recommendations each made."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlmodel import Session

from service.keyset import id_page, where_equal
from service.models import Document, Recommendation, Review


def page(session: Session, *, state: str | None, mechanism: str | None, kind: str | None, limit: int,
         after_id: int | None) -> tuple[list[Document], int]:
    """Documents in id order after `after_id` (one more than `limit`, to tell whether a next page
    exists), and the total matching the filters."""
    conds = where_equal((Document.state, state.upper() if state else None),
                        (Document.mechanism, mechanism), (Document.kind, kind))
    return id_page(session, Document, conds, limit=limit + 1, after_id=after_id)


def recommendation_counts(session: Session, document_ids: list[int]) -> dict[int, int]:
    """How many recommendations each document is the source of (absent: none)."""
    if not document_ids:
        return {}
    return dict(session.execute(
        select(Recommendation.source_document_id, func.count())
        .where(Recommendation.source_document_id.in_(document_ids))
        .group_by(Recommendation.source_document_id)).all())


def get(session: Session, document_id: int) -> Document | None:
    return session.get(Document, document_id)


def review_of(session: Session, doc: Document) -> Review | None:
    return session.get(Review, doc.review_id) if doc.review_id else None


def citable(session: Session, state: str, own: set[int], *, limit: int = 50) -> list[Document]:
    """Documents an editor may cite for a recommendation: its own (`own`), then the state's, newest
    first."""
    stmt = (select(Document).where(or_(Document.state == state, Document.id.in_(own or {0})))
            .order_by(Document.published_on.desc(), Document.id.desc()).limit(limit))
    return list(session.execute(stmt).scalars())
