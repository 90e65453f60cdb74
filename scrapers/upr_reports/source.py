"""The `upr-reports` source: UN Working Group reports by symbol (ODS), and the UPR document kinds
a person imports from files — the report, its addendum and the OHCHR thematic list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scrapers import upr_reports
from scrapers.detect import first_page_text, is_addendum_text
from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import NotModified, PoliteClient
from scrapers.ods import fetch_pdf
from scrapers.records import DocumentKind, Mechanism, ParsedDocument
from scrapers.source import (
    WATCHLIST,
    ImportRefused,
    KindSpec,
    NothingToDo,
    Overrides,
    Parser,
    Request,
    Sink,
    Source,
    Stored,
)

SYMBOL_OPTION = "--symbol and the report's UN symbol (e.g. --symbol A/HRC/39/14)"
UPR = Mechanism.UPR.value
_ADDENDUM_SUFFIX = re.compile(r"/Add\.\d+$", re.IGNORECASE)


def wg_report_parser(o: Overrides, stored: Stored | None = None) -> Parser:
    def parse(data: bytes, url: str) -> ParsedDocument:
        return upr_reports.parse_wg_report(data, source_url=url, symbol=o.symbol, state=o.state, cycle=o.cycle)
    return parse


def _addendum_parser(o: Overrides, stored: Stored | None = None) -> Parser:
    from scrapers.upr_addendum import parse_addendum

    return lambda data, url: parse_addendum(data, source_url=url, symbol=o.symbol, state=o.state, cycle=o.cycle)


def _thematic_parser(o: Overrides, stored: Stored | None = None) -> Parser:
    from scrapers.upr_matrix import parse_thematic_list

    return lambda data, url: parse_thematic_list(data, source_url=url, symbol=o.symbol, state=o.state,
                                                 cycle=o.cycle)


def check_addendum(parsed: ParsedDocument, stored: Stored) -> None:
    """An addendum answers one stored Working Group report of the same state, or is refused whole."""
    meta = parsed.document
    label = meta.symbol or "this addendum"
    report = DocumentKind.WG_REPORT.value
    paragraphs = (stored.report_paragraphs(UPR, meta.state_under_review, meta.cycle, report)
                  if meta.state_under_review and meta.cycle is not None else None)
    if not paragraphs:
        expected = _ADDENDUM_SUFFIX.sub("", meta.symbol or "") or "the Working Group report"
        raise ImportRefused(f"{label} answers the cycle-{meta.cycle} review of {meta.state_under_review}, "
                            f"but no report of that review is stored: import {expected} first")
    if not meta.symbol:
        return
    base = _ADDENDUM_SUFFIX.sub("", meta.symbol)
    symbols = stored.report_symbols(UPR, meta.state_under_review, meta.cycle, report)
    if symbols and base not in symbols:
        raise ImportRefused(f"{label} answers {base}, but the stored cycle-{meta.cycle} report of "
                            f"{meta.state_under_review} is {', '.join(sorted(symbols))}")


def thematic_mismatches(parsed: ParsedDocument, stored: Stored) -> list[str]:
    """A thematic list restates a report: paragraphs one has and the other lacks."""
    meta = parsed.document
    if meta.state_under_review is None or meta.cycle is None:
        return []
    in_report = stored.report_paragraphs(UPR, meta.state_under_review, meta.cycle, DocumentKind.WG_REPORT.value)
    if not in_report:
        return []
    in_list = {r.paragraph for r in parsed.recommendations}
    out = [f"{p} is in the thematic list but not in the report" for p in sorted(in_list - in_report, key=_num)]
    out += [f"{p} is in the report but not in the thematic list" for p in sorted(in_report - in_list, key=_num)]
    return out


def _num(paragraph: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", paragraph or ""))


KINDS = (
    KindSpec(DocumentKind.ADDENDUM.value, "Addendum (the state's responses)", rank=3,
             detect=lambda fmt, data: fmt == "pdf" and is_addendum_text(first_page_text(data)),
             parser=_addendum_parser, checks_symbol=True, check=check_addendum),
    # Any other PDF: the WG report parser says clearly when it is not one.
    KindSpec(DocumentKind.WG_REPORT.value, "UPR Working Group report", rank=3,
             detect=lambda fmt, data: fmt == "pdf", parser=wg_report_parser, checks_symbol=True),
    KindSpec(DocumentKind.THEMATIC_LIST.value, "OHCHR thematic list", rank=2,
             detect=lambda fmt, data: fmt == "docx", parser=_thematic_parser, checks_symbol=True,
             mismatches=thematic_mismatches),
)


def upr_symbols(config: Any, req: Request) -> list[str]:
    """The symbols asked for, else the review calendar's symbols for the states."""
    return req.symbols or [sym for state in req.states for sym in config.upr_symbols.get(state, [])]


def calendar_missing(states: list[str]) -> NothingToDo:
    pairs = ",".join(f"{s}:<symbol>" for s in states)
    return NothingToDo("upr-reports", f"no Working Group report symbol known for {', '.join(states)}",
                       f"set RECWATCH_UPR_CALENDAR={pairs}", SYMBOL_OPTION)


@dataclass(frozen=True)
class UprReports(Source):
    def plan(self, request: Request, config: Any, stored: Stored) -> NothingToDo | None:
        if upr_symbols(config, request):
            return None
        if not request.states:
            return NothingToDo(self.key, "no symbol given and no state to cover",
                               f"set {WATCHLIST} and RECWATCH_UPR_CALENDAR (e.g. AZE:A/HRC/39/14)", SYMBOL_OPTION)
        return calendar_missing(request.states)

    def collect(self, request: Request, config: Any, stored: Stored, client: PoliteClient, sink: Sink) -> None:
        """WG reports from the review calendar (or the symbols asked for)."""
        if not request.symbols and (missing := [s for s in request.states if not config.upr_symbols.get(s)]):
            sink.not_configured(calendar_missing(missing).message)
        for symbol in upr_symbols(config, request):
            try:
                fetched = fetch_pdf(client, symbol, ods_base=config.ods_base_url, docs_base=config.docs_un_base_url)
            except NotModified:
                sink.fetched()
                sink.unchanged()
                continue
            except ScrapeError as exc:
                sink.fail(exc, exc.url)
                if isinstance(exc, SourceBlocked):
                    raise
                continue
            sink.fetched()
            sink.document(fetched.data, fetched.url, wg_report_parser(Overrides(symbol=fetched.symbol)))


SOURCE = UprReports("upr-reports", "UN Working Group reports and addenda by symbol (ODS)", KINDS,
                    options=frozenset({"state", "symbol"}))
