"""From bytes or a symbol to rows: archive, parse, import — each inside a recorded run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from scrapers import upr_reports
from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import HttpPolicy, PoliteClient
from scrapers.ods import fetch_pdf
from scrapers.records import ParsedDocument
from service.config import Settings
from service.ingest import checks, related, runs
from service.ingest.importer import ImportResult, import_parsed
from service.models import RunOutcome
from service.store import RawStore


@dataclass
class RunReport:
    """What a CLI or job tells its user after a run."""

    run_id: int
    outcome: RunOutcome
    result: ImportResult | None = None
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome in (RunOutcome.OK, RunOutcome.PARTIAL)


Parser = Callable[[bytes, str], ParsedDocument]


def wg_report_parser(*, symbol: str | None = None, state: str | None = None,
                     cycle: int | None = None) -> Parser:
    """A parser for UN Working Group reports with the user's overrides bound in."""
    def parse(data: bytes, source_url: str) -> ParsedDocument:
        return upr_reports.parse_wg_report(data, source_url=source_url, symbol=symbol, state=state,
                                           cycle=cycle)
    return parse


def detect_parser(*, symbol: str | None = None, state: str | None = None,
                  cycle: int | None = None) -> Parser:
    """The parser for a document given by a person: the one place that routes by document kind."""
    return wg_report_parser(symbol=symbol, state=state, cycle=cycle)


def import_bytes(engine: Engine, settings: Settings, data: bytes, *, source: str, source_url: str,
                 parser: Parser, recorded_by: str, trigger: str = "manual") -> RunReport:
    """Archive `data`, parse it and import it, all under one ScrapeRun of `source`."""
    run_id = runs.start_run(engine, source, trigger=trigger)
    return _import_in_run(engine, settings, run_id, data, source=source, source_url=source_url,
                          parser=parser, recorded_by=recorded_by, fetched=0)


def import_path(engine: Engine, settings: Settings, path: Path, *, parser: Parser,
                source: str = "manual-import", recorded_by: str = "cli") -> RunReport:
    """`recwatch import PATH`: a file saved on disk by a person or a previous download."""
    run_id = runs.start_run(engine, source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _fail(engine, run_id, RunOutcome.FAILED, exc, str(path))
    return _import_in_run(engine, settings, run_id, data, source=source,
                          source_url=path.resolve().as_uri(), parser=parser,
                          recorded_by=recorded_by, fetched=0)


def scrape_symbol(engine: Engine, settings: Settings, symbol: str, *,
                  client: PoliteClient | None = None, trigger: str = "manual") -> RunReport:
    """`recwatch scrape upr-reports --symbol`: fetch a WG report from the UN and import it."""
    source = "upr-reports"
    run_id = runs.start_run(engine, source, trigger=trigger)
    own_client = client is None
    client = client or PoliteClient(HttpPolicy(
        user_agent=settings.user_agent, connect_timeout=settings.http_connect_timeout,
        read_timeout=settings.http_read_timeout, max_bytes=settings.http_max_bytes))
    try:
        fetched = fetch_pdf(client, symbol, ods_base=settings.ods_base_url,
                            docs_base=settings.docs_un_base_url)
    except SourceBlocked as exc:
        return _fail(engine, run_id, RunOutcome.BLOCKED, exc, exc.url)
    except ScrapeError as exc:
        return _fail(engine, run_id, RunOutcome.FAILED, exc, exc.url)
    finally:
        if own_client:
            client.close()
    return _import_in_run(engine, settings, run_id, fetched.data, source=source,
                          source_url=fetched.url, parser=wg_report_parser(symbol=fetched.symbol),
                          recorded_by=source, fetched=1)


def _import_in_run(engine: Engine, settings: Settings, run_id: int, data: bytes, *, source: str,
                   source_url: str, parser: Parser, recorded_by: str, fetched: int) -> RunReport:
    try:
        parsed = parser(data, source_url)
    except ScrapeError as exc:
        return _fail(engine, run_id, RunOutcome.FAILED, exc, source_url, fetched=fetched)
    RawStore(settings.raw_dir).put(data)
    try:
        with Session(engine, expire_on_commit=False) as session:
            baseline = not runs.has_successful_run(session, source)
            checks.check_before(session, parsed)
            result = import_parsed(session, parsed, recorded_by=recorded_by, baseline=baseline)
            mismatches = checks.mismatches_after(session, parsed)
            if parsed.document.state_under_review:
                related.refresh_state(session, parsed.document.state_under_review)
            session.commit()
    except Exception as exc:  # the import rolled back (refused or broken); the run says why
        return _fail(engine, run_id, RunOutcome.FAILED, exc, source_url, fetched=fetched)
    errors = [{"class": "RejectedRecord", "message": m, "url": source_url} for m in result.errors]
    errors += [{"class": "Mismatch", "message": m, "url": source_url} for m in mismatches]
    errors += [{"class": "ParserWarning", "message": w, "url": source_url} for w in parsed.warnings]
    outcome = RunOutcome.PARTIAL if result.rejected or mismatches else RunOutcome.OK
    runs.finish_run(engine, run_id, outcome, counts={
        "fetched": fetched, "inserted": result.inserted, "updated": result.updated,
        "unchanged": result.unchanged, "rejected": result.rejected}, errors=errors)
    return RunReport(run_id, outcome, result, errors)


def _fail(engine: Engine, run_id: int, outcome: RunOutcome, exc: BaseException, url: str | None,
          *, fetched: int = 0) -> RunReport:
    reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
    errors = [{"class": type(exc).__name__, "message": reason, "url": url}]
    runs.finish_run(engine, run_id, outcome, counts={"fetched": fetched}, errors=errors)
    return RunReport(run_id, outcome, None, errors)
