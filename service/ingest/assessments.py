"""Implementation assessments by people: appended as status events under the key's name."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from scrapers.records import Implementation
from service.errors import InvalidParameter, NotFound
from service.ingest import events
from service.models import Axis, Document, Recommendation, StatusEvent
from service.models._common import utcnow


def latest_implementation(session: Session, recommendation_id: int) -> StatusEvent | None:
    """The implementation in force: latest by effective date, then by recording order."""
    return session.execute(
        select(StatusEvent).where(StatusEvent.recommendation_id == recommendation_id,
                                  StatusEvent.axis == Axis.IMPLEMENTATION)
        .order_by(StatusEvent.effective_on.desc().nulls_last(), StatusEvent.id.desc()).limit(1)).scalar_one_or_none()


def record_assessment(session: Session, recommendation_id: int, *, implementation: Implementation,
                      effective_on: date, recorded_by: str, evidence_url: str | None,
                      evidence_document_id: int | None, note: str | None) -> StatusEvent:
    """Append an assessment; refresh the cached implementation and announce a change."""
    rec = session.get(Recommendation, recommendation_id)
    if rec is None:
        raise NotFound(f"recommendation {recommendation_id} does not exist")
    document = None
    if evidence_document_id is not None:
        document = session.get(Document, evidence_document_id)
        if document is None:
            raise InvalidParameter(f"evidence_document_id: document {evidence_document_id} does not exist")
    event = StatusEvent(
        recommendation_id=rec.id, axis=Axis.IMPLEMENTATION, old=rec.implementation,
        new=implementation, effective_on=effective_on, document_id=evidence_document_id,
        evidence_url=evidence_url or (document.url if document else None),
        evidence=(document.symbol if document else None), recorded_by=recorded_by,
        source_kind="assessment", note=note)
    session.add(event)
    session.flush()
    current = latest_implementation(session, rec.id)
    if current is not None and current.new != rec.implementation:
        old = rec.implementation
        rec.implementation = current.new
        rec.updated_at = utcnow()
        session.add(rec)
        session.flush()
        events.emit_recommendation(session, events.EventType.IMPLEMENTATION_CHANGED, rec, old=old,
                                   new=rec.implementation, document=document)
    return event
