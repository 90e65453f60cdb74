"""`/api/v1/watchlist`: the states the scheduler monitors (settings plus these)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlmodel import Session

from scrapers import countries
from service import audit
from service.auth.deps import require_role
from service.auth.keys import Principal
from service.config import Settings, get_settings
from service.db import get_session
from service.errors import InvalidParameter
from service.models import Role, WatchedState
from service.states.seed import ensure_state

router = APIRouter(prefix="/api/v1/watchlist", tags=["watchlist"])


class Watchlist(BaseModel):
    states: list[str] = Field(description="ISO3 codes added through the API")
    from_settings: list[str] = Field(default_factory=list, description="RECWATCH_WATCHLIST")


class WatchlistIn(BaseModel):
    states: list[str] = Field(max_length=250)


def _current(session: Session, settings: Settings) -> Watchlist:
    stored = session.execute(select(WatchedState.state).order_by(WatchedState.state)).scalars().all()
    return Watchlist(states=list(stored), from_settings=settings.watched_states)


@router.get("", response_model=Watchlist, summary="The monitored states")
def get_watchlist(session: Annotated[Session, Depends(get_session)],
                  settings: Annotated[Settings, Depends(get_settings)]) -> Watchlist:
    return _current(session, settings)


@router.put("", response_model=Watchlist, summary="Replace the monitored states (admin key)")
def put_watchlist(body: WatchlistIn, request: Request, session: Annotated[Session, Depends(get_session)],
                  settings: Annotated[Settings, Depends(get_settings)],
                  principal: Annotated[Principal, Depends(require_role(Role.ADMIN))]) -> Watchlist:
    codes = []
    for value in body.states:
        code = countries.to_iso3(value)
        if code is None:
            raise InvalidParameter(f"states: unknown state {value!r}")
        codes.append(code)
    before = _current(session, settings).states
    session.execute(delete(WatchedState))
    for code in sorted(set(codes)):
        ensure_state(session, code)
        session.add(WatchedState(state=code, added_by=principal.name))
    audit.record(session, principal, "watchlist.replace", target="watchlist", request=request,
                 detail={"before": before, "after": sorted(set(codes))})
    session.commit()
    return _current(session, settings)
