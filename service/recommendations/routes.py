"""`/api/v1/recommendations`: the filtered list and the detail with its evidence trail."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from service.config import Settings
from service.db import get_session
from service.errors import NotFound
from service.fastjson import JSONBytes
from service.filters import WITH_SAMPLE, RecommendationFilter, StateQuery, state_code
from service.models import Document, Recommendation
from service.pagination import Page, RowId
from service.recommendations import reads
from service.recommendations import repository as repo
from service.recommendations.schemas import (
    ConflictOut,
    DocumentRef,
    RecommendationDetail,
    RecommendationItem,
    RelatedOut,
    derive_status,
)

router = APIRouter(prefix="/api/v1/recommendations", tags=["recommendations"])

SortParam = Literal["id", "-id", "updated_at", "-updated_at", "key", "-key", "state", "-state"]


def document_ref(doc: Document | None) -> DocumentRef | None:
    if doc is None:
        return None
    return DocumentRef(id=doc.id, symbol=doc.symbol, kind=doc.kind, url=doc.url,
                       published_on=doc.published_on, download_url=f"/api/v1/documents/{doc.id}/raw")


def conflict_out(c, doc: Document | None) -> ConflictOut:
    return ConflictOut(id=c.id, recommendation_id=c.recommendation_id, current_position=c.current_position,
                       current_source=c.current_source, claimed_position=c.claimed_position,
                       claimed_source=c.claimed_source, claimed_wording=c.claimed_wording,
                       claimed_evidence=c.claimed_evidence, claimed_document=document_ref(doc),
                       detected_at=c.detected_at)


def related_out(rec: Recommendation, similarity: float) -> RelatedOut:
    return RelatedOut(id=rec.id, key=rec.key, cycle=rec.cycle, paragraph=rec.paragraph, text=rec.text,
                      position=rec.position, implementation=rec.implementation,
                      status=derive_status(rec.position, rec.implementation), similarity=similarity)


# The list and the detail run their queries on the event loop, not in the thread pool: they are
# a few indexed reads (a millisecond in all), and handing each request to a thread and back cost
# a third of a worker's CPU under load (the GIL lets one thread run Python at a time anyway).
# Several worker processes (`recwatch web --workers N`) are what serve requests in parallel.
# The price: while one slow query runs (a broad text search with several filters, a PostgreSQL
# round trip), that worker's other requests wait.


@router.get("", response_model=Page[RecommendationItem], summary="List recommendations")
async def list_recommendations(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    flt: Annotated[RecommendationFilter, Depends(WITH_SAMPLE)],
    sort: SortParam = "id",
    limit: Annotated[int | None, Query(ge=1)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    settings: Settings = request.app.state.settings
    limit = min(limit or settings.page_size_default, settings.page_size_max)
    return JSONBytes(reads.list_page(session, flt, sort=sort, limit=limit, cursor=cursor))


@router.get("/{recommendation_id}", response_model=RecommendationDetail,
            summary="One recommendation with its status history and evidence")
async def get_recommendation(recommendation_id: RowId,
                             session: Annotated[Session, Depends(get_session)]) -> Response:
    body = reads.detail(session, recommendation_id)
    if body is None:
        raise NotFound(f"recommendation {recommendation_id} does not exist")
    return JSONBytes(body)


@router.get("/{recommendation_id}/related", response_model=Page[RelatedOut],
            summary="Similar recommendations to the same state from earlier cycles")
def get_related(recommendation_id: RowId, session: Annotated[Session, Depends(get_session)]) -> Page[RelatedOut]:
    items = [related_out(r, sim) for r, sim in repo.related_for(session, recommendation_id)]
    return Page(items=items, total=len(items), next=None)


conflicts_router = APIRouter(prefix="/api/v1/conflicts", tags=["recommendations"])


@conflicts_router.get("", response_model=Page[ConflictOut],
                      summary="Where sources disagree on a recommendation's position")
def list_conflicts(session: Annotated[Session, Depends(get_session)],
                   state: StateQuery = None) -> Page[ConflictOut]:
    items = [conflict_out(c, d) for c, d in repo.conflicts_for(session, state=state_code(state, "state"))]
    return Page(items=items, total=len(items), next=None)
