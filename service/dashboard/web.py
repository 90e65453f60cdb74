"""Rendering: one autoescaping Jinja2 environment, the context every page gets (who is signed in,
how fresh the data is), and the headers every dashboard answer carries.

The CSP allows our own origin only and no inline script or style: every piece of source text is
escaped by Jinja, and even a slip there could not run code or load anything from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session

from scrapers import countries
from service.config import Settings, get_settings
from service.dashboard import auth
from service.dashboard.charts import hbar, stacked_bar, trend_chart
from service.dashboard.labels import LABELS, label, status_class
from service.dashboard.queries import freshness
from service.db import get_session
from service.recommendations.schemas import derive_status
from service.webhooks.matching import canonical as canonical_filters

TEMPLATES = Path(__file__).parent / "templates"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
STATIC = "/static/dashboard"


def safe_href(url: str | None) -> str | None:
    """A link target we may print: http(s) URLs and paths on this site; never `javascript:`."""
    if not url:
        return None
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def ago(value: datetime | date | None, now: datetime | None = None) -> str:
    """"3 days ago": how old a date is, in words a briefing can use."""
    if value is None:
        return "never"
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    seconds = ((now or datetime.now(UTC)) - value).total_seconds()
    if seconds < 0:
        return "in the future"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def fmt_date(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def state_name(iso3: str | None) -> str:
    if not iso3:
        return "—"
    if iso3 == "XSA":
        return "Sampleland (fictional)"
    info = countries.state_by_iso3(iso3)
    return info.name if info else iso3


def query(params: dict[str, Any], **changes: Any) -> str:
    """A query string from `params` with `changes` applied; empty values are left out."""
    merged = {**params, **changes}
    return urlencode([(k, v) for k, v in merged.items() if v not in (None, "")])


def share(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)} %"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(label=label, status_class=status_class, ago=ago, date=fmt_date,
                       href=safe_href, state_name=state_name, share=share,
                       subscription_filters=canonical_filters)
    env.globals.update(derive=lambda r: derive_status(r.position, r.implementation).value,
                       LABELS=LABELS, STATIC=STATIC, query=query, stacked_bar=stacked_bar,
                       trend_chart=trend_chart, hbar=hbar)
    return env


ENV = _environment()


@dataclass
class Page:
    """One request's view of the dashboard: the database session, settings and the viewer."""

    request: Request
    session: Session
    settings: Settings
    data: auth.SessionData | None

    @property
    def viewer(self) -> auth.Viewer | None:
        return self.data.viewer if self.data else None

    @property
    def is_htmx(self) -> bool:
        """An htmx swap wants only the fragment; a history restore wants the whole page."""
        headers = self.request.headers
        return headers.get("hx-request") == "true" and "hx-history-restore-request" not in headers

    def render(self, template: str, *, status: int = 200, headers: dict[str, str] | None = None,
               **context: Any) -> HTMLResponse:
        fragment = template.startswith("_")
        base = {"viewer": self.viewer, "csrf": self.data.csrf if self.data else "",
                "path": self.request.url.path, "fresh": None if fragment else freshness(self.session)}
        html = ENV.get_template(template).render(**base, **context)
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Security-Policy"] = CSP
        # Pages carry a CSRF token and differ by viewer: no shared caches, always revalidate.
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers["Vary"] = "HX-Request, Cookie"
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    def redirect(self, url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def not_found(self, message: str) -> HTMLResponse:
        return self.render("error.html", status=404, title="Not found", message=message)


def open_page(request: Request, session: Annotated[Session, Depends(get_session)],
              settings: Annotated[Settings, Depends(get_settings)]) -> Page:
    """The dependency of pages anyone may see (sign-in)."""
    return Page(request, session, settings, auth.load(request, settings))


def page(request: Request, session: Annotated[Session, Depends(get_session)],
         settings: Annotated[Settings, Depends(get_settings)]) -> Page:
    """The dependency of every reading page; with `read_requires_key`, reading needs sign-in."""
    data = auth.load(request, settings)
    if settings.read_requires_key and (data is None or data.viewer is None):
        target = "/signin?" + urlencode({"next": request.url.path + (
            f"?{request.url.query}" if request.url.query else "")})
        raise HTTPException(status_code=303, headers={"Location": target})
    return Page(request, session, settings, data)


PageDep = Annotated[Page, Depends(page)]
OpenPageDep = Annotated[Page, Depends(open_page)]
