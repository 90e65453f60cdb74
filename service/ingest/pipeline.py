"""From bytes to rows inside a recorded run: archive, parse, import — one transaction per document.

A run can hold many documents. Each document commits on its own, so a crash or a bad document
loses nothing already imported; the run records every failure with its URL and reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from scrapers import registry
from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import ValidatorStore
from scrapers.records import ParsedDocument
from scrapers.source import Overrides, Parser
from scrapers.symbols import check_symbol
from service import run_errors
from service.config import Settings
from service.ingest import checks, related, runs
from service.ingest.importer import ImportResult, import_parsed
from service.ingest.stored import SqlStored
from service.models import Document, RunOutcome
from service.store import RawStore, sha256_hex

# Entries shown on a run that do not make it partial.
PARSE_PROBLEM = "UnreadPart"
NOT_FAILURES = frozenset({"ParserWarning", "SkippedReference", runs.NOT_CONFIGURED})
# Writes that lost a race to another process importing at the same time are tried again this
# many times (a state or review the other one created is then found, not inserted twice).
IMPORT_ATTEMPTS = 3


@dataclass
class RunReport:
    """What a CLI or job tells its user after a run."""

    run_id: int
    outcome: RunOutcome
    result: ImportResult | None = None
    errors: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome in (RunOutcome.OK, RunOutcome.PARTIAL)

    @property
    def skipped(self) -> bool:
        return self.outcome == RunOutcome.SKIPPED

    @property
    def skip_reason(self) -> str | None:
        """Why nothing was fetched, and what to set: the run's NotConfigured notes."""
        notes = [e["message"] for e in self.errors if e["class"] == runs.NOT_CONFIGURED]
        return "; ".join(notes) or None


def detect_parser(*, symbol: str | None = None, state: str | None = None, cycle: int | None = None,
                  engine: Engine | None = None, kind: str | None = None) -> Parser:
    """The parser for a document given by a person: its kind is `kind` or detected from its bytes
    by the registry, and that kind's spec says how to parse it."""
    overrides = Overrides(symbol=symbol, state=state, cycle=cycle)

    def parse(data: bytes, source_url: str) -> ParsedDocument:
        _check_override(symbol, source_url)
        spec = registry.kind(kind) if kind else registry.detect(data)
        if spec is None or spec.parser is None:
            raise ScrapeError(f"{kind} documents are not read from files", url=source_url)
        if spec.needs_stored and engine is None:
            raise ScrapeError(f"{spec.label} files are joined to stored recommendations: use `recwatch import`")
        if engine is None:
            return spec.parser(overrides, None)(data, source_url)
        with Session(engine) as session:
            return spec.parser(overrides, SqlStored(session))(data, source_url)
    return parse


def _check_override(symbol: str | None, source_url: str) -> None:
    """A symbol given by a person is checked before it can reach a row, a file name or a header."""
    if symbol is not None:
        check_symbol(symbol, what="--symbol", url=source_url)


def check_metadata(parsed: ParsedDocument) -> None:
    """A symbol read from a kind whose symbols follow the UN grammar must follow it (the kind
    says so; other bodies' references, such as a resolution number, are not checked here)."""
    meta = parsed.document
    spec = registry.kind(meta.kind)
    if meta.symbol is not None and spec is not None and spec.checks_symbol:
        check_symbol(meta.symbol, what="the document's symbol", url=meta.source_url)


def import_document(session: Session, parsed: ParsedDocument, *, recorded_by: str,
                    baseline: bool) -> tuple[ImportResult, list[str]]:
    """Checks, the import itself, and the derived cross-cycle links, in the caller's transaction."""
    checks.check_before(session, parsed)
    result = import_parsed(session, parsed, recorded_by=recorded_by, baseline=baseline)
    return result, checks.mismatches_after(session, parsed)


