"""create_app(): routers and the error handler. It never starts jobs (the CLI does)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from service import __version__
from service.changes.routes import router as changes_router
from service.documents.routes import router as documents_router
from service.errors import install_error_handlers
from service.recommendations.assessments import router as assessments_router
from service.recommendations.routes import conflicts_router
from service.recommendations.routes import router as recommendations_router
from service.states.routes import router as states_router


def create_app() -> FastAPI:
    app = FastAPI(
        title="recwatch",
        version=__version__,
        description="Human-rights recommendations to governments, their positions and their "
                    "implementation, each change dated and tied to its evidence.",
    )
    install_error_handlers(app)
    for router in (states_router, recommendations_router, assessments_router, conflicts_router,
                   documents_router, changes_router):
        app.include_router(router)

    @app.get("/healthz", tags=["operations"], summary="The process is up")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
