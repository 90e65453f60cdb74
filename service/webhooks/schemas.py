"""Request and response bodies of the webhooks API. The secret appears only in the answers to
create and rotate: it is never listed afterwards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def _legacy(new: str) -> str:
    return f"DEPRECATED: the old spelling of `{new}`, still accepted and stored as `{new}`."


class Filters(BaseModel):
    """The `/recommendations` filter names, each a list of values; empty lists (or missing keys)
    mean "any". The plural keys are the deprecated spelling of the same filters."""

    model_config = ConfigDict(extra="forbid")
    state: list[str] = Field(default_factory=list, description="ISO 3166 alpha-3, e.g. AZE")
    mechanism: list[str] = Field(default_factory=list, description="upr, pace, coe_exec")
    theme: list[str] = Field(default_factory=list, description="theme names, case-insensitive")
    position: list[str] = Field(default_factory=list,
                                description="pending, supported, partially_supported, noted")
    states: list[str] | None = Field(default=None, deprecated=True, description=_legacy("state"))
    mechanisms: list[str] | None = Field(default=None, deprecated=True, description=_legacy("mechanism"))
    themes: list[str] | None = Field(default=None, deprecated=True, description=_legacy("theme"))
    positions: list[str] | None = Field(default=None, deprecated=True, description=_legacy("position"))


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2000, description="http(s) URL on a public address")
    event_types: list[str] = Field(default_factory=lambda: ["*"], max_length=20)
    filters: Filters = Field(default_factory=Filters)


class SubscriptionPatch(BaseModel):
    """Only the fields given change; `active: true` re-enables a disabled subscription."""

    model_config = ConfigDict(extra="forbid")
    url: str | None = Field(default=None, max_length=2000)
    event_types: list[str] | None = Field(default=None, max_length=20)
    filters: Filters | None = None
    active: bool | None = None


class SubscriptionOut(BaseModel):
    id: int
    url: str
    event_types: list[str]
    filters: dict[str, Any] = Field(description="in the current spelling (`state`, `mechanism`, "
                                                "`theme`, `position`), whatever the spelling given")
    active: bool
    disabled_reason: str | None
    failing_since: datetime | None
    previous_secret_expires_at: datetime | None
    created_by: str
    owner_key_id: int | None = Field(
        description="the API key that owns it; null: no key (from before ownership), admins only")
    created_at: datetime
    updated_at: datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="whsec_…: shown only now; verify signatures with it")


class SecretRotated(BaseModel):
    id: int
    secret: str = Field(description="the new secret, shown only now")
    previous_secret_expires_at: datetime = Field(
        description="until then deliveries carry signatures with the old and the new secret")


class PingResult(BaseModel):
    """Status and timing only: the receiver's body is never echoed, or ping would let a key read
    pages of any host on the allow-list."""

    ok: bool
    webhook_id: str
    http_status: int | None
    duration_ms: int
    error: str | None = Field(description="`HTTP <status>` or the connection error; never the body")


class AttemptOut(BaseModel):
    attempt: int
    started_at: datetime
    http_status: int | None
    duration_ms: int | None
    error: str | None
    response_excerpt: str | None


class DeliveryOut(BaseModel):
    id: int
    subscription_id: int
    webhook_id: str
    event_id: str
    event_type: str
    replay: int
    status: str
    attempt_count: int
    next_attempt_at: datetime | None = Field(description="null once succeeded or failed")
    last_http_status: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    attempts: list[AttemptOut]


class ReplayResult(BaseModel):
    subscription_id: int
    since: datetime
    queued: int = Field(description="new deliveries, each with a new webhook-id")
