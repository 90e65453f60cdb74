"""Response bodies of `/api/v1/states`."""

from __future__ import annotations

from pydantic import BaseModel

from service.recommendations.schemas import ReviewRef


class StateItem(BaseModel):
    iso3: str
    name: str
    un_name: str
    coe_member: bool
    recommendations: int


class ReviewSummary(ReviewRef):
    recommendations: int
    by_position: dict[str, int]
    by_status: dict[str, int]


class StateDetail(StateItem):
    by_status: dict[str, int]
    reviews: list[ReviewSummary]
