"""The API docs, /docs (Swagger UI) and /redoc, with every asset served by recwatch itself.

FastAPI's default pages load their JS and CSS from a CDN (and ReDoc its fonts from Google), so
offline they are blank, and online every reader's visit is announced to third parties. The
assets come from the `fastapi-offline` package (its `static/` folder, kept up to date there, not
copied here); the pages are FastAPI's own `get_swagger_ui_html` / `get_redoc_html` pointed at a
static mount of that folder. One exception: ReDoc's bundle is served with the address of its
footer logo (on cdn.redoc.ly, with no option to turn it off) emptied; see `redoc_bundle`.

Wiring: `install(app)` in `create_app`, on an app built with `docs_url=None, redoc_url=None`.
The assets are public like the dashboard's (not under /api/, so `read_requires_key` leaves them
alone); SecurityHeaders sends no CSP on /docs and /redoc because Swagger UI starts from an
inline script.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/static/apidocs"
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
# Off localhost, Swagger UI's validator badge asks validator.swagger.io about our spec from every
# reader's browser. Our layout and OpenAPI version show no badge today; null keeps it so.
SWAGGER_DEFAULTS: dict[str, object] = {"validatorUrl": None}
# ReDoc 2 draws an "API docs by Redocly" footer whose logo it loads from this CDN, in every
# reader's browser. Emptied, the address loads nothing and the footer hides the logo by itself.
REDOC_FOREIGN = re.compile(rb'"https://cdn\.redoc\.ly/[^"]*"')


def assets_dir() -> Path:
    """The `static/` folder of the installed `fastapi-offline` wheel; fails at start-up, not at
    the first reader, when the package is missing or ships without an asset we link to."""
    path = Path(str(resources.files("fastapi_offline") / "static"))
    missing = [name for name in ASSETS if not (path / name).is_file()]
    if missing:
        raise RuntimeError(f"fastapi-offline at {path} lacks {', '.join(missing)}: reinstall it")
    return path


@functools.cache
def redoc_bundle() -> bytes:
    """ReDoc's bundle as shipped, except that it fetches nothing from another origin (read once
    per process: every create_app would otherwise scan its megabyte again)."""
    return REDOC_FOREIGN.sub(b'""', (assets_dir() / "redoc.standalone.js").read_bytes())


def install(app: FastAPI, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Serve the assets and add the two pages (and Swagger UI's OAuth2 redirect page)."""
    if app.docs_url or app.redoc_url:
        raise ValueError("build the app with docs_url=None, redoc_url=None: "
                         "these pages replace FastAPI's")
    redoc_js = redoc_bundle()
    redoc_etag = '"' + hashlib.sha256(redoc_js).hexdigest()[:32] + '"'

    # Before the mount, which would otherwise answer this path with the unpatched file.
    @app.get(f"{ASSETS_URL}/redoc.standalone.js", include_in_schema=False)
    async def redoc_standalone_js(request: Request) -> Response:
        headers = {"etag": redoc_etag}
        if request.headers.get("if-none-match") == redoc_etag:
            return Response(status_code=304, headers=headers)
        return Response(redoc_js, media_type="text/javascript; charset=utf-8", headers=headers)

    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="apidocs-static")
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_url = app.swagger_ui_oauth2_redirect_url or f"{docs_url}/oauth2-redirect"
    parameters = {**SWAGGER_DEFAULTS, **(app.swagger_ui_parameters or {})}

    @app.get(docs_url, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url, title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=root + oauth2_url, init_oauth=app.swagger_ui_init_oauth,
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png", swagger_ui_parameters=parameters)

    @app.get(oauth2_url, include_in_schema=False)
    async def swagger_ui_oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(redoc_url, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=root + openapi_url, title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png", with_google_fonts=False)
