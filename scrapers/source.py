"""What a source is, as the service sees it: its key, the document kinds it produces and how one
run collects. The service hands a source three narrow things — what is already stored
(`Stored`), the configuration (any object with the attributes the source reads) and where
fetched documents go (`Sink`) — so scrapers never import the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from scrapers.http import PoliteClient
from scrapers.records import ParsedDocument, ScrapedDocument, ScrapedRecommendation

Parser = Callable[[bytes, str], ParsedDocument]
WATCHLIST = "RECWATCH_WATCHLIST (e.g. AZE,SVN)"
STATE_OPTION = "--state and a state's ISO3 code (e.g. --state AZE)"


class Stored(Protocol):
    """The few questions sources ask about what is already stored (answered with SQL by the service)."""

    def has_records(self, state: str, mechanism: str) -> bool: ...

    def document_urls(self, state: str, mechanism: str) -> list[str]: ...

    def report_paragraphs(self, mechanism: str, state: str, cycle: int, kind: str) -> set[str] | None:
        """Paragraphs of the review's recommendations first read from a `kind` document; None
        when the review is not stored."""
        ...

    def report_symbols(self, mechanism: str, state: str, cycle: int, kind: str) -> set[str]: ...

    def key_by_external_id(self, source: str, external_id: str) -> str | None: ...

    def numbered_texts(self, mechanism: str, state: str, cycle: int) -> list[tuple[str, str]]:
        """(key, text) of the review's recommendations that carry a paragraph number."""
        ...


class Sink(Protocol):
    """Where a run puts what it fetched; the service archives, parses and imports each document."""

    def document(self, data: bytes, source_url: str, parser: Parser) -> Any: ...

    def fetched(self, n: int = 1) -> None: ...

    def unchanged(self) -> None: ...

    def fail(self, exc: BaseException, url: str | None) -> None: ...

    def note(self, kind: str, message: str, url: str | None) -> None: ...

    def not_configured(self, message: str) -> None: ...

    def archive(self, data: bytes) -> None:
        """Keep raw bytes that are not a document themselves (API pages behind one)."""
        ...


class ImportRefused(Exception):
    """The document does not belong with what is stored; nothing was written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Request:
    """What to cover in one run: explicit units (symbols) or the states (the watchlist by default)."""

    states: list[str]
    symbols: list[str] | None = None
    since: str | None = None


@dataclass(frozen=True)
class NothingToDo:
    """Why a run would fetch nothing, and what would give it something to fetch."""

    source: str
    reason: str
    setting: str  # the configuration a scheduled run needs, as an instruction
    option: str | None = None  # the `recwatch scrape` option that supplies what is missing

    @property
    def message(self) -> str:
        """Recorded on a skipped run: what is missing and what to set (or pass)."""
        run = f", or run `recwatch scrape {self.source}` with {self.option}" if self.option else ""
        return f"{self.reason}; {self.setting}{run}"

    @property
    def usage(self) -> str:
        """For a person who asked for this run: the argument to pass, then the setting."""
        return f"{self.source}: {self.reason}: pass {self.option}, or {self.setting}"


@dataclass(frozen=True)
class Overrides:
    """Metadata a person gives with a file (`recwatch import --symbol/--state/--cycle`)."""

    symbol: str | None = None
    state: str | None = None
    cycle: int | None = None


@dataclass(frozen=True)
class KindSpec:
    """One kind of document: its stored code, its label, its precedence and, when it can be
    imported from a file, how it is recognised and parsed."""

    kind: str
    label: str
    rank: int = 0  # wording and positions of a higher rank win over a lower one
    # (format sniffed, bytes) -> is this kind; tried in registry order
    detect: Callable[[str, bytes], bool] | None = None
    # (overrides, stored or None) -> parser; None: not importable from a file
    parser: Callable[[Overrides, Stored | None], Parser] | None = None
    needs_stored: bool = False  # the parser reads stored records (a join)
    checks_symbol: bool = False  # the symbols it reads follow the UN grammar
    check: Callable[[ParsedDocument, Stored], None] | None = None  # raise ImportRefused
    mismatches: Callable[[ParsedDocument, Stored], list[str]] | None = None
    # (document, record) -> title of a review first seen in this kind; None: the document's title.
    # For sources whose every record is its own review (a Court case under supervision).
    review_title: Callable[[ScrapedDocument, ScrapedRecommendation], str | None] | None = None


@dataclass(frozen=True)
class Source:
    """A source the service runs on a schedule. Subclasses implement `plan` and `collect`."""

    key: str
    description: str
    kinds: tuple[KindSpec, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)  # extra codes it introduces
    options: frozenset[str] = frozenset({"state"})  # `recwatch scrape` options it reads
    schedule: str = "0 4 * * *"  # cron (UTC) when the settings name none for this source

    def plan(self, request: Request, config: Any, stored: Stored) -> NothingToDo | None:
        """Why a run over `request` would fetch nothing, or None when it has units to fetch."""
        if not request.states:
            return NothingToDo(self.key, "no state to cover", f"set {WATCHLIST}", STATE_OPTION)
        return None

    def collect(self, request: Request, config: Any, stored: Stored, client: PoliteClient,
                sink: Sink) -> None:
        """Fetch the units of one run and hand each document to `sink`; one unit failing never
        stops the others. Raise SourceBlocked to stop the run."""
        raise NotImplementedError
