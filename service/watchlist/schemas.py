"""Request and response bodies of `/api/v1/watchlist`."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Watchlist(BaseModel):
    states: list[str] = Field(description="ISO3 codes added through the API")
    from_settings: list[str] = Field(default_factory=list, description="RECWATCH_WATCHLIST")


class WatchlistIn(BaseModel):
    states: list[str] = Field(max_length=250)