def refresh_related(engine: Engine, states: set[str]) -> None:
    """Recompute cross-cycle links once per state a run touched (derived data, own transaction)."""
    for state in sorted(states):
        with Session(engine) as session:
            related.refresh_state(session, state)
            session.commit()


class RunContext:
    """Counts and errors of one run; imports each document in its own transaction."""

    def __init__(self, engine: Engine, settings: Settings, source: str, *, trigger: str = "manual",
                 recorded_by: str | None = None, validators: ValidatorStore | None = None) -> None:
        self.engine, self.settings, self.source = engine, settings, source
        self.validators = validators
        self.recorded_by = recorded_by or source
        self.run_id = runs.start_run(engine, source, trigger=trigger)
        self.totals = ImportResult()
        self.counts = {"fetched": 0, "skipped_unchanged": 0}
        self.errors: list[dict] = []
        self.documents_ok = 0
        self.documents_seen = 0
        self.blocked = False
        self.touched_states: set[str] = set()
        self.listener: Callable[[RunContext], None] | None = None  # progress display

    def _notify(self) -> None:
        if self.listener is not None:
            self.listener(self)

    def fetched(self, n: int = 1) -> None:
        self.counts["fetched"] += n
        self._notify()

    def unchanged(self) -> None:
        self.counts["skipped_unchanged"] += 1
        self._notify()

    def fail(self, exc: BaseException, url: str | None) -> None:
        if isinstance(exc, SourceBlocked):
            self.blocked = True
        # Recorded errors are public (the runs API): a class and a short message, never SQL,
        # parameters or server paths.
        kind, message = run_errors.describe(exc)
        self.errors.append(run_errors.entry(kind, message, url or getattr(exc, "url", None)))
        self._notify()

    def note(self, kind: str, message: str, url: str | None) -> None:
        """Something worth showing on the run that is not a failure."""
        self.errors.append(run_errors.entry(kind, message, url))

    def archive(self, data: bytes) -> None:
        """Keep raw bytes behind a document (API pages) in the content-addressed store."""
        RawStore(self.settings.raw_dir).put(data)

    def not_configured(self, message: str) -> None:
        """Nothing is configured to fetch (for some or all states): say what to set. A run with
        only such notes ends `skipped`, which is neither a success nor a failure."""
        self.note(runs.NOT_CONFIGURED, message, None)

    def document(self, data: bytes, source_url: str, parser: Parser) -> ImportResult | None:
        """Archive, parse and import one document; failures are recorded, not raised."""
        self.documents_seen += 1
        if self._known(data):
            self.unchanged()
            return None
        try:
            parsed = parser(data, source_url)
            check_metadata(parsed)
            RawStore(self.settings.raw_dir).put(data)
            imported = self._import_once(data, parsed)
            if imported is None:  # another process imported these bytes first
                self.unchanged()
                return None
            result, mismatches = imported
        except Exception as exc:  # the document's transaction rolled back; the run says why
            self.fail(exc, source_url)
            if self.validators is not None:
                self.validators.forget(source_url)  # fetch it in full next time
            return None
        self.documents_ok += 1
        if result.inserted or result.updated:
            self.touched_states |= {r.state for r in parsed.recommendations}
        self._add(result)
        self._notify()
        for kind, messages in (("RejectedRecord", result.errors), ("Mismatch", mismatches),
                               ("ParserWarning", parsed.warnings),
                               # Unread parts make the run partial: not in NOT_FAILURES, while the
                               # document counts as worked.
                               (PARSE_PROBLEM, parsed.problems)):
            self.errors += [run_errors.entry(kind, m, source_url) for m in messages]
        return result

    def _import_once(self, data: bytes, parsed: ParsedDocument) -> tuple[ImportResult, list[str]] | None:
        """Import, converging with concurrent imports: None when another process committed the same
        bytes first (its unique sha256 won), the import otherwise. A conflict on another row (a
        state or review created meanwhile) is retried; the rows are then found, not inserted."""
        for attempt in range(IMPORT_ATTEMPTS):
            try:
                return self._import(parsed)
            except (IntegrityError, OperationalError) as exc:
                if isinstance(exc, OperationalError) and "locked" not in str(exc.orig).lower():
                    raise
                if self._known(data):
                    return None
                if attempt == IMPORT_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _known(self, data: bytes) -> bool:
        """Bytes already archived and imported are skipped before parsing."""
        digest = sha256_hex(data)
        with Session(self.engine) as session:
            return session.execute(select(Document.id).where(Document.sha256 == digest)).first() is not None

    def _import(self, parsed: ParsedDocument) -> tuple[ImportResult, list[str]] | None:
        with Session(self.engine, expire_on_commit=False) as session:
            baseline = not runs.has_successful_run(session, self.source)
            result, mismatches = import_document(session, parsed, recorded_by=self.recorded_by, baseline=baseline)
            if not result.document_new:
                # `_known` said no, so another process committed these bytes since: "already
                # imported", and nothing of this transaction is kept.
                session.rollback()
                return None
            session.commit()
        return result, mismatches

    def _add(self, result: ImportResult) -> None:
        for name in ("inserted", "updated", "unchanged", "rejected", "conflicts", "events"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(result, name))

    def finish(self) -> RunReport:
        """Close the run: blocked or failed when nothing worked, partial when something did not,
        skipped when nothing failed because nothing was fetched (the source was not asked)."""
        try:
            refresh_related(self.engine, self.touched_states)
        except Exception as exc:  # links are derived: a failure is shown, the imports stand
            self.fail(exc, None)
        failures = [e for e in self.errors if e["class"] not in NOT_FAILURES]
        worked = self.documents_ok + self.counts["skipped_unchanged"]
        # Bytes handed to `document()` were obtained by this run (a file read, a page passed in)
        # even when the caller did not count them: they are what it fetched.
        self.counts["fetched"] = max(self.counts["fetched"], self.documents_seen)
        if self.blocked and not worked:
            outcome = RunOutcome.BLOCKED
        elif failures and not worked:
            outcome = RunOutcome.FAILED
        elif failures:
            outcome = RunOutcome.PARTIAL
        elif not runs.reached(self.counts):
            outcome = RunOutcome.SKIPPED
            if not any(e["class"] == runs.NOT_CONFIGURED for e in self.errors):
                self.not_configured(f"nothing to fetch for {self.source}: no documents were configured")
        else:
            outcome = RunOutcome.OK
        counts = self.counts | {k: getattr(self.totals, k) for k in ("inserted", "updated", "unchanged", "rejected")}
        run = runs.finish_run(self.engine, self.run_id, outcome, counts=counts, errors=self.errors,
                              failing_threshold=self.settings.source_failing_after)
        return RunReport(self.run_id, RunOutcome(run.outcome), self.totals if worked else None,
                         list(run.errors), counts)


def import_bytes(engine: Engine, settings: Settings, data: bytes, *, source: str, source_url: str,
                 parser: Parser, recorded_by: str, trigger: str = "manual") -> RunReport:
    """Archive `data`, parse it and import it, all under one ScrapeRun of `source`."""
    ctx = RunContext(engine, settings, source, trigger=trigger, recorded_by=recorded_by)
    ctx.document(data, source_url, parser)
    return ctx.finish()


def import_path(engine: Engine, settings: Settings, path: Path, *, parser: Parser,
                source: str = "manual-import", recorded_by: str = "cli") -> RunReport:
    """`recwatch import PATH`: a file saved on disk by a person or a previous download."""
    ctx = RunContext(engine, settings, source, recorded_by=recorded_by)
    try:
        data = path.read_bytes()
    except OSError as exc:
        ctx.fail(exc, str(path))
        return ctx.finish()
    ctx.document(data, path.resolve().as_uri(), parser)
    return ctx.finish()


def fail_run(ctx: RunContext, exc: ScrapeError) -> RunReport:
    ctx.fail(exc, exc.url)
    return ctx.finish()
