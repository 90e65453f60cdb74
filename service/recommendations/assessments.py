"""`POST /api/v1/recommendations/{id}/assessments`: editors record what was implemented."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session

from scrapers.records import Implementation
from service import audit
from service.auth.deps import require_role
from service.auth.keys import Principal
from service.db import get_session
from service.ingest.assessments import record_assessment
from service.models import Role
from service.pagination import RowId
from service.recommendations import evidence
from service.recommendations.schemas import (
    AssessmentIn,
    EvidenceDecision,
    EvidenceProposalOut,
    StatusEventOut,
)

router = APIRouter(prefix="/api/v1", tags=["assessments"])


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


@router.post("/evidence/{evidence_id}/{decision}", response_model=EvidenceProposalOut,
             summary="Confirm or dismiss implementation evidence proposed by a source (editor key)")
def decide_evidence(evidence_id: RowId, decision: Literal["confirm", "dismiss"], request: Request,
                    session: Annotated[Session, Depends(get_session)],
                    principal: Annotated[Principal, Depends(require_role(Role.EDITOR))],
                    body: EvidenceDecision | None = None) -> EvidenceProposalOut:
    """Confirming appends the implementation as a status event under the editor's name."""
    proposal = evidence.decide(session, evidence_id, decision, decided_by=principal.name,
                               note=body.note if body else None)
    audit.record(session, principal, f"evidence.{decision}", target=f"evidence/{evidence_id}", request=request)
    session.commit()
    return EvidenceProposalOut.model_validate(proposal, from_attributes=True)
