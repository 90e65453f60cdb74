"""Reviews and documents, found or created: the rows every recommendation hangs from."""

from __future__ import annotations

from sqlmodel import Session, select

from scrapers import registry
from scrapers.records import ScrapedDocument, ScrapedRecommendation
from service.models import Document, Review
from service.public_urls import public_document_url
from service.states.seed import ensure_state


def review_ref(key: str) -> str:
    """The review part of a natural key `<mechanism>/<state>/<review>/<item>`: the cycle of a
    periodic review, a resolution's reference, a supervised case's number."""
    parts = key.split("/")
    return parts[2] if len(parts) > 2 else key


class ReviewCache:
    """Reviews by (mechanism, state, ref) for one import; states ensured on first sight."""

    def __init__(self, session: Session, meta: ScrapedDocument) -> None:
        self.session, self.meta = session, meta
        spec = registry.kind(meta.kind)
        self._title = spec.review_title if spec is not None else None
        self._reviews: dict[tuple[str, str, str], Review] = {}

    def for_record(self, scraped: ScrapedRecommendation) -> Review:
        ref = review_ref(scraped.key)
        key = (scraped.mechanism.value, scraped.state, ref)
        if key not in self._reviews:
            ensure_state(self.session, scraped.state)
            self._reviews[key] = self._get_or_create(scraped, ref)
        return self._reviews[key]

    def _get_or_create(self, scraped: ScrapedRecommendation, ref: str) -> Review:
        meta = self.meta
        review = self.session.execute(select(Review).where(
            Review.mechanism == scraped.mechanism, Review.state == scraped.state, Review.ref == ref)).scalar_one_or_none()
        if review is None:
            title = self._title(meta, scraped) if self._title is not None else meta.title
            review = Review(mechanism=scraped.mechanism, state=scraped.state, ref=ref, cycle=scraped.cycle,
                            session=meta.wg_session, title=title, is_sample=meta.is_sample)
            self.session.add(review)
            self.session.flush()
        elif review.session is None and meta.wg_session is not None:
            review.session = meta.wg_session
        return review


def get_or_create_document(session: Session, meta: ScrapedDocument) -> tuple[Document, bool]:
    """The document by its bytes' hash; True when it is new."""
    doc = session.execute(select(Document).where(Document.sha256 == meta.sha256)).scalar_one_or_none()
    if doc is not None:
        return doc, False
    if meta.state_under_review:
        ensure_state(session, meta.state_under_review)
    review = None
    if meta.state_under_review and meta.cycle is not None:  # a periodic review: its ref is the cycle
        review = session.execute(select(Review).where(
            Review.mechanism == meta.mechanism, Review.state == meta.state_under_review,
            Review.ref == str(meta.cycle))).scalar_one_or_none()
    doc = Document(
        mechanism=meta.mechanism, kind=meta.kind, symbol=meta.symbol, title=meta.title,
        state=meta.state_under_review, review_id=review.id if review else None,
        # The public address only: a file imported from disk has a server path as source_url.
        url=public_document_url(meta.source_url, symbol=meta.symbol, language=meta.language,
                                mechanism=meta.mechanism),
        language=meta.language, published_on=meta.published_on,
        sha256=meta.sha256, content_type=meta.content_type, size=meta.size,
        parser=meta.parser, parser_version=meta.parser_version, is_sample=meta.is_sample,
        reference=meta.reference, version=meta.version, outcome=meta.outcome, vote=meta.vote,
        cites=list(meta.cites))
    session.add(doc)
    session.flush()
    return doc, True
