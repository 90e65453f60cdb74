"""`/api/v1/states`: every state, and one state's record at a glance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlmodel import Session

from service.db import get_session
from service.errors import NotFound
from service.models import Recommendation, Review, State
from service.pagination import Page
from service.recommendations.repository import status_clause
from service.recommendations.schemas import Status

router = APIRouter(prefix="/api/v1/states", tags=["states"])


class StateItem(BaseModel):
    iso3: str
    name: str
    un_name: str
    coe_member: bool
    recommendations: int


class ReviewSummary(BaseModel):
    id: int
    mechanism: str
    ref: str
    cycle: int | None
    session: int | None
    title: str | None
    recommendations: int
    by_position: dict[str, int]
    by_status: dict[str, int]


class StateDetail(StateItem):
    by_status: dict[str, int]
    reviews: list[ReviewSummary]


@router.get("", response_model=Page[StateItem], summary="List states")
def list_states(session: Annotated[Session, Depends(get_session)],
                tracked: bool = False) -> Page[StateItem]:
    """Every state; `tracked=true` keeps only those with recommendations."""
    counts = dict(session.execute(select(Recommendation.state, func.count())
                                  .group_by(Recommendation.state)).all())
    rows = session.execute(select(State).order_by(State.iso3)).scalars().all()
    items = [StateItem(iso3=s.iso3, name=s.name, un_name=s.un_name, coe_member=s.coe_member,
                       recommendations=counts.get(s.iso3, 0))
             for s in rows if not tracked or counts.get(s.iso3)]
    return Page(items=items, total=len(items), next=None)


def _status_counts(session: Session, *conds) -> dict[str, int]:
    return {status.value: session.execute(
        select(func.count()).select_from(Recommendation).where(*conds, status_clause(status))
    ).scalar_one() for status in Status}


@router.get("/{iso3}", response_model=StateDetail, summary="One state with its reviews")
def get_state(iso3: str, session: Annotated[Session, Depends(get_session)]) -> StateDetail:
    state = session.execute(select(State).where(State.iso3 == iso3.upper())).scalar_one_or_none()
    if state is None:
        raise NotFound(f"state {iso3!r} is not known; use an ISO 3166 alpha-3 code")
    reviews = session.execute(select(Review).where(Review.state == state.iso3)
                              .order_by(Review.mechanism, Review.cycle, Review.ref)).scalars().all()
    positions: dict[int, dict[str, int]] = {}
    for review_id, position, n in session.execute(
            select(Recommendation.review_id, Recommendation.position, func.count())
            .where(Recommendation.state == state.iso3)
            .group_by(Recommendation.review_id, Recommendation.position)):
        positions.setdefault(review_id, {})[position] = n
    summaries = [ReviewSummary(
        id=r.id, mechanism=r.mechanism, ref=r.ref, cycle=r.cycle, session=r.session, title=r.title,
        recommendations=sum(positions.get(r.id, {}).values()), by_position=positions.get(r.id, {}),
        by_status=_status_counts(session, Recommendation.review_id == r.id)) for r in reviews]
    by_status = _status_counts(session, Recommendation.state == state.iso3)
    return StateDetail(iso3=state.iso3, name=state.name, un_name=state.un_name,
                       coe_member=state.coe_member, recommendations=sum(by_status.values()),
                       by_status=by_status, reviews=summaries)
