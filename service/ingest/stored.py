"""What sources may ask about stored data (`scrapers.source.Stored`), answered with SQL here and
nowhere else. Bound to a session (inside an import's transaction) or to an engine (one short
session per question, for planning a run)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select
from sqlmodel import Session

from service.models import Document, ExternalRef, Recommendation, Review


class SqlStored:
    """`scrapers.source.Stored` over the database."""

    def __init__(self, bind: Engine | Session) -> None:
        self.bind = bind

    @contextmanager
    def _session(self) -> Iterator[Session]:
        if isinstance(self.bind, Session):
            yield self.bind
        else:
            with Session(self.bind) as session:
                yield session

    def has_records(self, state: str, mechanism: str) -> bool:
        with self._session() as s:
            return s.execute(select(Recommendation.id).where(
                Recommendation.state == state, Recommendation.mechanism == mechanism).limit(1)).first() is not None

    def document_urls(self, state: str, mechanism: str) -> list[str]:
        with self._session() as s:
            return [u for u in s.execute(select(Document.url).where(
                Document.mechanism == mechanism, Document.state == state)).scalars() if u]

    def _review(self, s: Session, mechanism: str, state: str, cycle: int) -> Review | None:
        """The review of a cycle: mechanisms with cycles key their reviews by the cycle number."""
        return s.execute(select(Review).where(Review.mechanism == mechanism, Review.state == state,
                                              Review.ref == str(cycle))).scalar_one_or_none()

    def report_paragraphs(self, mechanism: str, state: str, cycle: int, kind: str) -> set[str] | None:
        with self._session() as s:
            review = self._review(s, mechanism, state, cycle)
            if review is None:
                return None
            return set(s.execute(
                select(Recommendation.paragraph).join(Document, Document.id == Recommendation.source_document_id)
                .where(Recommendation.review_id == review.id, Document.kind == kind)).scalars())

    def report_symbols(self, mechanism: str, state: str, cycle: int, kind: str) -> set[str]:
        with self._session() as s:
            review = self._review(s, mechanism, state, cycle)
            if review is None:
                return set()
            return set(s.execute(select(Document.symbol).where(
                Document.review_id == review.id, Document.kind == kind)).scalars()) - {None}

    def key_by_external_id(self, source: str, external_id: str) -> str | None:
        with self._session() as s:
            return s.execute(
                select(Recommendation.key).join(ExternalRef, ExternalRef.recommendation_id == Recommendation.id)
                .where(ExternalRef.source == source, ExternalRef.external_id == external_id)).scalars().first()

    def numbered_texts(self, mechanism: str, state: str, cycle: int) -> list[tuple[str, str]]:
        with self._session() as s:
            return [(k, t) for k, t in s.execute(select(Recommendation.key, Recommendation.text).where(
                Recommendation.mechanism == mechanism, Recommendation.state == state,
                Recommendation.cycle == cycle, Recommendation.paragraph.is_not(None))).all()]
