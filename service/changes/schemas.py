"""Response body of `/api/v1/changes`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class ChangeOut(BaseModel):
    id: str
    cursor: str
    type: str
    state: str | None
    mechanism: str | None
    recommendation_id: int | None
    baseline: bool
    created_at: datetime
    data: dict[str, Any]
