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
from service.ingest.assessments import record_assessment
from service.models import Role
from service.recommendations.schemas import StatusEventOut

router = APIRouter(prefix="/api/v1/recommendations", tags=["assessments"])


class AssessmentIn(BaseModel):
    implementation: Literal["not_implemented", "partially_implemented", "implemented"]
    effective_on: date
    evidence_url: HttpUrl | None = None
    evidence_document_id: int | None = Field(default=None, ge=1)
    note: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _needs_evidence(self) -> AssessmentIn:
        if self.evidence_url is None and self.evidence_document_id is None:
            raise ValueError("give evidence_url or evidence_document_id: an assessment needs evidence")
        return self


@router.post("/{recommendation_id}/assessments", response_model=StatusEventOut, status_code=201,
             summary="Record an implementation assessment (editor key)")
def post_assessment(recommendation_id: int, body: AssessmentIn, request: Request,
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
