"""What each source does in one run: which units it fetches and how each is imported.

A runner gets a RunContext and the states to cover; it fetches through the polite client and
hands every document to `ctx.document(...)`. One unit failing never stops the others.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from scrapers.coe_exec import CaseIndex, ExecClient, parse_exec_results
from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import NotModified, PoliteClient
from scrapers.ods import fetch_pdf
from scrapers.pace import discover_fileids, fetch_pace_text, parse_pace_page
from scrapers.upr_info import UprInfoClient
from service.ingest.pipeline import RunContext, wg_report_parser
from service.ingest.upr_info import canonical_bytes, resolve
from service.models import Recommendation
from service.scheduler.plans import (
    SourceRequest,
    coe_members,
    pace_fileids,
    pace_missing,
    upr_calendar_missing,
    upr_states_without_symbols,
    upr_symbols,
)
from service.store import RawStore

__all__ = ["RUNNERS", "Runner", "SourceRequest"]

Runner = Callable[[RunContext, PoliteClient, SourceRequest], None]


def run_upr_reports(ctx: RunContext, client: PoliteClient, req: SourceRequest) -> None:
    """WG reports from the review calendar (or the symbols asked for), then their addenda.
    `run_source` skips the run before this when there is no symbol at all."""
    if missing := upr_states_without_symbols(ctx.settings, req):
        ctx.not_configured(upr_calendar_missing(missing).message)
    for symbol in upr_symbols(ctx.settings, req):
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
    """UPR Info, one partition per watched state; each state's entries are one document.
    `run_source` skips the run before this when there is no state."""
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


# Pages a PACE run may follow from the references it finds, beyond the configured ones.
PACE_DISCOVERY_LIMIT = 50


def run_pace(ctx: RunContext, client: PoliteClient, req: SourceRequest) -> None:
    """Configured file ids per state, plus the ids found in stored and fetched pages."""
    settings = ctx.settings
    queues = {state: pace_fileids(ctx.engine, settings, state) for state in req.states}
    if missing := [state for state, queue in queues.items() if not queue]:
        ctx.not_configured(pace_missing(missing).message)
    for state, queue in queues.items():
        if not queue:
            continue
        seen: set[int] = set()
        known = set(queue)
        budget = len(queue) + PACE_DISCOVERY_LIMIT
        while queue and len(seen) < budget:
            fileid = queue.pop(0)
            if fileid in seen:
                continue
            seen.add(fileid)
            try:
                html, url = fetch_pace_text(client, fileid, base=settings.pace_base_url,
                                            legacy_base=settings.pace_legacy_base_url)
            except ScrapeError as exc:
                if isinstance(exc, SourceBlocked):
                    ctx.fail(exc, exc.url)
                    raise
                if fileid in known:
                    ctx.fail(exc, exc.url)
                else:  # a reference found on a page: not every cited file is a text we read
                    ctx.note("SkippedReference", f"file {fileid}: {exc.reason}", exc.url)
                continue
            ctx.fetched()
            ctx.document(html, url, lambda data, u, st=state: parse_pace_page(data, url=u, state=st))
            queue += sorted(discover_fileids(html) - seen)


def run_coe_exec(ctx: RunContext, client: PoliteClient, req: SourceRequest) -> None:
    """Case rows per respondent state, then their timeline documents (action plans, decisions)."""
    api = ExecClient(client, ctx.settings.hudoc_exec_base_url)
    since = date.fromisoformat(req.since) if req.since else None
    for state in coe_members(req.states):
        try:
            case_pages = api.case_pages(state, expect_cases=_has_exec_records(ctx, state))
            # A state without cases is a legitimate answer (its count query said 0): the source
            # was reached, so that answer counts as the one thing fetched.
            ctx.fetched(len(case_pages) or 1)
            parsed_cases = []
            for page in case_pages:
                ctx.document(page.body, page.url, lambda data, u: parse_exec_results(data, url=u))
                parsed_cases.append(parse_exec_results(page.body, url=page.url))
            index = CaseIndex.of(parsed_cases)
            doc_pages = api.document_pages(state, since=since)
        except ScrapeError as exc:
            ctx.fail(exc, exc.url)
            if isinstance(exc, SourceBlocked):
                raise
            continue
        ctx.fetched(len(doc_pages))
        for page in doc_pages:
            ctx.document(page.body, page.url, lambda data, u, ix=index: parse_exec_results(data, url=u, cases=ix))


def _has_exec_records(ctx: RunContext, state: str) -> bool:
    with Session(ctx.engine) as session:
        return session.execute(select(Recommendation.id).where(
            Recommendation.state == state, Recommendation.mechanism == "coe_exec").limit(1)).first() is not None


RUNNERS: dict[str, Runner] = {
    "upr-reports": run_upr_reports,
    "upr-info": run_upr_info,
    "pace": run_pace,
    "coe-exec": run_coe_exec,
}
