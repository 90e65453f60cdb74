"""`/api/v1/changes`: the change-event log, oldest first, for clients that poll.

Reads go through `service.changes.reader`, which never hands out an event past an id that a
still-running transaction may commit later (PostgreSQL assigns ids before commit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlmodel import Session

from service.changes import reader
from service.changes.schemas import ChangeOut
from service.db import get_session
from service.errors import InvalidParameter
from service.pagination import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/api/v1/changes", tags=["changes"])


DESCRIPTION = f"""Each item carries a `cursor`; pass the last one as `since` to get only newer events.

No event is skipped: an event whose id was taken by a transaction that commits later is never
jumped over — newer events wait until it is visible (or its transaction rolled back).

`total` is the number of matching events after `since` that can be read now, counted up to
{reader.COUNT_CAP} (a larger backlog reports {reader.COUNT_CAP}): polling never counts the whole
log. `next` is set while more events can be fetched right away."""


@router.get("", response_model=Page[ChangeOut], summary="Change events since a cursor",
            description=DESCRIPTION)
def list_changes(session: Annotated[Session, Depends(get_session)],
                 since: Annotated[str | None, Query(max_length=200,
                                                    description="`cursor` of the last event seen")] = None,
                 type: Annotated[str | None, Query(max_length=64)] = None,
                 state: Annotated[str | None, Query(max_length=3)] = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Page[ChangeOut]:
    """Events after `since`, up to the reader's safe horizon."""
    conds = reader.conditions(type=type, state=state)
    last = 0
    if since:
        last = decode_cursor(since, 1)[0]
        if not isinstance(last, int) or isinstance(last, bool):  # `id > true` is a 500
            raise InvalidParameter("since: not a cursor returned by this API")
    window = reader.read_after(session, last, conds, limit)
    total = reader.count_after(session, last, window.horizon, conds)
    more, rows = window.more, window.events
    items = [ChangeOut(id=e.event_id, cursor=encode_cursor([e.id]), type=e.type, state=e.state,
                       mechanism=e.mechanism, recommendation_id=e.recommendation_id,
                       baseline=e.baseline, created_at=e.created_at, data=e.payload) for e in rows]
    return Page(items=items, total=total, next=items[-1].cursor if more else None)
