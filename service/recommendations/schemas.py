"""API shapes of recommendations: the list item and the detail with its evidence trail."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, HttpUrl, model_validator

from scrapers.records import Implementation, Position
from service.pagination import MAX_ID


class Status(StrEnum):
    """The one word users see, derived from position and implementation (DESIGN.md §1)."""

    IMPLEMENTED = "implemented"
    PARTIALLY_IMPLEMENTED = "partially_implemented"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PENDING = "pending"


def derive_status(position: str, implementation: str) -> Status:
    if implementation == Implementation.IMPLEMENTED:
        return Status.IMPLEMENTED
    if implementation == Implementation.PARTIALLY_IMPLEMENTED:
        return Status.PARTIALLY_IMPLEMENTED
    if position in (Position.SUPPORTED, Position.PARTIALLY_SUPPORTED):
        return Status.ACCEPTED
    if position == Position.NOTED:
        return Status.REJECTED
    return Status.PENDING


class RecommendingStateOut(BaseModel):
    state: str
    name: str
    iso3: str | None


class RecommendationItem(BaseModel):
    id: int
    key: str
    mechanism: str
    state: str
    cycle: int | None
    paragraph: str | None
    text: str
    recommending_states: list[str]
    position: str
    implementation: str
    status: Status
    updated_at: datetime
    is_sample: bool


class DocumentRef(BaseModel):
    id: int
    symbol: str | None
    kind: str
    url: str | None
    published_on: date | None
    download_url: str


class StatusEventOut(BaseModel):
    id: int
    axis: str
    old: str | None
    new: str
    wording: str | None
    effective_on: date | None
    recorded_at: datetime
    recorded_by: str
    evidence: str | None
    evidence_url: str | None
    document: DocumentRef | None
    note: str | None


class ExternalRefOut(BaseModel):
    source: str
    external_id: str
    url: str | None
    match_method: str | None = None
    match_confidence: float | None = None


class ReviewRef(BaseModel):
    id: int
    mechanism: str
    ref: str
    cycle: int | None
    session: int | None
    title: str | None


class ThemeOut(BaseModel):
    kind: str
    name: str
    source: str


class ConflictOut(BaseModel):
    id: int
    recommendation_id: int
    current_position: str
    current_source: str
    claimed_position: str
    claimed_source: str
    claimed_wording: str | None
    claimed_evidence: str | None
    claimed_document: DocumentRef | None
    detected_at: datetime


class RelatedOut(BaseModel):
    id: int
    key: str
    cycle: int | None
    paragraph: str | None
    text: str
    position: str
    implementation: str
    status: Status
    similarity: float


class LinkOut(BaseModel):
    role: str
    title: str
    reference: str | None
    effective_on: date | None
    url: str | None
    document_id: int | None


class EvidenceProposalOut(BaseModel):
    id: int
    implementation: str
    wording: str
    evidence: str | None
    evidence_url: str | None
    effective_on: date | None
    document_id: int
    status: str
    decided_by: str | None


class RecommendationDetail(RecommendationItem):
    position_wording: str | None
    recommending_state_details: list[RecommendingStateOut]
    review: ReviewRef
    source_document: DocumentRef | None
    history: list[StatusEventOut]
    external_refs: list[ExternalRefOut]
    themes: list[ThemeOut]
    conflicts: list[ConflictOut]
    related: list[RelatedOut]
    links: list[LinkOut]
    implementation_evidence: list[EvidenceProposalOut]
    action_category: str | None
    addressee: str | None
    context: str | None
    attributes: dict[str, str]
    first_seen_at: datetime


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


class EvidenceDecision(BaseModel):
    note: str | None = Field(default=None, max_length=5000)
