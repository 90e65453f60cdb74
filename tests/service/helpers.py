"""Builders for scraped records used by service tests (our own small fixtures, not corpus data)."""

from __future__ import annotations

import hashlib
from datetime import date

from scrapers.records import (
    DocumentKind,
    Mechanism,
    ParsedDocument,
    Position,
    ScrapedDocument,
    ScrapedRecommendation,
    recommendation_key,
)
from scrapers.upr_reports._records import with_symbol_refs


def scraped_document(payload: bytes, *, symbol: str = "A/HRC/99/1", state: str = "AZE", cycle: int = 2,
                     kind: DocumentKind = DocumentKind.WG_REPORT,
                     published_on: date = date(2013, 7, 5)) -> ScrapedDocument:
    return ScrapedDocument(
        mechanism=Mechanism.UPR, kind=kind, symbol=symbol, title=f"Report {symbol}",
        state_under_review=state, cycle=cycle, wg_session=16, published_on=published_on,
        source_url=f"file:///tmp/{symbol.replace('/', '_')}.pdf", content_type="application/pdf",
        sha256=hashlib.sha256(payload).hexdigest(), size=len(payload), parser="test",
        parser_version="1")


def scraped_rec(paragraph: str, text: str, states: list[str], position: Position, *,
                state: str = "AZE", cycle: int = 2, symbol: str = "A/HRC/99/1") -> ScrapedRecommendation:
    return ScrapedRecommendation(
        key=recommendation_key("upr", state, cycle, paragraph), mechanism=Mechanism.UPR, state=state,
        cycle=cycle, paragraph=paragraph, text=text, recommending_states=states,
        recommending_states_raw=states, position=position,
        position_wording=f"wording for {position.value}", source_url="file:///tmp/x.pdf",
        evidence=f"{symbol} para. {paragraph.split('.')[0]}")


def report(payload: bytes, recs: list[ScrapedRecommendation], **doc_kwargs) -> ParsedDocument:
    """A parsed document; a WG report's records carry the `un_symbol` reference its parser emits."""
    document = scraped_document(payload, **doc_kwargs)
    if document.kind == DocumentKind.WG_REPORT:
        recs = with_symbol_refs(recs, document.symbol)
    return ParsedDocument(document=document, recommendations=recs)


def sample_report(payload: bytes = b"%PDF-1.4 report one") -> ParsedDocument:
    return report(payload, [
        scraped_rec("109.1", "Ratify the Optional Protocol to the Convention against Torture",
                    ["BRA", "CHL"], Position.PENDING),
        scraped_rec("109.2", "Release all persons detained for exercising their right to freedom "
                    "of expression", ["NOR"], Position.PENDING),
        scraped_rec("110.1", "Withdraw from the occupied territories", ["ARM"], Position.NOTED),
    ])
