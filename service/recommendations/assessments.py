"""`POST /api/v1/recommendations/{id}/assessments`: editors record what was implemented."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, HttpUrl, model_validator
from sqlmodel import Session

from scrapers.records import Implementation
from service import audit
from service.auth.deps import require_role
from service.auth.keys import Principal
from service.db import get_session
from service.errors import Conflict, NotFound
from service.ingest.assessments import record_assessment
from service.models import EvidenceStatus, ImplementationEvidence, Role
from service.pagination import MAX_ID, RowId
from service.recommendations.schemas import EvidenceProposalOut, StatusEventOut

router = APIRouter(prefix="/api/v1", tags=["assessments"])


class AssessmentIn(BaseModel):
    implementation: Literal["not_implemented", "partially_implemented", "implemented"]
    effective_on: date
    evidence_url: HttpUrl | None = None
    evidence_document_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    note: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _needs_evidence(self) -> AssessmentIn:
        if self.evidence_url is None and self.evidence_document_id is None:
            raise ValueError("give evidence_url or evidence_document_id: an assessment needs evidence")
        return self


@router.post("/recommendations/{recommendation_id}/assessments", response_model=StatusEventOut, status_code=201,
             summary="Record an implementation assessment (editor key)")
def post_assessment(recommendation_id: RowId, body: AssessmentIn, request: Request,
                    session: Annotated[Session, Depends(get_session)],
                    principal: Annotated[Principal, Depends(require_role(Role.EDITOR))]) -> StatusEventOut:
    event = record_assessment(
        session, recommendation_id, implementation=Implementation(body.implementation),
        effective_on=body.effective_on, recorded_by=principal.name,
        evidence_url=str(body.evidence_url) if body.evidence_url else None,
        evidence_document_id=body.evidence_document_id, note=body.note)
    audit.record(session, principal, "assessment.create", target=f"recommendation/{recommendation_id}",
                 request=request, detail=body.model_dump(mode="json") | {"status_event_id": event.id})
    session.commit()
    return StatusEventOut(id=event.id, axis=event.axis, old=event.old, new=event.new,
                          wording=event.wording, effective_on=event.effective_on,
                          recorded_at=event.recorded_at, recorded_by=event.recorded_by,
                          evidence=event.evidence, evidence_url=event.evidence_url, document=None,
                          note=event.note)


class EvidenceDecision(BaseModel):
    note: str | None = Field(default=None, max_length=5000)


@router.post("/evidence/{evidence_id}/{decision}", response_model=EvidenceProposalOut,
             summary="Confirm or dismiss implementation evidence proposed by a source (editor key)")
def decide_evidence(evidence_id: RowId, decision: Literal["confirm", "dismiss"], request: Request,
                    session: Annotated[Session, Depends(get_session)],
                    principal: Annotated[Principal, Depends(require_role(Role.EDITOR))],
                    body: EvidenceDecision | None = None) -> EvidenceProposalOut:
    """Confirming appends the implementation as a status event under the editor's name."""
    proposal = session.get(ImplementationEvidence, evidence_id)
    if proposal is None:
        raise NotFound(f"evidence {evidence_id} does not exist")
    if proposal.status != EvidenceStatus.PROPOSED:
        raise Conflict(f"evidence {evidence_id} was already {proposal.status} by {proposal.decided_by}")
    if decision == "confirm":
        record_assessment(session, proposal.recommendation_id,
                          implementation=Implementation(proposal.implementation),
                          effective_on=proposal.effective_on or date.today(), recorded_by=principal.name,
                          evidence_url=proposal.evidence_url, evidence_document_id=proposal.document_id,
                          note=(body.note if body else None) or proposal.wording)
    proposal.status = EvidenceStatus.CONFIRMED if decision == "confirm" else EvidenceStatus.DISMISSED
    proposal.decided_by = principal.name
    session.add(proposal)
    audit.record(session, principal, f"evidence.{decision}", target=f"evidence/{evidence_id}", request=request)
    session.commit()
    return EvidenceProposalOut.model_validate(proposal, from_attributes=True)
