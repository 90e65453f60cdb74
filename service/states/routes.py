"""`/api/v1/states`: every state, and one state's record at a glance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlmodel import Session

from service.db import get_session
from service.pagination import Page
from service.states.repository import state_detail, state_items
from service.states.schemas import StateDetail, StateItem

router = APIRouter(prefix="/api/v1/states", tags=["states"])


@router.get("", response_model=Page[StateItem], summary="List states")
def list_states(session: Annotated[Session, Depends(get_session)],
                tracked: bool = False) -> Page[StateItem]:
    """Every state; `tracked=true` keeps only those with recommendations."""
    items = state_items(session, tracked=tracked)
    return Page(items=items, total=len(items), next=None)


@router.get("/{iso3}", response_model=StateDetail, summary="One state with its reviews")
async def get_state(iso3: str, session: Annotated[Session, Depends(get_session)]) -> StateDetail:
    """On the event loop, like the recommendation list and detail (see recommendations/routes.py):
    three indexed reads, the counts from the aggregate cache."""
    return state_detail(session, iso3)
