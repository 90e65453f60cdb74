"""The `upr-info` source: the UPR Info database (Uwazi JSON API), one document per state,
joined to the stored UN recommendations it restates."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Any

from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import PoliteClient
from scrapers.records import DocumentKind, Mechanism, ParsedDocument
from scrapers.source import KindSpec, Overrides, Parser, Request, Sink, Source, Stored
from scrapers.upr_info import UprInfoClient, parse_export
from scrapers.upr_info._join import canonical_bytes, resolve


def export_parser(o: Overrides, stored: Stored | None) -> Parser:
    """A saved JSON export, joined to the stored recommendations it restates."""
    def parse(data: bytes, url: str) -> ParsedDocument:
        if stored is None:
            raise ScrapeError("UPR Info exports are joined to stored recommendations: use `recwatch import`")
        export = parse_export(data)
        return resolve(stored, export.records, source_url=url, data=data, warnings=list(export.warnings))
    return parse


KINDS = (
    KindSpec(DocumentKind.UPR_INFO_ENTITY.value, "UPR Info database entry", rank=1,
             detect=lambda fmt, data: fmt == "json" or data[:2] == b"\x1f\x8b",
             parser=export_parser, needs_stored=True),
)


@dataclass(frozen=True)
class UprInfo(Source):
    def collect(self, request: Request, config: Any, stored: Stored, client: PoliteClient, sink: Sink) -> None:
        """One partition per state; each state's entries are one document."""
        base = config.upr_info_base_url
        api = UprInfoClient(client, base, on_page=lambda url, params, body: sink.archive(gzip.compress(body, mtime=0)))
        for state in request.states:
            url = f"{base}/api/search#state_under_review={state}"
            try:
                harvest = api.harvest_state(state, expect_nonempty=stored.has_records(state, Mechanism.UPR.value))
            except ScrapeError as exc:
                sink.fail(exc, exc.url or url)
                if isinstance(exc, SourceBlocked):
                    raise
                continue
            sink.fetched(len(harvest.partitions))

            def parse(raw: bytes, source_url: str, records=harvest.records, warnings=harvest.warnings):
                return resolve(stored, records, source_url=source_url, data=raw, warnings=list(warnings))
            sink.document(canonical_bytes(harvest.records), url, parse)


SOURCE = UprInfo("upr-info", "UPR Info database (Uwazi JSON API)", KINDS)
