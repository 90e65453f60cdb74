"""Documents in a recommendation's timeline, and implementation evidence awaiting an editor."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from scrapers.records import Implementation
from service.models._common import UTCDateTime, enum_check, utcnow


class RecommendationLink(SQLModel, table=True):
    """An action plan, CM decision, CM reply or follow-up text attached to a recommendation."""

    __tablename__ = "recommendation_link"
    __table_args__ = (UniqueConstraint("recommendation_id", "role", "title", name="uq_recommendation_link"),
                      Index("ix_recommendation_link_recommendation", "recommendation_id", "effective_on"))
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    role: str = Field(max_length=32)
    title: str = Field(max_length=500)
    reference: str | None = Field(default=None, max_length=120)
    effective_on: date | None = None
    url: str | None = Field(default=None, max_length=2000)
    document_id: int | None = Field(default=None, foreign_key="document.id")


class EvidenceStatus(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class ImplementationEvidence(SQLModel, table=True):
    """What a later text says happened; counts only once an editor confirms it."""

    __tablename__ = "implementation_evidence"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "document_id", name="uq_implementation_evidence"),
        enum_check("implementation", Implementation, "ck_implementation_evidence_implementation"),
        enum_check("status", EvidenceStatus, "ck_implementation_evidence_status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    implementation: str = Field(max_length=24)
    wording: str = Field(sa_column=Column(Text, nullable=False))
    evidence: str | None = Field(default=None, max_length=300)
    evidence_url: str | None = Field(default=None, max_length=2000)
    effective_on: date | None = None
    document_id: int = Field(foreign_key="document.id")
    status: str = Field(default=EvidenceStatus.PROPOSED, max_length=16)
    decided_by: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
