"""Parser of UPR Working Group reports (A/HRC/{session}/{n}): one record per printed item.

Reads the "Conclusions and/or recommendations" section: numbered lead-in paragraphs state a
position ("enjoy the support of", "will be examined by", "did not enjoy the support of") for the
items printed under them (``109.3`` in cycles 2+, ``1.`` under para 69 in cycle 1). Layout
knowledge lives in ``_blocks`` (section and numbering), ``_states`` (attributions) and ``_meta``
(title block); position wordings live in ``scrapers.vocab``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from scrapers.countries import to_iso3
from scrapers.errors import LayoutChanged, guarded
from scrapers.records import (
    DocumentKind,
    Mechanism,
    ParsedDocument,
    Position,
    ScrapedDocument,
    ScrapedRecommendation,
    recommendation_key,
)
from scrapers.text import clean_text, normalise_whitespace, pdf_pages
from scrapers.upr_reports._blocks import Block, Item, find_section, scan_blocks, section_start_page
from scrapers.upr_reports._meta import (
    detect_date,
    detect_state,
    detect_symbol,
    detect_wg_session,
    hrc_session_of,
)
from scrapers.upr_reports._states import attribute, bracket_groups, resolve_group
from scrapers.vocab import (
    classify_lead_in,
    cycle_for_hrc_session,
    cycle_for_wg_session,
    is_neutral_lead_in,
)

__all__ = ["PARSER_NAME", "PARSER_VERSION", "parse_wg_report", "parse_wg_report_text"]

PARSER_NAME = "upr_reports"
PARSER_VERSION = "1.0.0"

_COMMITMENTS = re.compile(r"\b(?:commitments?|pledges?)\b", re.IGNORECASE)
_ISO3_LIKE = re.compile(r"[A-Z]{3}")
_INLINE_ITEM = re.compile(r"^\s*[A-Z][a-z]+\s")
_STATE_AT_END = re.compile(r"\)\s*[.;]?\s*$")
_PROSE_AFTER_TRAILER = re.compile(r"^\s*\.\s+(?=[A-Z\u201c\"])")


@dataclass(frozen=True, slots=True)
class _Meta:
    """What the title block and introduction say about the report."""

    state: str
    state_name: str
    cycle: int
    wg_session: int | None
    symbol: str | None
    published_on: date | None


def parse_wg_report(
    data: bytes,
    *,
    source_url: str,
    symbol: str | None = None,
    state: str | None = None,
    cycle: int | None = None,
) -> ParsedDocument:
    """Parse a WG report PDF. Explicit ``symbol``/``state``/``cycle`` override what is detected.

    Raises NotADocument / CorruptDocument for bad bytes and LayoutChanged when the file is not a
    WG report or its conclusions list no items; nothing else escapes.
    """
    pages = pdf_pages(data, url=source_url)
    digest = hashlib.sha256(data).hexdigest()
    return guarded("WG report", source_url,
        lambda: _parse(
            pages, source_url, symbol, state, cycle, ("application/pdf", digest, len(data))
        ),
    )


def parse_wg_report_text(
    text: str,
    *,
    source_url: str,
    symbol: str | None = None,
    state: str | None = None,
    cycle: int | None = None,
) -> ParsedDocument:
    """Parse the text of a WG report (pages separated by form feeds, if known). For tests and
    for text obtained elsewhere (DOCX, HTML mirrors)."""
    raw = text.encode("utf-8")
    file_info = ("text/plain", hashlib.sha256(raw).hexdigest(), len(raw))
    return guarded("WG report", source_url, lambda: _parse(text.split("\f"), source_url, symbol, state, cycle, file_info)
    )


def _parse(
    pages: list[str],
    url: str,
    symbol: str | None,
    state: str | None,
    cycle: int | None,
    file_info: tuple[str, str, int],
) -> ParsedDocument:
    warnings: list[str] = []
    section = find_section(clean_text(pages[section_start_page(pages) :]), warnings)
    meta = _metadata(pages, symbol, state, cycle, warnings)
    blocks = scan_blocks(section, warnings)
    recommendations = _recommendations(blocks, meta, url, warnings)
    if not recommendations:
        raise LayoutChanged("conclusions section found but it lists no recommendation items")
    content_type, digest, size = file_info
    document = ScrapedDocument(
        mechanism=Mechanism.UPR,
        kind=DocumentKind.WG_REPORT,
        symbol=meta.symbol,
        title=f"Report of the Working Group on the Universal Periodic Review: {meta.state_name}",
        state_under_review=meta.state,
        cycle=meta.cycle,
        wg_session=meta.wg_session,
        published_on=meta.published_on,
        source_url=url,
        content_type=content_type,
        sha256=digest,
        size=size,
        parser=PARSER_NAME,
        parser_version=PARSER_VERSION,
    )
    return ParsedDocument(document=document, recommendations=recommendations, warnings=warnings)


def _metadata(
    pages: list[str],
    symbol: str | None,
    state: str | None,
    cycle: int | None,
    warnings: list[str],
) -> _Meta:
    """Detect metadata; explicit arguments win, disagreements become warnings."""
    first = normalise_whitespace(pages[0])
    detected_state, printed = detect_state(first)
    if state is not None:
        iso3 = to_iso3(state) or _explicit_code(state, warnings)
        if detected_state and detected_state != iso3:
            warnings.append(f"title names {printed!r} but state={state!r} was given")
        printed = state if len(state) != 3 else printed or state
    elif detected_state is None:
        raise LayoutChanged(f"State under review not found in the title (read {printed!r})")
    else:
        iso3 = detected_state
    found_symbol = symbol or detect_symbol(pages)
    if found_symbol is None:
        warnings.append("document symbol not found")
    wg_session = detect_wg_session(" ".join(" ".join(pages[:6]).split()))
    detected_cycle = _detected_cycle(wg_session, found_symbol, warnings)
    if cycle is None and detected_cycle is None:
        raise LayoutChanged(
            "neither WG session ('held its ... session') nor symbol found; pass cycle="
        )
    if cycle is not None and detected_cycle is not None and cycle != detected_cycle:
        warnings.append(f"document suggests cycle {detected_cycle}, cycle={cycle} given")
    return _Meta(
        state=iso3,
        state_name=printed or iso3,
        cycle=cycle if cycle is not None else detected_cycle,  # type: ignore[arg-type]
        wg_session=wg_session,
        symbol=found_symbol,
        published_on=detect_date(first),
    )


def _explicit_code(state: str, warnings: list[str]) -> str:
    """An explicit State argument that is no UN State name: a three-letter code is the caller's
    decision (a fictional sample, a territory) and is kept; anything else cannot make a key."""
    code = state.strip()
    if not _ISO3_LIKE.fullmatch(code):
        raise LayoutChanged(f"unknown State under review {state!r}")
    warnings.append(f"state={state!r} is not a UN member or observer State; kept as given")
    return code


def _detected_cycle(wg_session: int | None, symbol: str | None, warnings: list[str]) -> int | None:
    """Cycle from the WG session; from the HRC session of the symbol when the session is absent."""
    if wg_session:
        return cycle_for_wg_session(wg_session)
    hrc_session = hrc_session_of(symbol) if symbol else None
    cycle = cycle_for_hrc_session(hrc_session) if hrc_session else None
    if cycle is not None:
        warnings.append(
            f"WG session not found; cycle {cycle} inferred from HRC session {hrc_session}"
        )
    return cycle


def _positions(blocks: list[Block], warnings: list[str]) -> dict[int, tuple[Position, str]]:
    """Position and wording governing each block that has items.

    A neutral lead-in ("the following recommendations were made to X:", cycle 1) takes its
    position from the item-less paragraph after the list ("The response of X to these
    recommendations will be included in the outcome report"); when none states it, the report
    defers the position, which is what ``pending`` means.
    """
    positions: dict[int, tuple[Position, str]] = {}
    borrowed: set[int] = set()
    for index, block in enumerate(blocks):
        if not block.items:
            continue
        if _COMMITMENTS.search(block.lead_in) and "recommendation" not in block.lead_in.lower():
            warnings.append(
                f"para {block.number} lists voluntary commitments, not recommendations: skipped"
            )
            continue
        try:
            positions[block.number] = classify_lead_in(block.lead_in)
        except LayoutChanged as exc:
            deferred = _deferred_position(blocks[index + 1 :])
            if deferred is not None:
                positions[block.number], source = deferred
                borrowed.add(source)
                warnings.append(f"para {block.number}: position taken from para {source}")
            elif is_neutral_lead_in(block.lead_in):
                positions[block.number] = (Position.PENDING, " ".join(block.lead_in.split()))
                warnings.append(f"para {block.number} states no position: read as pending")
            else:
                raise LayoutChanged(f"para {block.number}: {exc.reason}") from exc
    for block in blocks:
        if not block.items and block.number not in borrowed:
            _warn_itemless(block, warnings)
    return positions


def _deferred_position(rest: list[Block]) -> tuple[tuple[Position, str], int] | None:
    """Position stated by the item-less paragraphs that follow a neutral list, if any."""
    for block in rest:
        if block.items:
            return None
        if "recommendation" not in block.lead_in.lower():
            continue
        try:
            return classify_lead_in(block.lead_in), block.number
        except LayoutChanged:
            continue
    return None


def _warn_itemless(block: Block, warnings: list[str]) -> None:
    """A paragraph that states a position but lists nothing (e.g. refers to dialogue paragraphs)."""
    try:
        position, _ = classify_lead_in(block.lead_in)
    except LayoutChanged:
        return
    warnings.append(
        f"para {block.number} states '{position}' but lists no items: {block.lead_in[:120]!r}"
    )


def _recommendations(
    blocks: list[Block], meta: _Meta, url: str, warnings: list[str]
) -> list[ScrapedRecommendation]:
    positions = _positions(blocks, warnings)
    out: list[ScrapedRecommendation] = []
    for block in blocks:
        if not block.items:
            out.extend(_inline_recommendation(block, meta, url, warnings))
        if block.number not in positions:
            continue
        position, wording = positions[block.number]
        for item in block.items:
            last = item is block.items[-1]
            out.append(_record(item, last, position, wording, meta, url, warnings))
    return out


def _inline_recommendation(
    block: Block, meta: _Meta, url: str, warnings: list[str]
) -> list[ScrapedRecommendation]:
    """A lone recommendation printed inside its lead-in, without a number ("The following
    recommendation will be examined by the Congo ...: Finalize its plan ... (Democratic Republic
    of the Congo)."). It is keyed by the paragraph number alone."""
    lead, colon, rest = block.lead_in.partition(":")
    if not colon or not _INLINE_ITEM.match(rest) or not _STATE_AT_END.search(rest):
        return []
    try:
        position, wording = classify_lead_in(lead)
    except LayoutChanged:
        return []
    found = attribute(rest.strip())
    if not found.states or found.text == rest.strip().rstrip(";."):
        return []
    warnings.append(f"para {block.number}: one unnumbered recommendation inside the lead-in")
    item = Item(block.number, 0, str(block.number), [rest.strip()])
    record = _record(item, True, position, wording, meta, url, warnings)
    paragraph = str(block.number)
    key = recommendation_key(Mechanism.UPR.value, meta.state, meta.cycle, paragraph)
    return [record.model_copy(update={"paragraph": paragraph, "key": key})]


def _record(
    item: Item,
    last: bool,
    position: Position,
    wording: str,
    meta: _Meta,
    url: str,
    warnings: list[str],
) -> ScrapedRecommendation:
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
    paragraph = item.paragraph
    return ScrapedRecommendation(
        key=recommendation_key(Mechanism.UPR.value, meta.state, meta.cycle, paragraph),
        mechanism=Mechanism.UPR,
        state=meta.state,
        cycle=meta.cycle,
        paragraph=paragraph,
        text=found.text,
        recommending_states=found.states,
        recommending_states_raw=found.raw,
        position=position,
        position_wording=wording,
        effective_on=meta.published_on,
        source_url=url,
        evidence=f"{meta.symbol or 'WG report'} para. {item.para}",
    )


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
