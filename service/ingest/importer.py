"""Writes parsed documents: records → rows, status events and change events, in one transaction.

Idempotent by construction: a document is known by its sha256, a recommendation by its natural
key, a status claim by (recommendation, axis, document). Importing the same bytes twice finds
everything in place and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from scrapers.records import ParsedDocument, ScrapedDocument, ScrapedRecommendation, text_sha256
from service.ingest import events
from service.ingest.changes import StoredSnapshot, diff
from service.models import (
    Axis,
    Document,
    ExternalRef,
    Recommendation,
    RecommendingState,
    Review,
    StatusEvent,
)
from service.models._common import utcnow
from service.states.seed import ensure_state

ODS_URL = "https://documents.un.org/api/symbol/access?s={symbol}&l=en&t=pdf"


@dataclass
class ImportResult:
    """What one import did; the run record adds these up."""

    document_id: int | None = None
    document_new: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)


def import_parsed(session: Session, parsed: ParsedDocument, *, recorded_by: str,
                  baseline: bool = False) -> ImportResult:
    """Write `parsed` in the caller's transaction; the raw bytes must already be archived."""
    result = ImportResult()
    meta = parsed.document
    if meta.state_under_review:
        ensure_state(session, meta.state_under_review)
    review = _get_or_create_review(session, meta) if meta.state_under_review else None
    doc, result.document_new = _get_or_create_document(session, meta, review)
    result.document_id = doc.id
    if result.document_new:
        events.emit_document(session, doc, baseline=baseline)
        result.events += 1
    for scraped in parsed.recommendations:
        if review is None:
            result.rejected += 1
            result.errors.append(f"{scraped.key}: document has no state under review")
            continue
        _apply(session, scraped, review, doc, recorded_by, baseline, result)
    session.flush()
    return result


def _get_or_create_review(session: Session, meta: ScrapedDocument) -> Review:
    ref = str(meta.cycle) if meta.cycle is not None else (meta.symbol or "unknown")
    review = session.exec(select(Review).where(
        Review.mechanism == meta.mechanism, Review.state == meta.state_under_review,
        Review.ref == ref)).first()
    if review is None:
        review = Review(mechanism=meta.mechanism, state=meta.state_under_review, ref=ref,
                        cycle=meta.cycle, session=meta.wg_session, title=meta.title,
                        is_sample=meta.is_sample)
        session.add(review)
        session.flush()
    elif review.session is None and meta.wg_session is not None:
        review.session = meta.wg_session
    return review


def _get_or_create_document(session: Session, meta: ScrapedDocument,
                            review: Review | None) -> tuple[Document, bool]:
    doc = session.exec(select(Document).where(Document.sha256 == meta.sha256)).first()
    if doc is not None:
        return doc, False
    doc = Document(
        mechanism=meta.mechanism, kind=meta.kind, symbol=meta.symbol, title=meta.title,
        state=meta.state_under_review, review_id=review.id if review else None,
        url=meta.source_url, language=meta.language, published_on=meta.published_on,
        sha256=meta.sha256, content_type=meta.content_type, size=meta.size,
        parser=meta.parser, parser_version=meta.parser_version, is_sample=meta.is_sample,
    )
    session.add(doc)
    session.flush()
    return doc, True


def _apply(session: Session, scraped: ScrapedRecommendation, review: Review, doc: Document,
           recorded_by: str, baseline: bool, result: ImportResult) -> None:
    rec = session.exec(select(Recommendation).where(Recommendation.key == scraped.key)).first()
    if rec is None:
        rec = _insert(session, scraped, review, doc)
        result.inserted += 1
        events.emit_recommendation(session, events.EventType.RECOMMENDATION_CREATED, rec,
                                   document=doc, baseline=baseline)
        result.events += 1
        _claim_position(session, rec, scraped, doc, recorded_by, baseline, result, created=True)
        return
    changed = _update_fields(session, rec, scraped, doc, baseline, result)
    if _claim_position(session, rec, scraped, doc, recorded_by, baseline, result, created=False):
        changed = True
    if changed:
        rec.updated_at = utcnow()
        result.updated += 1
    else:
        result.unchanged += 1


