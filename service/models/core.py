"""States, reviews and documents: the things recommendations hang from."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from scrapers.records import DocumentKind, Mechanism
from service.models._common import UTCDateTime, enum_check, utcnow


class State(SQLModel, table=True):
    """A UN member or observer state, keyed by ISO 3166 alpha-3."""

    __tablename__ = "state"
    id: int | None = Field(default=None, primary_key=True)
    iso3: str = Field(max_length=3, unique=True)
    name: str = Field(max_length=120)
    un_name: str = Field(max_length=160)
    coe_member: bool = False


class Review(SQLModel, table=True):
    """One occasion of review: a UPR cycle for a state, a PACE text, an execution case group."""

    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("mechanism", "state", "ref", name="uq_review_mechanism_state_ref"),
        enum_check("mechanism", Mechanism, "ck_review_mechanism"),
    )
    id: int | None = Field(default=None, primary_key=True)
    mechanism: str = Field(max_length=16)
    state: str = Field(max_length=3, foreign_key="state.iso3", index=True)
    ref: str = Field(max_length=64, description="cycle number for UPR, text ref for PACE")
    cycle: int | None = None
    session: int | None = None
    reviewed_on: date | None = None
    title: str | None = Field(default=None, max_length=500)
    is_sample: bool = False


class Document(SQLModel, table=True):
    """One source document, archived byte-for-byte in the content-addressed store."""

    __tablename__ = "document"
    __table_args__ = (
        enum_check("mechanism", Mechanism, "ck_document_mechanism"),
        enum_check("kind", DocumentKind, "ck_document_kind"),
        Index("ix_document_symbol", "symbol"),
    )
    id: int | None = Field(default=None, primary_key=True)
    mechanism: str = Field(max_length=16)
    kind: str = Field(max_length=32)
    symbol: str | None = Field(default=None, max_length=120)
    title: str | None = Field(default=None, max_length=500)
    state: str | None = Field(default=None, max_length=3, foreign_key="state.iso3", index=True)
    review_id: int | None = Field(default=None, foreign_key="review.id")
    url: str | None = Field(default=None, max_length=2000)
    language: str = Field(default="en", max_length=8)
    published_on: date | None = None
    sha256: str = Field(max_length=64, unique=True)
    content_type: str = Field(max_length=120)
    size: int
    fetched_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    parser: str | None = Field(default=None, max_length=64)
    parser_version: str | None = Field(default=None, max_length=32)
    is_sample: bool = False
    reference: str | None = Field(default=None, max_length=120)
    version: str | None = Field(default=None, max_length=16)
    outcome: str | None = Field(default=None, max_length=16)
    vote: str | None = Field(default=None, max_length=300)
    cites: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))
    # Parts of the document its parser could not read (paragraph and first words): the import
    # was partial, and a person should look at these in the original.
    parse_problems: list[str] = Field(default_factory=list,
                                      sa_column=Column(JSON, nullable=False, server_default="[]"))
