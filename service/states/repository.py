"""The reads behind `/api/v1/states`: states with their counts, one state's reviews."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from service.aggregates import AGGREGATES
from service.errors import NotFound
from service.models import Recommendation, Review, State
from service.recommendations.schemas import Status, derive_status
from service.states.schemas import ReviewSummary, StateDetail, StateItem


def state_items(session: Session, *, tracked: bool) -> list[StateItem]:
    """Every state with its number of recommendations; only those with some when `tracked`."""
    counts = AGGREGATES.get(session, ("state-totals",), lambda: dict(session.execute(
        select(Recommendation.state, func.count()).group_by(Recommendation.state)).all()))
    rows = session.execute(select(State).order_by(State.iso3)).scalars().all()
    return [StateItem(iso3=s.iso3, name=s.name, un_name=s.un_name, coe_member=s.coe_member,
                       recommendations=counts.get(s.iso3, 0))
             for s in rows if not tracked or counts.get(s.iso3)]


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


def by_code(session: Session, iso3: str) -> State | None:
    return session.execute(select(State).where(State.iso3 == iso3.upper())).scalar_one_or_none()


def names(session: Session, codes: set[str]) -> dict[str, str]:
    """ISO3 → name for the given codes (unknown codes are left out)."""
    if not codes:
        return {}
    return dict(session.execute(select(State.iso3, State.name).where(State.iso3.in_(codes))).all())


def reviews(session: Session, iso3: str, *, by_date: bool = False) -> list[Review]:
    """A state's reviews by mechanism and cycle, then by reference (the API) or by date (pages)."""
    then = (Review.reviewed_on, Review.id) if by_date else (Review.ref,)
    return list(session.execute(select(Review).where(Review.state == iso3)
                                .order_by(Review.mechanism, Review.cycle, *then)).scalars())


def state_detail(session: Session, iso3: str) -> StateDetail:
    state = by_code(session, iso3)
    if state is None:
        raise NotFound(f"state {iso3!r} is not known; use an ISO 3166 alpha-3 code")
    reviews_ = reviews(session, state.iso3)
    counts = AGGREGATES.get(session, ("state-counts", state.iso3), lambda: _counts(session, state.iso3))
    summaries = [ReviewSummary(
        id=r.id, mechanism=r.mechanism, ref=r.ref, cycle=r.cycle, session=r.session, title=r.title,
        recommendations=sum(counts.get(r.id, {}).values()), by_position=_by_position(counts.get(r.id, {})),
        by_status=_by_status(counts.get(r.id, {}))) for r in reviews_]
    everything: dict[tuple[str, str], int] = {}
    for pairs in counts.values():
        for pair, n in pairs.items():
            everything[pair] = everything.get(pair, 0) + n
    by_status = _by_status(everything)
    return StateDetail(iso3=state.iso3, name=state.name, un_name=state.un_name,
                       coe_member=state.coe_member, recommendations=sum(by_status.values()),
                       by_status=by_status, reviews=summaries)
