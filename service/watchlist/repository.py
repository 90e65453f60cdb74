"""The states watched through the API (the settings' watchlist is added by its readers)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session

from service.models import WatchedState
from service.states.seed import ensure_state


def stored_states(session: Session) -> list[str]:
    return list(session.execute(select(WatchedState.state).order_by(WatchedState.state)).scalars())


def replace_states(session: Session, codes: list[str], *, added_by: str) -> None:
    """The watchlist becomes exactly `codes`, in the caller's transaction."""
    session.execute(delete(WatchedState))
    for code in sorted(set(codes)):
        ensure_state(session, code)
        session.add(WatchedState(state=code, added_by=added_by))
