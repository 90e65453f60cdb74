"""Timeline documents (action plans, CM decisions and replies) and implementation evidence.

A link keyed to a whole text (a key without its item part) attaches to every recommendation of that
text. Implementation evidence that a source states as fact (a case closed by final resolution)
becomes a status event; evidence that needs reading (a later resolution's assessment) waits for
an editor as a proposal — never an automatic "implemented".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import or_
from sqlmodel import Session, select

from scrapers.records import ScrapedImplementation, ScrapedLink
from service.ingest import events
from service.models import (
    Axis,
    Document,
    ImplementationEvidence,
    Recommendation,
    RecommendationLink,
    StatusEvent,
)
from service.models._common import utcnow

if TYPE_CHECKING:
    from service.ingest.importer import ImportResult

# Links between a source's pages are how new file ids are found, not events of a recommendation.
NOT_ON_TIMELINE = {"related"}


def targets(session: Session, key: str) -> list[Recommendation]:
    """The recommendation with this key, or every recommendation of the text it names."""
    return list(session.execute(select(Recommendation).where(
        or_(Recommendation.key == key, Recommendation.key.startswith(key + "/")))).scalars())


def apply_links(session: Session, links: list[ScrapedLink], doc: Document, result: ImportResult) -> None:
    for link in links:
        if link.role in NOT_ON_TIMELINE:
            continue
        recs = targets(session, link.key)
        if not recs:
            result.errors.append(f"{link.role} {link.reference or link.title}: {link.key} is not stored yet")
            continue
        for rec in recs:
            exists = session.execute(select(RecommendationLink.id).where(
                RecommendationLink.recommendation_id == rec.id, RecommendationLink.role == link.role,
                RecommendationLink.title == link.title[:500])).first()
            if exists is None:
                session.add(RecommendationLink(
                    recommendation_id=rec.id, role=link.role, title=link.title[:500], reference=link.reference,
                    effective_on=link.effective_on, url=link.url, document_id=doc.id))
                rec.updated_at = utcnow()
                result.updated += 1


def apply_implementations(session: Session, claims: list[ScrapedImplementation], doc: Document,
                          recorded_by: str, baseline: bool, result: ImportResult) -> None:
    for claim in claims:
        recs = targets(session, claim.key)
        if not recs:
            result.rejected += 1
            result.errors.append(f"implementation evidence for {claim.key}: not stored")
            continue
        for rec in recs:
            if claim.needs_confirmation:
                _propose(session, rec, claim, doc)
            else:
                _record(session, rec, claim, doc, recorded_by, baseline, result)


def _propose(session: Session, rec: Recommendation, claim: ScrapedImplementation, doc: Document) -> None:
    exists = session.execute(select(ImplementationEvidence.id).where(
        ImplementationEvidence.recommendation_id == rec.id, ImplementationEvidence.document_id == doc.id)).first()
    if exists is None:
        session.add(ImplementationEvidence(
            recommendation_id=rec.id, implementation=claim.implementation, wording=claim.wording,
            evidence=claim.evidence, evidence_url=claim.evidence_url or doc.url,
            effective_on=claim.effective_on, document_id=doc.id))


def _record(session: Session, rec: Recommendation, claim: ScrapedImplementation, doc: Document,
            recorded_by: str, baseline: bool, result: ImportResult) -> None:
    """A stated fact: appended once; restating it (the next run's copy) changes nothing."""
    if rec.implementation == claim.implementation:
        return
    old = rec.implementation
    session.add(StatusEvent(
        recommendation_id=rec.id, axis=Axis.IMPLEMENTATION, old=old, new=claim.implementation,
        wording=claim.wording, effective_on=claim.effective_on or doc.published_on, document_id=doc.id,
        evidence=claim.evidence, evidence_url=claim.evidence_url or doc.url, recorded_by=recorded_by,
        source_kind=doc.kind))
    rec.implementation, rec.updated_at = claim.implementation, utcnow()
    session.add(rec)
    session.flush()
    events.emit_recommendation(session, events.EventType.IMPLEMENTATION_CHANGED, rec, old=old,
                               new=rec.implementation, document=doc, baseline=baseline)
    result.events += 1
    result.updated += 1
