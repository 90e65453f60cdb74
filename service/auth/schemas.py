"""Request and response bodies of `/api/v1/keys` and `/api/v1/audit`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from service.models import Role


class KeyOut(BaseModel):
    name: str
    role: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class KeyCreated(KeyOut):
    key: str = Field(description="Shown only in this answer; store it now")


class KeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    role: Role


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    role: str | None
    action: str
    target: str | None
    client: str | None
    detail: dict[str, Any]
