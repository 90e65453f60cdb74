"""The dashboard for advocacy teams: server-rendered pages (Jinja2, a little htmx), readable
without JavaScript, with inline SVG charts and nothing loaded from another origin.

Wiring: `install(app)` in `create_app` (it includes the routers and serves /static/dashboard).
`static/htmx.min.js` is htmx 2.0.11 copied from the `htmx.org` npm package (Zero-Clause BSD).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"


def routers() -> list[APIRouter]:
    """Every dashboard router, in the order they must be included."""
    from service.dashboard import pages, recs, signin, subscriptions

    return [pages.router, recs.router, signin.router, subscriptions.router]


def install(app: FastAPI) -> None:
    """Add the dashboard to `app`; its overview takes `/` (replacing a redirect to /docs)."""
    app.router.routes = [r for r in app.router.routes
                         if not (getattr(r, "path", None) == "/" and "GET" in (getattr(r, "methods", None) or ()))]
    for router in routers():
        app.include_router(router)
    app.mount("/static/dashboard", StaticFiles(directory=STATIC_DIR), name="dashboard-static")
