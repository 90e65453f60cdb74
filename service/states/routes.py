"""`/api/v1/states`: every state, and one state's record at a glance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlmodel import Session

from service.aggregates import AGGREGATES
from service.db import get_session
from service.errors import NotFound
from service.models import Recommendation, Review, State
from service.pagination import Page
from service.recommendations.schemas import Status, derive_status

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
    counts = AGGREGATES.get(session, ("state-totals",), lambda: dict(session.execute(
        select(Recommendation.state, func.count()).group_by(Recommendation.state)).all()))
    rows = session.execute(select(State).order_by(State.iso3)).scalars().all()
    items = [StateItem(iso3=s.iso3, name=s.name, un_name=s.un_name, coe_member=s.coe_member,
                       recommendations=counts.get(s.iso3, 0))
             for s in rows if not tracked or counts.get(s.iso3)]
    return Page(items=items, total=len(items), next=None)


def _counts(session: Session, state: str) -> dict[int, dict[tuple[str, str], int]]:
    """(position, implementation) counts per review, in one grouped query."""
    out: dict[int, dict[tuple[str, str], int]] = {}
    for review_id, position, implementation, n in session.execute(
            select(Recommendation.review_id, Recommendation.position, Recommendation.implementation, func.count())
            .where(Recommendation.state == state)
            .group_by(Recommendation.review_id, Recommendation.position, Recommendation.implementation)):
        out.setdefault(review_id, {})[(position, implementation)] = n
    return out


def _by_status(pairs: dict[tuple[str, str], int]) -> dict[str, int]:
    totals = {status.value: 0 for status in Status}
    for (position, implementation), n in pairs.items():
        totals[derive_status(position, implementation).value] += n
    return totals


def _by_position(pairs: dict[tuple[str, str], int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (position, _), n in pairs.items():
        totals[position] = totals.get(position, 0) + n
    return totals


@router.get("/{iso3}", response_model=StateDetail, summary="One state with its reviews")
async def get_state(iso3: str, session: Annotated[Session, Depends(get_session)]) -> StateDetail:
    """On the event loop, like the recommendation list and detail (see recommendations/routes.py):
    three indexed reads, the counts from the aggregate cache."""
    return _state_detail(session, iso3)


def _state_detail(session: Session, iso3: str) -> StateDetail:
    state = session.execute(select(State).where(State.iso3 == iso3.upper())).scalar_one_or_none()
    if state is None:
        raise NotFound(f"state {iso3!r} is not known; use an ISO 3166 alpha-3 code")
    reviews = session.execute(select(Review).where(Review.state == state.iso3)
                              .order_by(Review.mechanism, Review.cycle, Review.ref)).scalars().all()
    counts = AGGREGATES.get(session, ("state-counts", state.iso3), lambda: _counts(session, state.iso3))
    summaries = [ReviewSummary(
        id=r.id, mechanism=r.mechanism, ref=r.ref, cycle=r.cycle, session=r.session, title=r.title,
        recommendations=sum(counts.get(r.id, {}).values()), by_position=_by_position(counts.get(r.id, {})),
        by_status=_by_status(counts.get(r.id, {}))) for r in reviews]
    everything: dict[tuple[str, str], int] = {}
    for pairs in counts.values():
        for pair, n in pairs.items():
            everything[pair] = everything.get(pair, 0) + n
    by_status = _by_status(everything)
    return StateDetail(iso3=state.iso3, name=state.name, un_name=state.un_name,
                       coe_member=state.coe_member, recommendations=sum(by_status.values()),
                       by_status=by_status, reviews=summaries)
