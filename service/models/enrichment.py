"""What other sources add to a recommendation: themes, SDGs and affected persons; conflicts
between sources' positions; links to similar recommendations of earlier cycles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models._common import UTCDateTime, enum_check, utcnow


class ThemeKind(StrEnum):
    THEME = "theme"
    SDG = "sdg"
    AFFECTED = "affected"


class Theme(SQLModel, table=True):
    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_theme_kind_name"),
                      enum_check("kind", ThemeKind, "ck_theme_kind"))
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    name: str = Field(max_length=300)


class RecommendationTheme(SQLModel, table=True):
    __tablename__ = "recommendation_theme"
    __table_args__ = (UniqueConstraint("recommendation_id", "theme_id", name="uq_recommendation_theme"),
                      Index("ix_recommendation_theme_theme", "theme_id", "recommendation_id"))
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id")
    source: str = Field(max_length=32)


class PositionConflict(SQLModel, table=True):
    """A source claiming a position that disagrees with the one in force; never overwritten."""

    __tablename__ = "position_conflict"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "claimed_document_id", name="uq_position_conflict_claim"),
        Index("ix_position_conflict_recommendation", "recommendation_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    current_position: str = Field(max_length=24)
    current_source: str = Field(max_length=32)
    current_event_id: int | None = Field(default=None, foreign_key="status_event.id")
    claimed_position: str = Field(max_length=24)
    claimed_source: str = Field(max_length=32)
    claimed_document_id: int = Field(foreign_key="document.id")
    claimed_wording: str | None = Field(default=None, sa_column=Column(Text))
    claimed_evidence: str | None = Field(default=None, max_length=300)
    detected_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class RelatedRecommendation(SQLModel, table=True):
    """A similar recommendation to the same state from an earlier cycle, with its similarity."""

    __tablename__ = "related_recommendation"
    __table_args__ = (UniqueConstraint("recommendation_id", "related_id", name="uq_related_pair"),
                      Index("ix_related_recommendation_related", "related_id"))
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    related_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    similarity: float
