"""Append-only history: status events, the change-event outbox, and scrape runs."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel
from uuid6 import uuid7

from scrapers.records import Implementation, Position
from service.models._common import UTCDateTime, enum_check, utcnow


def new_event_id() -> str:
    """A time-ordered UUID (version 7): unique like a random one, but new events land at the end
    of the unique index instead of on a random page, which keeps bulk imports cheap."""
    return str(uuid7())

class Axis(StrEnum):
    POSITION = "position"
    IMPLEMENTATION = "implementation"


class RunOutcome(StrEnum):
    """How a run ended. `skipped`: nothing was configured to fetch, so the source was not asked;
    neither a success (no freshness) nor a failure (no failing streak)."""

    RUNNING = "running"
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"
    BLOCKED = "blocked"
    SKIPPED = "skipped"


STATUS_VALUES = [p.value for p in Position] + [i.value for i in Implementation]


class StatusEvent(SQLModel, table=True):
    """One dated change of position or implementation, with the document that proves it."""

    __tablename__ = "status_event"
    __table_args__ = (
        enum_check("axis", Axis, "ck_status_event_axis"),
        enum_check("new", STATUS_VALUES, "ck_status_event_new"),
        enum_check("old", STATUS_VALUES, "ck_status_event_old", nullable=True),
        Index("ix_status_event_recommendation", "recommendation_id", "axis", "effective_on"),
    )
    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    axis: str = Field(max_length=16)
    old: str | None = Field(default=None, max_length=24)
    new: str = Field(max_length=24)
    wording: str | None = Field(default=None, sa_column=Column(Text))
    effective_on: date | None = None
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    document_id: int | None = Field(default=None, foreign_key="document.id")
    evidence: str | None = Field(default=None, max_length=300)
    evidence_url: str | None = Field(default=None, max_length=2000)
    recorded_by: str = Field(max_length=120)
    # Which kind of source made the claim: decides precedence (addendum > thematic list > UPR Info).
    source_kind: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, sa_column=Column(Text))


class ChangeEvent(SQLModel, table=True):
    """The outbox. `id` is a monotonic sequence used as the polling cursor; `event_id` is the
    stable UUID receivers see (webhook-id)."""

    __tablename__ = "change_event"
    __table_args__ = (Index("ix_change_event_state", "state", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(default_factory=new_event_id, max_length=36, unique=True)
    type: str = Field(max_length=64, index=True)
    state: str | None = Field(default=None, max_length=3)
    mechanism: str | None = Field(default=None, max_length=16)
    recommendation_id: int | None = Field(default=None, foreign_key="recommendation.id")
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    baseline: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ScrapeRun(SQLModel, table=True):
    """One run of one source; committed on its own so that a failed run stays visible."""

    __tablename__ = "scrape_run"
    __table_args__ = (
        enum_check("outcome", RunOutcome, "ck_scrape_run_outcome"),
        Index("ix_scrape_run_source_started", "source", "started_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=64)
    trigger: str = Field(default="manual", max_length=32)
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    outcome: str = Field(default=RunOutcome.RUNNING, max_length=16)
    fetched: int = 0
    skipped_unchanged: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
