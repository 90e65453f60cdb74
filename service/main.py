"""create_app(): routers, middleware and the error handler. It never starts jobs (the CLI does)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine

from service import __version__, apidocs
from service.auth.routes import router as access_router
from service.changes.routes import router as changes_router
from service.config import Settings, get_settings
from service.dashboard import install as install_dashboard
from service.db import get_engine
from service.documents.routes import router as documents_router
from service.errors import install_error_handlers
from service.etag import ETagMiddleware
from service.feeds.routes import router as feeds_router
from service.operations.metrics import LatencyMiddleware, Metrics
from service.operations.routes import router as operations_router
from service.recommendations.assessments import router as assessments_router
from service.recommendations.routes import conflicts_router
from service.recommendations.routes import router as recommendations_router
from service.reports.routes import router as reports_router
from service.runs.routes import router as runs_router
from service.security import AccessControl, BodyLimit, SecurityHeaders
from service.states.routes import router as states_router
from service.watchlist.routes import router as watchlist_router
from service.webhooks.routes import router as webhooks_router


def create_app(engine_provider: Callable[[], Engine] = get_engine,
               settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="recwatch",
        version=__version__,
        description="Human-rights recommendations to governments, their positions and their "
                    "implementation, each change dated and tied to its evidence.",
        docs_url=None, redoc_url=None,  # apidocs serves them, with no CDN
    )
    settings = settings or get_settings()
    app.state.settings = settings
    app.state.engine_provider = engine_provider
    app.state.metrics = Metrics(engine_provider)
    # Added last = outermost: headers on every answer, then limits, then access, then timing.
    app.add_middleware(ETagMiddleware)
    app.add_middleware(LatencyMiddleware, metrics=app.state.metrics)
    app.add_middleware(AccessControl, settings=settings, engine_provider=engine_provider)
    app.add_middleware(BodyLimit, settings=settings)
    if settings.cors_origin_list:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list,
                           allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    for router in (states_router, recommendations_router, assessments_router, conflicts_router,
                   documents_router, changes_router, runs_router, watchlist_router, access_router,
                   reports_router, webhooks_router, feeds_router, operations_router):
        app.include_router(router)
    apidocs.install(app)

    install_dashboard(app)
    return app
