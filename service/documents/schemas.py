"""Response body of `/api/v1/documents`."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class DocumentOut(BaseModel):
    id: int
    mechanism: str
    kind: str
    symbol: str | None
    title: str | None
    state: str | None
    url: str | None
    language: str
    published_on: date | None
    sha256: str
    content_type: str
    size: int
    fetched_at: datetime
    parser: str | None
    parser_version: str | None
    is_sample: bool
    reference: str | None
    version: str | None
    outcome: str | None
    vote: str | None
    cites: list[str]
    parse_problems: list[str] = Field(description="Parts the parser could not read (paragraph and "
                                      "first words); everything else was imported")
    recommendations: int
    download_url: str
