"""Position claims from every source, with precedence and recorded disagreements.

Official UN documents (the WG report, its addendum) outrank the OHCHR thematic list, which
outranks UPR Info. A "pending" claim only says the answer is deferred, so it never displaces an
answer. A claim that loses to the position in force is kept as a PositionConflict with its
evidence — never applied, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from scrapers.records import DocumentKind, Position
from service.ingest import events
from service.models import Axis, Document, PositionConflict, Recommendation, StatusEvent

SOURCE_RANK = {
    DocumentKind.WG_REPORT.value: 3,
    DocumentKind.ADDENDUM.value: 3,
    DocumentKind.SAMPLE.value: 3,
    DocumentKind.THEMATIC_LIST.value: 2,
    DocumentKind.UPR_INFO_ENTITY.value: 1,
}


def source_rank(kind: str | None) -> int:
    return SOURCE_RANK.get(kind or "", 0)


@dataclass(frozen=True)
class Claim:
    """One document's statement of a recommendation's position."""

    position: Position
    wording: str | None
    evidence: str | None
    effective_on: date | None
    response_text: str | None = None


@dataclass
class ClaimOutcome:
    applied: bool = False
    changed_from: str | None = None
    conflict: bool = False


def in_force(session: Session, recommendation_id: int) -> StatusEvent | None:
    """The position event in force: answers beat pending, then source rank, then date."""
    rows = session.execute(select(StatusEvent).where(
        StatusEvent.recommendation_id == recommendation_id,
        StatusEvent.axis == Axis.POSITION)).scalars().all()
    if not rows:
        return None
    return max(rows, key=lambda e: (e.new != Position.PENDING, source_rank(e.source_kind),
                                    e.effective_on or date.min, e.id or 0))


def claim_position(session: Session, rec: Recommendation, claim: Claim, doc: Document, *,
                   recorded_by: str, created: bool, baseline: bool) -> ClaimOutcome:
    """Apply `doc`'s claim to `rec` once; idempotent per (recommendation, document)."""
    outcome = ClaimOutcome()
    if _already_seen(session, rec.id, doc.id):
        return outcome
    current = None if created else in_force(session, rec.id)
    if current is not None and current.new == claim.position:
        return outcome  # a restatement is not a change
    if current is not None and not _wins(claim, doc.kind, current):
        _record_conflict(session, rec, current, claim, doc)
        outcome.conflict = True
        return outcome
    if current is not None and current.new != Position.PENDING and current.source_kind != doc.kind:
        _record_superseded(session, rec, current, claim, doc)
        outcome.conflict = True
    old = None if created else rec.position
    session.add(StatusEvent(
        recommendation_id=rec.id, axis=Axis.POSITION, old=old, new=claim.position,
        wording=claim.wording, effective_on=claim.effective_on or doc.published_on,
        document_id=doc.id, evidence=claim.evidence, evidence_url=doc.url, recorded_by=recorded_by,
        source_kind=doc.kind, note=claim.response_text))
    rec.position, rec.position_wording = claim.position, claim.wording
    session.add(rec)
    session.flush()
    outcome.applied, outcome.changed_from = True, old
    if not created:
        events.emit_recommendation(session, events.EventType.POSITION_CHANGED, rec, old=old,
                                   new=rec.position, document=doc, baseline=baseline)
    return outcome


def _already_seen(session: Session, recommendation_id: int, document_id: int) -> bool:
    event = session.execute(select(StatusEvent.id).where(
        StatusEvent.recommendation_id == recommendation_id, StatusEvent.axis == Axis.POSITION,
        StatusEvent.document_id == document_id)).first()
    if event is not None:
        return True
    conflict = session.execute(select(PositionConflict.id).where(
        PositionConflict.recommendation_id == recommendation_id,
        PositionConflict.claimed_document_id == document_id)).first()
    return conflict is not None


def _wins(claim: Claim, kind: str, current: StatusEvent) -> bool:
    if claim.position == Position.PENDING:
        return False
    if current.new == Position.PENDING:
        return True
    return source_rank(kind) >= source_rank(current.source_kind)


def _record_conflict(session: Session, rec: Recommendation, current: StatusEvent, claim: Claim,
                     doc: Document) -> None:
    if claim.position == Position.PENDING:
        return  # "pending" disagrees with nothing: it only defers
    known = session.execute(select(PositionConflict.id).where(
        PositionConflict.recommendation_id == rec.id, PositionConflict.claimed_source == doc.kind,
        PositionConflict.claimed_position == claim.position,
        PositionConflict.current_position == current.new)).first()
    if known is not None:
        return  # the same disagreement restated by a newer copy of the same source
    session.add(PositionConflict(
        recommendation_id=rec.id, current_position=current.new,
        current_source=current.source_kind or "unknown", current_event_id=current.id,
        claimed_position=claim.position, claimed_source=doc.kind, claimed_document_id=doc.id,
        claimed_wording=claim.wording, claimed_evidence=claim.evidence))


def _record_superseded(session: Session, rec: Recommendation, current: StatusEvent, claim: Claim,
                       doc: Document) -> None:
    """An outranking source arrived after a weaker one said otherwise: keep the disagreement."""
    if current.document_id is None:
        return
    exists = session.execute(select(PositionConflict.id).where(
        PositionConflict.recommendation_id == rec.id,
        PositionConflict.claimed_document_id == current.document_id)).first()
    if exists is None:
        session.add(PositionConflict(
            recommendation_id=rec.id, current_position=claim.position, current_source=doc.kind,
            current_event_id=None, claimed_position=current.new,
            claimed_source=current.source_kind or "unknown", claimed_document_id=current.document_id,
            claimed_wording=current.wording, claimed_evidence=current.evidence))
