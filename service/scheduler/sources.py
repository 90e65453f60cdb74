"""What each source does in one run: which units it fetches and how each is imported.

A runner gets a RunContext and the states to cover; it fetches through the polite client and
hands every document to `ctx.document(...)`. One unit failing never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import gzip

from sqlalchemy import select
from sqlmodel import Session

from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import NotModified, PoliteClient
from scrapers.ods import fetch_pdf
from service.config import Settings
from scrapers.upr_info import UprInfoClient
from service.ingest.pipeline import RunContext, wg_report_parser
from service.ingest.upr_info import canonical_bytes, resolve
from service.models import Recommendation
from service.store import RawStore


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


def run_upr_info(ctx: RunContext, client: PoliteClient, req: SourceRequest) -> None:
    """UPR Info, one partition per watched state; each state's entries are one document."""
    if not req.states:
        ctx.fail(ScrapeError("no states to harvest: set RECWATCH_WATCHLIST or pass --state"), None)
        return
    store = RawStore(ctx.settings.raw_dir)
    api = UprInfoClient(client, ctx.settings.upr_info_base_url,
                        on_page=lambda url, params, body: store.put(gzip.compress(body, mtime=0)))
    for state in req.states:
        url = f"{ctx.settings.upr_info_base_url}/api/search#state_under_review={state}"
        try:
            harvest = api.harvest_state(state, expect_nonempty=_has_upr_records(ctx, state))
        except ScrapeError as exc:
            ctx.fail(exc, exc.url or url)
            if isinstance(exc, SourceBlocked):
                raise
            continue
        ctx.fetched(len(harvest.partitions))
        data = canonical_bytes(harvest.records)

        def parse(raw: bytes, source_url: str, records=harvest.records, warnings=harvest.warnings):
            with Session(ctx.engine) as session:
                return resolve(session, records, source_url=source_url, data=raw, warnings=list(warnings))
        ctx.document(data, url, parse)


def _has_upr_records(ctx: RunContext, state: str) -> bool:
    with Session(ctx.engine) as session:
        return session.execute(select(Recommendation.id).where(
            Recommendation.state == state, Recommendation.mechanism == "upr").limit(1)).first() is not None


RUNNERS: dict[str, Runner] = {
    "upr-reports": run_upr_reports,
    "upr-info": run_upr_info,
}
