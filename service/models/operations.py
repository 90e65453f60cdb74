"""Operational state: conditional-GET cache, the watchlist, and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from service.models._common import UTCDateTime, utcnow


class HttpCacheEntry(SQLModel, table=True):
    """ETag / Last-Modified / body hash per URL, so unchanged documents cost a 304."""

    __tablename__ = "http_cache"
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000, unique=True)
    etag: str | None = Field(default=None, max_length=300)
    last_modified: str | None = Field(default=None, max_length=100)
    sha256: str | None = Field(default=None, max_length=64)
    checked_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class WatchedState(SQLModel, table=True):
    __tablename__ = "watched_state"
    id: int | None = Field(default=None, primary_key=True)
    state: str = Field(max_length=3, foreign_key="state.iso3", unique=True)
    added_by: str = Field(max_length=120)
    added_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class AuditEntry(SQLModel, table=True):
    """Who wrote what, when, and from where. Append-only."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_at", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    actor: str = Field(max_length=120)
    role: str | None = Field(default=None, max_length=16)
    action: str = Field(max_length=64)
    target: str | None = Field(default=None, max_length=300)
    client: str | None = Field(default=None, max_length=100)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