def _insert(session: Session, scraped: ScrapedRecommendation, review: Review,
            doc: Document) -> Recommendation:
    rec = Recommendation(
        key=scraped.key, mechanism=scraped.mechanism, state=scraped.state, review_id=review.id,
        cycle=scraped.cycle, paragraph=scraped.paragraph, text=scraped.text,
        text_sha256=text_sha256(scraped.text), position=scraped.position,
        position_wording=scraped.position_wording, source_document_id=doc.id,
        is_sample=doc.is_sample,
    )
    session.add(rec)
    session.flush()
    _write_recommending_states(session, rec, scraped)
    if doc.symbol:
        session.add(ExternalRef(recommendation_id=rec.id, source="un_symbol",
                                external_id=f"{doc.symbol} para. {scraped.paragraph}",
                                url=ODS_URL.format(symbol=doc.symbol)))
    return rec


def _write_recommending_states(session: Session, rec: Recommendation,
                               scraped: ScrapedRecommendation) -> None:
    seen: set[str] = set()
    raws = scraped.recommending_states_raw or scraped.recommending_states
    for i, code in enumerate(scraped.recommending_states):
        if code in seen:
            continue
        seen.add(code)
        raw = raws[i] if i < len(raws) else code
        session.add(RecommendingState(recommendation_id=rec.id, state=code, name_raw=raw, position=i))


def _stored_states(session: Session, rec: Recommendation) -> list[RecommendingState]:
    return list(session.exec(select(RecommendingState)
                             .where(RecommendingState.recommendation_id == rec.id)
                             .order_by(RecommendingState.position)).all())


def _update_fields(session: Session, rec: Recommendation, scraped: ScrapedRecommendation,
                   doc: Document, baseline: bool, result: ImportResult) -> bool:
    stored_states = _stored_states(session, rec)
    snapshot = StoredSnapshot(rec.text_sha256, tuple(s.state for s in stored_states))
    wanted = ScrapedRecommendation.model_validate(
        {**scraped.model_dump(), "recommending_states": list(dict.fromkeys(scraped.recommending_states))})
    change = diff(snapshot, wanted)
    if change.text_changed:
        old_text = rec.text
        rec.text, rec.text_sha256 = scraped.text, text_sha256(scraped.text)
        rec.source_document_id = doc.id
        session.flush()
        events.emit_recommendation(session, events.EventType.TEXT_CHANGED, rec, old=old_text,
                                   new=rec.text, document=doc, baseline=baseline)
        result.events += 1
    if change.states_changed:
        for row in stored_states:
            session.delete(row)
        session.flush()
        _write_recommending_states(session, rec, wanted)
    return change.any


def _claim_position(session: Session, rec: Recommendation, scraped: ScrapedRecommendation,
                    doc: Document, recorded_by: str, baseline: bool, result: ImportResult, *,
                    created: bool) -> bool:
    """Record this document's stated position once; refresh the cached current position."""
    already = session.exec(select(StatusEvent.id).where(
        StatusEvent.recommendation_id == rec.id, StatusEvent.axis == Axis.POSITION,
        StatusEvent.document_id == doc.id)).first()
    if already is not None:
        return False
    current = None if created else rec.position
    if current == scraped.position:
        return False  # a restatement is not a change of position
    session.add(StatusEvent(
        recommendation_id=rec.id, axis=Axis.POSITION, old=current, new=scraped.position,
        wording=scraped.position_wording, effective_on=scraped.effective_on or doc.published_on,
        document_id=doc.id, evidence=scraped.evidence, evidence_url=doc.url, recorded_by=recorded_by,
    ))
    session.flush()
    latest = _latest_position(session, rec.id)
    if latest is None or latest.new == rec.position and not created:
        return False
    old = rec.position
    rec.position, rec.position_wording = latest.new, latest.wording
    if not created and old != rec.position:
        events.emit_recommendation(session, events.EventType.POSITION_CHANGED, rec, old=old,
                                   new=rec.position, document=doc, baseline=baseline)
        result.events += 1
        return True
    return False


def _latest_position(session: Session, recommendation_id: int) -> StatusEvent | None:
    """Current position = latest position event by effective date (undated ones count as oldest)."""
    rows = session.exec(select(StatusEvent).where(
        StatusEvent.recommendation_id == recommendation_id,
        StatusEvent.axis == Axis.POSITION)).all()
    if not rows:
        return None
    return max(rows, key=lambda e: (e.effective_on or date.min, e.id or 0))
