"""`/api/v1/runs` and `/api/v1/sources`: what each source did, and how fresh it is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session

from service.db import get_session
from service.models import RunOutcome
from service.pagination import Page, decode_cursor, encode_cursor
from service.run_errors import public_entry
from service.runs import repository as repo
from service.runs.schemas import RunOut, SourceOut

router = APIRouter(prefix="/api/v1", tags=["runs"])


@router.get("/runs", response_model=Page[RunOut], summary="Scrape runs, newest first")
def list_runs(session: Annotated[Session, Depends(get_session)],
              source: Annotated[str | None, Query(max_length=64)] = None,
              outcome: RunOutcome | None = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 50,
              cursor: Annotated[str | None, Query(max_length=200)] = None) -> Page[RunOut]:
    before = decode_cursor(cursor, 1, (int,))[0] if cursor else None
    rows, total = repo.list_runs(session, source=source, outcome=outcome, limit=limit + 1, before_id=before)
    nxt = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return Page(items=[_run_out(r) for r in rows[:limit]], total=total, next=nxt)


def _run_out(run: object) -> RunOut:
    """A run as anyone may see it: errors cleaned again, for runs recorded before errors were
    cleaned where they are recorded (no SQL, parameters or server paths)."""
    out = RunOut.model_validate(run, from_attributes=True)
    out.errors = [public_entry(e) for e in out.errors]
    return out


@router.get("/sources", response_model=Page[SourceOut], summary="Health and freshness of every source")
def list_sources(request: Request, session: Annotated[Session, Depends(get_session)]) -> Page[SourceOut]:
    next_runs = getattr(request.app.state, "next_runs", None)
    items = [SourceOut(**h) for h in repo.source_health(session, next_runs() if next_runs else {})]
    return Page(items=items, total=len(items), next=None)
