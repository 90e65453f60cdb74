"""The `pace` source: PACE adopted texts and Committee of Ministers replies, by file id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scrapers.detect import is_pace_html
from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import PoliteClient
from scrapers.pace import discover_fileids, fetch_pace_text, parse_pace_page
from scrapers.records import DocumentKind, Mechanism
from scrapers.source import KindSpec, NothingToDo, Overrides, Parser, Request, Sink, Source, Stored

# Pages a run may follow from the references it finds, beyond the configured ones.
DISCOVERY_LIMIT = 50
_FILEID = re.compile(r"(?:files/|fileid=)(\d+)", re.IGNORECASE)


def page_parser(o: Overrides, stored: Stored | None = None) -> Parser:
    return lambda data, url: parse_pace_page(data, url=url, state=o.state)


KINDS = (
    KindSpec(DocumentKind.PACE_TEXT.value, "PACE adopted text",
             detect=lambda fmt, data: fmt == "html" and is_pace_html(data), parser=page_parser),
)


def fileids(config: Any, stored: Stored, state: str) -> list[int]:
    """Configured file ids of a state first, then those of its stored PACE pages."""
    queue = [int(f) for f in config.pace_files.get(state, []) if f.isdigit()]
    found = {int(m.group(1)) for u in stored.document_urls(state, Mechanism.PACE.value)
             if u and (m := _FILEID.search(u))}
    return queue + sorted(found - set(queue))


def missing(states: list[str]) -> NothingToDo:
    pairs = ",".join(f"{s}:<file id>" for s in states)
    return NothingToDo("pace", f"no PACE file ids for {', '.join(states)}",
                       f"set RECWATCH_PACE_FILEIDS={pairs} (the number in a pace.coe.int/en/files/… "
                       "address) or import a saved page with `recwatch import --source pace`")


@dataclass(frozen=True)
class Pace(Source):
    def plan(self, request: Request, config: Any, stored: Stored) -> NothingToDo | None:
        if (gap := super().plan(request, config, stored)) is not None:
            return gap
        if not any(fileids(config, stored, s) for s in request.states):
            return missing(request.states)
        return None

    def collect(self, request: Request, config: Any, stored: Stored, client: PoliteClient, sink: Sink) -> None:
        """Configured file ids per state, plus the ids found in stored and fetched pages."""
        queues = {state: fileids(config, stored, state) for state in request.states}
        if gaps := [state for state, queue in queues.items() if not queue]:
            sink.not_configured(missing(gaps).message)
        for state, queue in queues.items():
            if queue:
                self._state(config, client, sink, state, queue)

    def _state(self, config: Any, client: PoliteClient, sink: Sink, state: str, queue: list[int]) -> None:
        seen: set[int] = set()
        known = set(queue)
        budget = len(queue) + DISCOVERY_LIMIT
        while queue and len(seen) < budget:
            fileid = queue.pop(0)
            if fileid in seen:
                continue
            seen.add(fileid)
            try:
                html, url = fetch_pace_text(client, fileid, base=config.pace_base_url,
                                            legacy_base=config.pace_legacy_base_url)
            except ScrapeError as exc:
                if isinstance(exc, SourceBlocked):
                    sink.fail(exc, exc.url)
                    raise
                if fileid in known:
                    sink.fail(exc, exc.url)
                else:  # a reference found on a page: not every cited file is a text we read
                    sink.note("SkippedReference", f"file {fileid}: {exc.reason}", exc.url)
                continue
            sink.fetched()
            sink.document(html, url, page_parser(Overrides(state=state)))
            queue += sorted(discover_fileids(html) - seen)


SOURCE = Pace("pace", "PACE adopted texts and Committee of Ministers replies", KINDS)
