"""Response bodies of `/api/v1/runs` and `/api/v1/sources`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class RunOut(BaseModel):
    id: int
    source: str
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    fetched: int
    skipped_unchanged: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[dict[str, Any]]


class SourceOut(BaseModel):
    source: str
    last_run_id: int | None
    last_outcome: str | None
    last_run_at: datetime | None
    last_success_at: datetime | None
    failing: bool
    consecutive_failures: int
    newest_document_at: datetime | None
    freshness_seconds: float | None
    next_run_at: datetime | None
    skip_reason: str | None = Field(default=None, description="When the latest run was skipped: "
                                    "why nothing was fetched and what to set")
