"""Deciding on implementation evidence a source proposed: confirmed evidence becomes a status event."""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlmodel import Session

from scrapers.records import Implementation
from service.errors import Conflict, NotFound
from service.ingest.assessments import record_assessment
from service.models import EvidenceStatus, ImplementationEvidence


def decide(session: Session, evidence_id: int, decision: Literal["confirm", "dismiss"], *, decided_by: str,
           note: str | None) -> ImplementationEvidence:
    """Confirm (appending the implementation under the editor's name) or dismiss, in the caller's
    transaction; a proposal is decided once."""
    proposal = session.get(ImplementationEvidence, evidence_id)
    if proposal is None:
        raise NotFound(f"evidence {evidence_id} does not exist")
    if proposal.status != EvidenceStatus.PROPOSED:
        raise Conflict(f"evidence {evidence_id} was already {proposal.status} by {proposal.decided_by}")
    if decision == "confirm":
        record_assessment(session, proposal.recommendation_id,
                          implementation=Implementation(proposal.implementation),
                          effective_on=proposal.effective_on or date.today(), recorded_by=decided_by,
                          evidence_url=proposal.evidence_url, evidence_document_id=proposal.document_id,
                          note=note or proposal.wording)
    proposal.status = EvidenceStatus.CONFIRMED if decision == "confirm" else EvidenceStatus.DISMISSED
    proposal.decided_by = decided_by
    session.add(proposal)
    return proposal
