"""Response shapes shared by every API module."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: its items, how many match in all, and the cursor of the next page."""

    items: list[T]
    total: int
    next: str | None = None
