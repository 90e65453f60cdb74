"""Writes parsed documents: records → rows, status events and change events, in one transaction.

Idempotent by construction: a document is known by its sha256, a recommendation by its natural
key, a status claim by (recommendation, axis, document). Importing the same bytes twice finds
everything in place and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from scrapers.records import (
    DocumentKind,
    ParsedDocument,
    ScrapedPosition,
    ScrapedRecommendation,
    text_sha256,
)
from service.ingest import events, themes, timeline
from service.ingest.changes import StoredSnapshot, diff
from service.ingest.positions import Claim, claim_position, source_rank
from service.ingest.reviews import ReviewCache, get_or_create_document
from service.models import (
    Document,
    ExternalRef,
    Recommendation,
    RecommendingState,
    Review,
)
from service.models._common import utcnow

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
    conflicts: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)


def import_parsed(session: Session, parsed: ParsedDocument, *, recorded_by: str,
                  baseline: bool = False) -> ImportResult:
    """Write `parsed` in the caller's transaction; the raw bytes must already be archived."""
    result = ImportResult()
    doc, result.document_new = get_or_create_document(session, parsed.document)
    result.document_id = doc.id
    if result.document_new:
        events.emit_document(session, doc, baseline=baseline)
        result.events += 1
    reviews = ReviewCache(session, parsed.document)
    for scraped in parsed.recommendations:
        _apply(session, scraped, reviews.for_record(scraped), doc, recorded_by, baseline, result)
    for position in parsed.positions:
        _apply_position(session, position, doc, recorded_by, baseline, result)
    timeline.apply_links(session, parsed.links, doc, result)
    timeline.apply_implementations(session, parsed.implementations, doc, recorded_by, baseline, result)
    session.flush()
    return result


def _apply_position(session: Session, scraped: ScrapedPosition, doc: Document, recorded_by: str,
                    baseline: bool, result: ImportResult) -> None:
    """A response to a recommendation received earlier; unknown numbers are reported, not dropped."""
    rec = session.execute(select(Recommendation).where(Recommendation.key == scraped.key)).scalar_one_or_none()
    if rec is None:
        result.rejected += 1
        result.errors.append(f"{scraped.evidence}: recommendation {scraped.paragraph} is not in the "
                             f"report ({scraped.key} unknown)")
        return
    claim = Claim(position=scraped.position, wording=scraped.wording, evidence=scraped.evidence,
                  effective_on=scraped.effective_on, response_text=scraped.response_text)
    outcome = claim_position(session, rec, claim, doc, recorded_by=recorded_by, created=False,
                             baseline=baseline)
    result.events += outcome.applied
    result.conflicts += outcome.conflict
    if outcome.applied:
        rec.updated_at = utcnow()
        result.updated += 1
    else:
        result.unchanged += 1


def _apply(session: Session, scraped: ScrapedRecommendation, review: Review, doc: Document,
           recorded_by: str, baseline: bool, result: ImportResult) -> None:
    rec = session.exec(select(Recommendation).where(Recommendation.key == scraped.key)).first()
    if rec is None:
        rec = _insert(session, scraped, review, doc)
        result.inserted += 1
        events.emit_recommendation(session, events.EventType.RECOMMENDATION_CREATED, rec,
                                   document=doc, baseline=baseline)
        result.events += 1
        claim_position(session, rec, _claim_of(scraped), doc, recorded_by=recorded_by, created=True,
                       baseline=baseline)
        themes.attach(session, rec, scraped, doc.kind)
        return
    changed = _update_fields(session, rec, scraped, doc, baseline, result)
    changed = _update_attributes(rec, scraped) or changed
    outcome = claim_position(session, rec, _claim_of(scraped), doc, recorded_by=recorded_by,
                             created=False, baseline=baseline)
    result.events += outcome.applied
    result.conflicts += outcome.conflict
    themes_added = themes.attach(session, rec, scraped, doc.kind)
    _attach_external_ids(session, rec, scraped)
    changed = changed or outcome.applied or themes_added
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
        is_sample=doc.is_sample, action_category=scraped.action_category, addressee=scraped.addressee,
        context=scraped.context, attributes=dict(scraped.attributes),
    )
    session.add(rec)
    session.flush()
    _write_recommending_states(session, rec, scraped)
    _attach_external_ids(session, rec, scraped)
    if doc.symbol and scraped.paragraph and doc.kind in (DocumentKind.WG_REPORT, DocumentKind.SAMPLE):
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
    if not _may_rewrite(session, rec, doc):
        return False
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


def _claim_of(scraped: ScrapedRecommendation) -> Claim:
    return Claim(position=scraped.position, wording=scraped.position_wording,
                 evidence=scraped.evidence, effective_on=scraped.effective_on)


def _may_rewrite(session: Session, rec: Recommendation, doc: Document) -> bool:
    """Wording and states come from the best source seen: a thematic list or UPR Info entry
    never rewrites the text printed in the UN report."""
    if rec.source_document_id is None or rec.source_document_id == doc.id:
        return True
    source = session.get(Document, rec.source_document_id)
    return source is None or source_rank(doc.kind) >= source_rank(source.kind)


def _attach_external_ids(session: Session, rec: Recommendation, scraped: ScrapedRecommendation) -> None:
    for ref in scraped.external_ids:
        exists = session.execute(select(ExternalRef.id).where(
            ExternalRef.recommendation_id == rec.id, ExternalRef.source == ref.source,
            ExternalRef.external_id == ref.external_id)).first()
        if exists is None:
            session.add(ExternalRef(recommendation_id=rec.id, source=ref.source,
                                    external_id=ref.external_id, url=ref.url,
                                    match_method=ref.match_method, match_confidence=ref.match_confidence))


def _update_attributes(rec: Recommendation, scraped: ScrapedRecommendation) -> bool:
    """Source codes (supervision track, case status) and context follow the latest document."""
    changed = False
    if scraped.attributes and dict(scraped.attributes) != (rec.attributes or {}):
        rec.attributes = dict(scraped.attributes)
        changed = True
    for name in ("context", "addressee", "action_category"):
        value = getattr(scraped, name)
        if value and value != getattr(rec, name):
            setattr(rec, name, value)
            changed = True
    return changed
