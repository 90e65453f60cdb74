"""Printed items and recommendation paragraphs -> ScrapedRecommendation records.

Three shapes carry a recommendation: an item under a lead-in ("109.3 Ratify ... (Chile);"), a
lone unnumbered recommendation inside its lead-in ("...will be examined by the Congo: Finalize
its plan ... (Democratic Republic of the Congo)."), and a numbered paragraph that is itself a
recommendation, printed where a lead-in would stand. The last two are keyed by the paragraph
number alone.
"""

from __future__ import annotations

import re

from scrapers.errors import LayoutChanged
from scrapers.records import ExternalId, Position, ScrapedRecommendation, upr_recommendation
from scrapers.upr_reports._blocks import Block, Item
from scrapers.upr_reports._identity import Meta
from scrapers.upr_reports._states import attribute, bracket_groups, resolve_group
from scrapers.vocab import classify_lead_in

_INLINE_ITEM = re.compile(r"^\s*[A-Z][a-z]+\s")
_STATE_AT_END = re.compile(r"\)\s*[.;]?\s*$")
_PROSE_AFTER_TRAILER = re.compile(r"^\s*\.\s+(?=[A-Z\u201c\"])")
MAX_PARAGRAPH_CHARS = 2000  # a recommendation printed as a paragraph is one or two sentences
# Where anyone can read the report a recommendation was printed in (the ODS resolver).
ODS_URL = "https://documents.un.org/api/symbol/access?s={symbol}&l=en&t=pdf"
UN_SYMBOL = "un_symbol"


def with_symbol_refs(records: list[ScrapedRecommendation], symbol: str | None) -> list[ScrapedRecommendation]:
    """Each numbered recommendation cited as "<symbol> para. <n>", linked to the report on ODS."""
    if not symbol:
        return records
    return [r.model_copy(update={"external_ids": [*r.external_ids, ExternalId(
        source=UN_SYMBOL, external_id=f"{symbol} para. {r.paragraph}", url=ODS_URL.format(symbol=symbol))]})
        if r.paragraph else r for r in records]


def item_record(
    item: Item,
    last: bool,
    position: Position,
    wording: str,
    meta: Meta,
    url: str,
    warnings: list[str],
) -> ScrapedRecommendation:
    """The record of one printed item; the last item of a list loses prose printed after it."""
    text = " ".join(item.lines)
    if last:
        text = _trim_trailing_prose(text, item.paragraph, warnings)
    found = attribute(text)
    if found.unresolved:
        warnings.append(
            f"{item.paragraph}: State name(s) not recognised as printed: {found.unresolved}"
        )
    if not found.states:
        warnings.append(f"{item.paragraph}: no recommending State found")
    return upr_recommendation(
        meta.state,
        meta.cycle,
        item.paragraph,
        text=found.text,
        recommending_states=found.states,
        recommending_states_raw=found.raw,
        position=position,
        position_wording=wording,
        effective_on=meta.published_on,
        source_url=url,
        evidence=f"{meta.symbol or 'WG report'} para. {item.para}",
    )


def inline_record(
    block: Block, meta: Meta, url: str, warnings: list[str]
) -> ScrapedRecommendation | None:
    """A lone recommendation printed inside its lead-in, after the colon, without a number."""
    lead, colon, rest = block.lead_in.partition(":")
    if not colon or not _INLINE_ITEM.match(rest) or not _STATE_AT_END.search(rest):
        return None
    try:
        position, wording = classify_lead_in(lead)
    except LayoutChanged:  # no position stated: not this shape
        return None
    found = attribute(rest.strip())
    if not found.states or found.text == rest.strip().rstrip(";."):
        return None
    warnings.append(f"para {block.number}: one unnumbered recommendation inside the lead-in")
    return paragraph_record(block.number, rest.strip(), position, wording, meta, url, warnings)


def is_recommendation(text: str) -> bool:
    """True for a paragraph that reads as one recommendation: it starts a sentence and ends
    with an attribution to recommending States ("Ratify CAT (Chile) (Peru);")."""
    flat = " ".join(text.split())
    if not flat or len(flat) > MAX_PARAGRAPH_CHARS or not _STATE_AT_END.search(flat):
        return False
    if not (flat[0].isupper() or flat[0] in '\u201c"'):
        return False
    found = attribute(flat)
    return bool(found.states) and not found.unresolved and found.text != flat.rstrip(";.")


def paragraph_record(
    number: int,
    text: str,
    position: Position,
    wording: str,
    meta: Meta,
    url: str,
    warnings: list[str],
) -> ScrapedRecommendation:
    """A recommendation keyed by its paragraph number alone ("upr/COD/2/109")."""
    item = Item(number, 0, str(number), [" ".join(text.split())])
    record = item_record(item, True, position, wording, meta, url, warnings)
    paragraph = str(number)
    return record.model_copy(update={"paragraph": paragraph, "key": meta.key(paragraph)})


def _trim_trailing_prose(text: str, paragraph: str, warnings: list[str]) -> str:
    """Drop prose printed after the last item's attribution ("(Nigeria). With respect to ...")."""
    groups = [g for g in bracket_groups(text) if g.closed and resolve_group(g.inner)]
    if not groups:
        return text
    tail = text[groups[-1].end :]
    if not _PROSE_AFTER_TRAILER.match(tail):
        return text
    if any(resolve_group(g.inner) for g in bracket_groups(tail)):
        return text
    warnings.append(
        f"{paragraph}: text after the final attribution left out: {tail.strip()[1:80]!r}"
    )
    return text[: groups[-1].end + 1]
