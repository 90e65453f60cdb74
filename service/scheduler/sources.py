"""What each source does in one run: which units it fetches and how each is imported.

A runner gets a RunContext and the states to cover; it fetches through the polite client and
hands every document to `ctx.document(...)`. One unit failing never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import NotModified, PoliteClient
from scrapers.ods import fetch_pdf
from service.config import Settings
from service.ingest.pipeline import RunContext, wg_report_parser


@dataclass
class SourceRequest:
    """What to cover in this run: explicit units (symbols, file ids) or the watched states."""

    states: list[str]
    symbols: list[str] | None = None
    since: str | None = None


Runner = Callable[[RunContext, PoliteClient, SourceRequest], None]


def run_upr_reports(ctx: RunContext, client: PoliteClient, req: SourceRequest) -> None:
    """WG reports from the review calendar (or the symbols asked for), then their addenda."""
    settings: Settings = ctx.settings
    symbols = req.symbols or [sym for state in req.states for sym in settings.upr_symbols.get(state, [])]
    if not symbols:
        ctx.fail(ScrapeError("no WG report symbols configured for the watched states "
                             "(RECWATCH_UPR_CALENDAR)"), None)
        return
    for symbol in symbols:
        _fetch_symbol(ctx, client, symbol)


def _fetch_symbol(ctx: RunContext, client: PoliteClient, symbol: str) -> None:
    settings = ctx.settings
    try:
        fetched = fetch_pdf(client, symbol, ods_base=settings.ods_base_url, docs_base=settings.docs_un_base_url)
    except NotModified:
        ctx.fetched()
        ctx.unchanged()
        return
    except ScrapeError as exc:
        ctx.fail(exc, exc.url)
        if isinstance(exc, SourceBlocked):
            raise
        return
    ctx.fetched()
    ctx.document(fetched.data, fetched.url, wg_report_parser(symbol=fetched.symbol))


RUNNERS: dict[str, Runner] = {
    "upr-reports": run_upr_reports,
}
