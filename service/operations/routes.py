"""`/healthz`, `/readyz` and `/metrics`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from service import migrate
from service.db import ping

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database is reachable and its schema is current")
def readyz(request: Request) -> JSONResponse:
    engine = request.app.state.engine_provider()
    try:
        ping(engine)
        current, head = migrate.current_revision(engine), migrate.head_revision()
    except Exception as exc:  # any failure to reach the database means not ready
        return JSONResponse({"status": "unavailable", "reason": f"database unreachable: {type(exc).__name__}"},
                            status_code=503)
    if current != head:
        return JSONResponse({"status": "unavailable", "reason": f"migrations behind: database at "
                             f"{current or 'empty'}, code expects {head}"}, status_code=503)
    return JSONResponse({"status": "ok", "revision": current})


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics(request: Request) -> Response:
    return request.app.state.metrics.render()
