"""`GET /api/v1/reports/{state}` (a status report in five formats) and `GET /api/v1/export`
(the bulk export, streamed)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from service.db import get_session
from service.disposition import content_disposition
from service.errors import NotFound
from service.filters import WITHOUT_SAMPLE, CycleQuery, MechanismQuery, RecommendationFilter
from service.models._common import utcnow
from service.reports import export as bulk
from service.reports.content import gather, report_scope
from service.reports.formats import ReportFormat, file_name, media_type, render
from service.reports.model import GroupBy

router = APIRouter(prefix="/api/v1", tags=["reports"])

DOCUMENT_TYPES = {media_type(f).split(";")[0]: {} for f in ReportFormat}


@router.get("/reports/{state}", response_class=Response, responses={200: {"content": DOCUMENT_TYPES}},
            summary="Status report of a state's recommendations (DOCX, XLSX, CSV, HTML or JSON)")
def get_report(
    session: Annotated[Session, Depends(get_session)],
    state: Annotated[str, Path(min_length=2, max_length=60, description="ISO3 code or state name")],
    cycle: CycleQuery = None,
    mechanism: MechanismQuery = None,
    since: Annotated[date | None, Query(description="Made on or after (source document date)")] = None,
    until: Annotated[date | None, Query(description="Made on or before (source document date)")] = None,
    format: ReportFormat = ReportFormat.DOCX,
    group_by: GroupBy = GroupBy.THEME,
) -> Response:
    scope = report_scope(session, state, cycle=cycle, mechanism=mechanism, since=since, until=until,
                         group_by=group_by)
    report = gather(session, scope)
    if not report.summary.total:
        raise NotFound(f"no recommendations to {report.state_name} in {scope.describe()}")
    disposition = "inline" if format in (ReportFormat.HTML, ReportFormat.JSON) else "attachment"
    return Response(render(report, format), media_type=media_type(format),
                    headers={"Content-Disposition": content_disposition(file_name(report, format), disposition)})


@router.get("/export", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
            summary="Bulk export of recommendations (CSV or JSON Lines, streamed, no row cap)")
def get_export(request: Request, flt: Annotated[RecommendationFilter, Depends(WITHOUT_SAMPLE)],
               format: bulk.ExportFormat = bulk.ExportFormat.CSV) -> StreamingResponse:
    # The stream outlives the request's session, so it opens its own (one per batch).
    engine = request.app.state.engine_provider()
    name = bulk.file_name(flt, format, utcnow().date())
    return StreamingResponse(bulk.stream(engine, flt, format), media_type=bulk.MEDIA_TYPES[format],
                             headers={"Content-Disposition": content_disposition(name)})
