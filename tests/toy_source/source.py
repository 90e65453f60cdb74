"""The toy source: one HTML "note" per state, one recommendation per note.

Its documents are stored as the schema's `sample` kind (the document table accepts only the kinds
it was migrated with); everything else — label, detection, parser, schedule — is its own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from scrapers.errors import LayoutChanged, ScrapeError, SourceBlocked
from scrapers.http import NotModified, PoliteClient
from scrapers.records import (
    DocumentKind,
    Mechanism,
    ParsedDocument,
    Position,
    ScrapedDocument,
    ScrapedRecommendation,
    recommendation_key,
)
from scrapers.source import KindSpec, Overrides, Parser, Request, Sink, Source, Stored

MARKER = b"<!-- toy-note -->"
LABEL = "Toy note from the toy registry"
_ASK = re.compile(r"<p class=\"ask\">(.*?)</p>", re.DOTALL)
_STATE = re.compile(r"<meta name=\"state\" content=\"([A-Z]{3})\">")


def parse_note(data: bytes, url: str, state: str | None = None) -> ParsedDocument:
    """A toy note: the state under review in a meta tag, one ask per paragraph."""
    html = data.decode("utf-8")
    found = _STATE.search(html)
    state = state or (found.group(1) if found else None)
    asks = [a.strip() for a in _ASK.findall(html)]
    if state is None or not asks:
        raise LayoutChanged("no state or no ask in this toy note", url=url)
    recs = [ScrapedRecommendation(
        key=recommendation_key(Mechanism.PACE.value, state, "toy-1", str(n)), mechanism=Mechanism.PACE,
        state=state, paragraph=str(n), text=text, position=Position.PENDING, position_wording="asked",
        source_url=url, evidence=f"toy note para. {n}") for n, text in enumerate(asks, 1)]
    document = ScrapedDocument(
        mechanism=Mechanism.PACE, kind=DocumentKind.SAMPLE, title=f"Toy note on {state}",
        state_under_review=state, source_url=url, content_type="text/html",
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), parser="toy", parser_version="1")
    return ParsedDocument(document=document, recommendations=recs)


def _parser(o: Overrides, stored: Stored | None) -> Parser:
    return lambda data, url: parse_note(data, url, o.state)


KINDS = (KindSpec(DocumentKind.SAMPLE.value, LABEL, detect=lambda fmt, data: fmt == "html" and MARKER in data,
                  parser=_parser),)


@dataclass(frozen=True)
class ToySource(Source):
    base_url: str = "http://127.0.0.1:9"

    def collect(self, request: Request, config: Any, stored: Stored, client: PoliteClient, sink: Sink) -> None:
        for state in request.states:
            url = f"{self.base_url}/notes/{state}"
            try:
                response = client.get(url)
            except NotModified:
                sink.fetched()
                sink.unchanged()
                continue
            except ScrapeError as exc:
                sink.fail(exc, exc.url or url)
                if isinstance(exc, SourceBlocked):
                    raise
                continue
            sink.fetched()
            sink.document(response.content, url, lambda data, u, st=state: parse_note(data, u, st))


def toy_source(base_url: str) -> ToySource:
    return ToySource("toy", "Toy notes served on 127.0.0.1", KINDS, schedule="15 5 * * *", base_url=base_url)


def note(state: str, *asks: str) -> bytes:
    paragraphs = "".join(f'<p class="ask">{a}</p>' for a in asks)
    return (f'<!DOCTYPE html><html><head>{MARKER.decode()}<meta name="state" content="{state}">'
            f"<title>Toy note</title></head><body>{paragraphs}</body></html>").encode()
