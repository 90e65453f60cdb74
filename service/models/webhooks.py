"""Webhook subscriptions and their deliveries: an outbox that survives restarts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.models._common import UTCDateTime, enum_check, utcnow


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # gave up: retries exhausted or subscription disabled


class WebhookSubscription(SQLModel, table=True):
    """`owner_key_id` is the creating key: editors manage only their own; NULL means admins only
    (rows from before ownership whose `created_by` names no key)."""

    __tablename__ = "webhook_subscription"
    __table_args__ = (Index("ix_webhook_subscription_owner", "owner_key_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=200)
    previous_secret: str | None = Field(default=None, max_length=200)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    event_types: list[str] = Field(default_factory=lambda: ["*"], sa_column=Column(JSON, nullable=False))
    filters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    active: bool = True
    disabled_reason: str | None = Field(default=None, max_length=500)
    failing_since: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_by: str = Field(max_length=120)
    owner_key_id: int | None = Field(default=None, foreign_key="api_key.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class WebhookDelivery(SQLModel, table=True):
    """One event for one subscription; `webhook_id` stays the same across retries."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id", "replay", name="uq_webhook_delivery"),
        enum_check("status", DeliveryStatus, "ck_webhook_delivery_status"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_subscription", "subscription_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="webhook_subscription.id", ondelete="CASCADE")
    event_id: int = Field(foreign_key="change_event.id")
    webhook_id: str = Field(max_length=64)
    replay: int = 0  # 0 for the original; n for the n-th replay or redelivery of the same event
    status: str = Field(default=DeliveryStatus.PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    # A lease: a worker that dies mid-send leaves it to expire, and the delivery is retried.
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_http_status: int | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class WebhookAttempt(SQLModel, table=True):
    """Every attempt, kept: what we sent and what the receiver answered."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (Index("ix_webhook_attempt_delivery", "delivery_id", "attempt"),)
    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", ondelete="CASCADE")
    attempt: int
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    http_status: int | None = None
    duration_ms: int | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    response_excerpt: str | None = Field(default=None, max_length=2000)


class OutboxCursor(SQLModel, table=True):
    """How far a consumer (the webhook fan-out) has read the change-event log."""

    __tablename__ = "outbox_cursor"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    position: int = 0
