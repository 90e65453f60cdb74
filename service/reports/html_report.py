"""The report as one printable HTML page (Jinja2, autoescaped: every value from the database is
escaped, and only http(s) URLs become links, so a `javascript:` URL stays inert text)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from service.reports import texts
from service.reports.model import (
    IMPLEMENTATION_LABELS,
    POSITION_LABELS,
    Report,
    Tick,
    label,
)

MEDIA_TYPE = "text/html; charset=utf-8"
EXTENSION = "html"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def linkable(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in ("http", "https")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["position"] = lambda v: label(POSITION_LABELS, v)
    env.filters["implementation"] = lambda v: label(IMPLEMENTATION_LABELS, v)
    env.tests["linkable"] = linkable
    return env


def render(report: Report, tick: Tick | None = None) -> bytes:
    template = environment().get_template("report.html")
    html = template.render(report=report, texts=texts, preamble=texts.preamble(report),
                           summary_tables=texts.summary_tables(report),
                           sources=texts.sources_table(report))
    if tick:
        tick(report.summary.total)
    return html.encode("utf-8")
