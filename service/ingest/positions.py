"""Position claims from every source, with precedence and recorded disagreements.

Each document kind has a rank its source declares (official reports above the lists and
databases that restate them). A "pending" claim only says the answer is deferred, so it never displaces an
answer. A claim that loses to the position in force is kept as a PositionConflict with its
evidence — never applied, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from scrapers import registry
from scrapers.records import Position
from service.ingest import events
from service.ingest.preload import StoredRecommendation
from service.models import Axis, Document, PositionConflict, Recommendation, StatusEvent


def source_rank(kind: str | None) -> int:
    """Precedence of a document kind, as its source declares it (`KindSpec.rank`)."""
    return registry.rank(kind)


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
    """The position event in force for a stored recommendation."""
    return in_force_of(list(session.execute(select(StatusEvent).where(
        StatusEvent.recommendation_id == recommendation_id, StatusEvent.axis == Axis.POSITION)).scalars()))


def in_force_of(events: list[StatusEvent]) -> StatusEvent | None:
    """The position event in force: answers beat pending, then source rank, then date."""
    if not events:
        return None
    return max(events, key=lambda e: (e.new != Position.PENDING, source_rank(e.source_kind),
                                      e.effective_on or date.min, e.id or 0))


def claim_position(session: Session, rec: Recommendation | StoredRecommendation, claim: Claim, doc: Document, *,
                   recorded_by: str, created: bool, baseline: bool, events_so_far: list[StatusEvent],
                   conflicts: list[PositionConflict]) -> ClaimOutcome:
    """Apply `doc`'s claim to `rec` once; idempotent per (recommendation, document).

    `events_so_far` and `conflicts` are what is stored for `rec` (preloaded); new rows are
    appended to them so later claims in the same import see them."""
    outcome = ClaimOutcome()
    if any(e.document_id == doc.id for e in events_so_far) or any(
            c.claimed_document_id == doc.id for c in conflicts):
        return outcome
    current = None if created else in_force_of(events_so_far)
    if current is not None and current.new == claim.position:
        return outcome  # a restatement is not a change
    if current is not None and not _wins(claim, doc.kind, current):
        outcome.conflict = _record_conflict(session, rec, current, claim, doc, conflicts)
        return outcome
    if current is not None and current.new != Position.PENDING and current.source_kind != doc.kind:
        outcome.conflict = _record_superseded(session, rec, current, claim, doc, conflicts)
    old = None if created else rec.position
    event = StatusEvent(
        recommendation_id=rec.id, axis=Axis.POSITION, old=old, new=claim.position,
        wording=claim.wording, effective_on=claim.effective_on or doc.published_on,
        document_id=doc.id, evidence=claim.evidence, evidence_url=doc.url, recorded_by=recorded_by,
        source_kind=doc.kind, note=claim.response_text)
    session.add(event)
    events_so_far.append(event)
    rec.position, rec.position_wording = claim.position, claim.wording
    outcome.applied, outcome.changed_from = True, old
    if not created:
        events.emit_recommendation(session, events.EventType.POSITION_CHANGED, rec, old=old,
                                   new=rec.position, document=doc, baseline=baseline)
    return outcome


def _wins(claim: Claim, kind: str, current: StatusEvent) -> bool:
    if claim.position == Position.PENDING:
        return False
    if current.new == Position.PENDING:
        return True
    return source_rank(kind) >= source_rank(current.source_kind)


def _record_conflict(session: Session, rec: Recommendation | StoredRecommendation, current: StatusEvent, claim: Claim,
                     doc: Document, conflicts: list[PositionConflict]) -> bool:
    if claim.position == Position.PENDING:
        return False  # "pending" disagrees with nothing: it only defers
    if any(c.claimed_source == doc.kind and c.claimed_position == claim.position
           and c.current_position == current.new for c in conflicts):
        return False  # the same disagreement restated by a newer copy of the same source
    conflict = PositionConflict(
        recommendation_id=rec.id, current_position=current.new,
        current_source=current.source_kind or "unknown", current_event_id=current.id,
        claimed_position=claim.position, claimed_source=doc.kind, claimed_document_id=doc.id,
        claimed_wording=claim.wording, claimed_evidence=claim.evidence)
    session.add(conflict)
    conflicts.append(conflict)
    return True


def _record_superseded(session: Session, rec: Recommendation | StoredRecommendation, current: StatusEvent, claim: Claim,
                       doc: Document, conflicts: list[PositionConflict]) -> bool:
    """An outranking source arrived after a weaker one said otherwise: keep the disagreement."""
    if current.document_id is None or any(c.claimed_document_id == current.document_id for c in conflicts):
        return False
    conflict = PositionConflict(
        recommendation_id=rec.id, current_position=claim.position, current_source=doc.kind,
        current_event_id=None, claimed_position=current.new,
        claimed_source=current.source_kind or "unknown", claimed_document_id=current.document_id,
        claimed_wording=current.wording, claimed_evidence=current.evidence)
    session.add(conflict)
    conflicts.append(conflict)
    return True
