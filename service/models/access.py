"""API keys: only a hash is stored; the key itself is shown once, when it is created.
Dashboard sessions live here too, so that signing out or revoking a key ends them server-side."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from service.models._common import UTCDateTime, enum_check, utcnow


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"


ROLE_RANK = {Role.READER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"
    __table_args__ = (enum_check("role", Role, "ck_api_key_role"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16, description="first characters, to recognise a key in lists")
    role: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class DashboardSession(SQLModel, table=True):
    """One dashboard sign-in. The signed cookie names it (only a hash is stored); every request
    checks it is neither revoked nor expired, so a copied cookie dies with sign-out or its key."""

    __tablename__ = "dashboard_session"
    __table_args__ = (Index("ix_dashboard_session_key", "key_id"),)
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    key_id: int = Field(foreign_key="api_key.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
