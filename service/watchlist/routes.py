"""`/api/v1/watchlist`: the states the scheduler monitors (settings plus these)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session

from scrapers import countries
from service import audit
from service.auth.deps import require_role
from service.auth.keys import Principal
from service.config import Settings, get_settings
from service.db import get_session
from service.errors import InvalidParameter
from service.models import Role
from service.watchlist.repository import replace_states, stored_states
from service.watchlist.schemas import Watchlist, WatchlistIn

router = APIRouter(prefix="/api/v1/watchlist", tags=["watchlist"])


def _current(session: Session, settings: Settings) -> Watchlist:
    return Watchlist(states=stored_states(session), from_settings=settings.watched_states)


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
    replace_states(session, codes, added_by=principal.name)
    audit.record(session, principal, "watchlist.replace", target="watchlist", request=request,
                 detail={"before": before, "after": sorted(set(codes))})
    session.commit()
    return _current(session, settings)
