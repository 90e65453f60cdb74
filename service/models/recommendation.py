"""Recommendations, who made them, and where else they are known."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from scrapers.records import Implementation, Mechanism, Position
from service.models._common import UTCDateTime, enum_check, utcnow


class Recommendation(SQLModel, table=True):
    """One thing a state is asked to do; position/implementation cache the latest status events."""

    __tablename__ = "recommendation"
    __table_args__ = (
        enum_check("mechanism", Mechanism, "ck_recommendation_mechanism"),
        enum_check("position", Position, "ck_recommendation_position"),
        enum_check("implementation", Implementation, "ck_recommendation_implementation"),
        Index("ix_recommendation_state_cycle", "state", "cycle", "id"),
        Index("ix_recommendation_state_position", "state", "position", "id"),
        Index("ix_recommendation_review", "review_id", "id"),
        # Covers the dashboard's and the state page's counts without touching the table.
        Index("ix_recommendation_counts", "state", "mechanism", "position", "implementation", "is_sample"),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    mechanism: str = Field(max_length=16)
    state: str = Field(max_length=3, foreign_key="state.iso3")
    review_id: int = Field(foreign_key="review.id")
    cycle: int | None = None
    paragraph: str | None = Field(default=None, max_length=32, description="None when a source gives none")
    text: str = Field(sa_column=Column(Text, nullable=False))
    text_sha256: str = Field(max_length=64)
    action_category: str | None = Field(default=None, max_length=64)
    position: str = Field(default=Position.PENDING, max_length=24)
    position_wording: str | None = Field(default=None, sa_column=Column(Text))
    implementation: str = Field(default=Implementation.UNKNOWN, max_length=24)
    first_seen_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    source_document_id: int | None = Field(default=None, foreign_key="document.id")
    is_sample: bool = False
    addressee: str | None = Field(default=None, max_length=64)
    context: str | None = Field(default=None, sa_column=Column(Text))
    attributes: dict[str, str] = Field(default_factory=dict,
                                       sa_column=Column(JSON, nullable=False, server_default="{}"))


class RecommendingState(SQLModel, table=True):
    """A state that made a recommendation: ISO3 where known, else the name as printed."""

    __tablename__ = "recommending_state"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "state", name="uq_recommending_state"),
        Index("ix_recommending_state_state", "state", "recommendation_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    state: str = Field(max_length=160)
    name_raw: str = Field(max_length=200)
    position: int = 0


class ExternalRef(SQLModel, table=True):
    """Crosswalk to other identifiers: UN symbol + paragraph, UPR Info sharedId, HUDOC-EXEC id."""

    __tablename__ = "external_ref"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "source", "external_id", name="uq_external_ref"),
        Index("ix_external_ref_source_id", "source", "external_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    source: str = Field(max_length=32)
    external_id: str = Field(max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    # How a record from another source was joined to this one: paragraph, text (with the
    # similarity as confidence) or none (it became its own recommendation).
    match_method: str | None = Field(default=None, max_length=16)
    match_confidence: float | None = None
