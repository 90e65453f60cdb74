"""Parser of UPR addenda (A/HRC/{session}/{n}/Add.1): the State's position on each recommendation.

Two layouts (SOURCES.md §3.2): cycles 2-4 list item numbers per position in numbered paragraphs
under headings (``_lists``); cycle 1 and tabular addenda reply item by item in prose (``_replies``).
Number lists (ranges, dashes, shortened numbers) live in ``_numbers``, the title block in
``_meta``, the totals paragraph in ``_totals``. One ScrapedPosition per item number; nothing that
is unclear is guessed: it is reported in ``ParsedDocument.warnings`` ("needs human review: ...").
"""

from __future__ import annotations

from collections import defaultdict

from scrapers.countries import state_by_iso3, to_iso3
from scrapers.errors import LayoutChanged, guarded
from scrapers.records import (DocumentKind, FileFacts, ParsedDocument, Position,
                              ScrapedPosition, UprReview)
from scrapers.text import clean_text, normalise_whitespace, pdf_pages
from scrapers.upr_addendum._lists import ListEntry, Note, classify_clause, read_list_layout
from scrapers.upr_addendum._meta import (
    cycle_for_hrc_session,
    cycle_for_wg_session,
    detect_date,
    detect_parent,
    detect_state,
    detect_symbol,
    hrc_session,
    looks_like_addendum,
    review_ordinal,
)
from scrapers.upr_addendum._numbers import NumberList, scan_number_list
from scrapers.upr_addendum._replies import ReplyVerdict, classify_reply, read_replies
from scrapers.upr_addendum._totals import AddendumTotals, parse_addendum_totals

__all__ = [
    "PARSER_NAME",
    "PARSER_VERSION",
    "AddendumTotals",
    "NumberList",
    "ReplyVerdict",
    "addendum_text",
    "classify_clause",
    "classify_reply",
    "cycle_for_hrc_session",
    "cycle_for_wg_session",
    "parse_addendum",
    "parse_addendum_text",
    "parse_addendum_totals",
    "scan_number_list",
]

PARSER_NAME = "upr_addendum"
PARSER_VERSION = "1.0.0"
REVIEW_PREFIX = "needs human review"


class _Meta(UprReview):
    __slots__ = ()

    @property
    def cite(self) -> str:
        return self.symbol or "addendum"


def parse_addendum(
    data: bytes,
    *,
    source_url: str,
    symbol: str | None = None,
    state: str | None = None,
    cycle: int | None = None,
    parent: int | None = None,
) -> ParsedDocument:
    """Parse an addendum PDF. Explicit arguments override what is detected; ``parent`` is the WG
    report paragraph that bare item numbers (``1–5``, ``Rec. 18``, cycle-1 ``5.``) belong to.

    Raises NotADocument / CorruptDocument for bad bytes, LayoutChanged when the file is not an
    addendum or states no position; nothing else escapes.
    """
    pages = pdf_pages(data, url=source_url)
    file = FileFacts.of(data, "application/pdf")
    return guarded(
        "addendum",
        source_url,
        lambda: _parse(pages, source_url, symbol, state, cycle, parent, file),
    )


def parse_addendum_text(
    text: str,
    *,
    source_url: str,
    symbol: str | None = None,
    state: str | None = None,
    cycle: int | None = None,
    parent: int | None = None,
) -> ParsedDocument:
    """Parse addendum text (pages separated by form feeds, if known): tests, DOCX or HTML text."""
    file = FileFacts.of(text.encode("utf-8"), "text/plain")
    pages = text.split("\f")
    return guarded(
        "addendum",
        source_url,
        lambda: _parse(pages, source_url, symbol, state, cycle, parent, file),
    )


def addendum_text(data: bytes, *, source_url: str | None = None) -> str:
    """The cleaned text of an addendum PDF (what ``parse_addendum_totals`` reads)."""
    return clean_text(pdf_pages(data, url=source_url))


def _parse(
    pages: list[str],
    url: str,
    symbol: str | None,
    state: str | None,
    cycle: int | None,
    parent: int | None,
    file: FileFacts,
) -> ParsedDocument:
    warnings: list[str] = []
    raw = "\n".join(pages)
    text = clean_text(pages)
    meta = _metadata(normalise_whitespace(pages[0]), raw, text, symbol, state, cycle, warnings)
    parent = parent if parent is not None else detect_parent(raw)
    positions = _from_lists(text, meta, parent, url, warnings)
    if not positions:
        positions = _from_replies(text, meta, parent, url, warnings)
    totals = parse_addendum_totals(text)
    if not positions:
        raise LayoutChanged(_nothing_answered(meta, totals, warnings))
    _validate(positions, totals, warnings)
    document = meta.document(
        DocumentKind.ADDENDUM,
        f"Report of the Working Group on the UPR: {meta.state_name}. Addendum",
        source_url=url,
        file=file,
        parser=PARSER_NAME,
        parser_version=PARSER_VERSION,
    )
    return ParsedDocument(document=document, positions=positions, warnings=warnings)


def _nothing_answered(meta: _Meta, totals: AddendumTotals | None, warnings: list[str]) -> str:
    """Why an addendum with no position is refused: what it promised and what was found. An
    addendum exists to answer the recommendations left pending, so none answered is a cut or
    unreadable document (or one whose wording changed), never "no news"."""
    expected = totals.answered_here if totals else None
    promised = (
        f"its totals paragraph says {expected} recommendation(s) are answered here"
        if expected
        else "an addendum answers the recommendations left pending at the review"
    )
    unclear = sum(1 for w in warnings if w.startswith(REVIEW_PREFIX))
    found = "no '... accepts the following recommendations 1.2, ...' paragraph" + (
        f", and none of the {unclear} numbered paragraph(s) read as item-by-item replies states "
        f"a position clearly ({REVIEW_PREFIX})"
        if unclear
        else " and no item-by-item replies found"
    )
    return (
        f"addendum {meta.cite} ({meta.state_name}): no position found for any item number — "
        f"{promised}; {found}; the document may be truncated or its layout changed"
    )


def _metadata(
    first: str,
    raw: str,
    text: str,
    symbol: str | None,
    state: str | None,
    cycle: int | None,
    warnings: list[str],
) -> _Meta:
    """Symbol, State, cycle and date; explicit arguments win, disagreements become warnings."""
    found = detect_symbol(raw)
    given = "".join(symbol.split()) if symbol else None
    if given and found and given.lower() != found.lower():
        warnings.append(f"document prints {found} but symbol={given!r} was given")
    symbol = given or found
    if not looks_like_addendum(first, symbol):
        raise LayoutChanged(
            "not a UPR addendum: no 'Addendum' / 'Views on conclusions and/or "
            "recommendations' in the title block and no /Add. symbol"
        )
    iso3, name = _state(first, state, warnings)
    return _Meta(iso3, name, _cycle(symbol, text, cycle, warnings), symbol, detect_date(first))


def _state(first: str, state: str | None, warnings: list[str]) -> tuple[str, str]:
    detected, printed = detect_state(first)
    if state is None:
        if detected is None:
            raise LayoutChanged(
                f"State under review not found in the title block (read {printed!r}); pass state="
            )
        return detected, printed or detected
    iso3 = to_iso3(state)
    if iso3 is None:
        raise LayoutChanged(f"unknown State under review {state!r}")
    if detected and detected != iso3:
        warnings.append(f"title names {printed!r} but state={state!r} was given")
    info = state_by_iso3(iso3)
    return iso3, printed if detected == iso3 and printed else (info.un_name if info else iso3)


def _cycle(symbol: str | None, text: str, cycle: int | None, warnings: list[str]) -> int:
    """Cycle from the argument, else the HRC session of the symbol, else the introduction."""
    session = hrc_session(symbol)
    by_session = cycle_for_hrc_session(session) if session else None
    said = review_ordinal(text)
    chosen = cycle if cycle is not None else by_session if by_session is not None else said
    if chosen is None:
        raise LayoutChanged(
            "cycle unknown: no A/HRC/<session>/... symbol and no 'n-th Universal Periodic "
            "Review' in the text; pass cycle="
        )
    for source, value in (("symbol session", by_session), ("introduction", said)):
        if value is not None and value != chosen:
            warnings.append(f"{source} suggests cycle {value}, using cycle {chosen}")
    return chosen


def _from_lists(
    text: str, meta: _Meta, parent: int | None, url: str, warnings: list[str]
) -> list[ScrapedPosition]:
    entries, notes, orphans = read_list_layout(text, parent, warnings)
    if orphans:
        raise LayoutChanged(
            f"bare item numbers {orphans[:4]} but the WG report paragraph they belong to "
            "is not stated; pass parent= (e.g. 115 for items 115.1 ...)"
        )
    replies = _notes_by_number(notes)
    chosen = _dedupe([(n, e) for e in entries for n in e.numbers], warnings)
    for number in sorted(set(replies) - set(chosen), key=_order):
        warnings.append(f"note for {number}, which no list gives a position")
    return [_list_position(n, e, replies.get(n), meta, url) for n, e in chosen.items()]


def _notes_by_number(notes: list[Note]) -> dict[str, str]:
    texts: dict[str, list[str]] = defaultdict(list)
    for note in notes:
        for number in note.numbers:
            texts[number].append(note.text)
    return {number: "\n\n".join(t for t in parts if t) for number, parts in texts.items()}


def _dedupe(pairs: list[tuple[str, ListEntry]], warnings: list[str]) -> dict[str, ListEntry]:
    """One entry per number; a number listed with two different positions is left out."""
    chosen: dict[str, ListEntry] = {}
    conflicting: set[str] = set()
    for number, entry in pairs:
        first = chosen.get(number)
        if first is None:
            chosen[number] = entry
        elif first.position != entry.position:
            conflicting.add(number)
            warnings.append(
                f"{number} listed as {first.position} (para {first.paragraph}) and as "
                f"{entry.position} (para {entry.paragraph}): left out, {REVIEW_PREFIX}"
            )
        elif first is not entry:
            warnings.append(
                f"{number} listed twice (paras {first.paragraph} and {entry.paragraph})"
            )
    return {n: e for n, e in chosen.items() if n not in conflicting}


def _list_position(
    number: str, entry: ListEntry, note: str | None, meta: _Meta, url: str
) -> ScrapedPosition:
    parts = (
        [entry.explanation]
        if entry.position is Position.PARTIALLY_SUPPORTED and entry.explanation
        else []
    )
    parts += [note] if note else []
    return ScrapedPosition(
        key=meta.key(number),
        paragraph=number,
        position=entry.position,
        wording=entry.wording,
        response_text="\n\n".join(parts) or None,
        considered_implemented=entry.implemented,
        evidence=f"{meta.cite} para. {entry.paragraph}",
        effective_on=meta.published_on,
        source_url=url,
    )


def _from_replies(
    text: str, meta: _Meta, parent: int | None, url: str, warnings: list[str]
) -> list[ScrapedPosition]:
    """Item-by-item replies, each classified; unclear ones go to human review, not to output.
    `parent` is asked for only when a reply states a position: a cut cycle 2-4 addendum has
    numbered introduction paragraphs that read as replies and must be refused for what it is."""
    out: list[ScrapedPosition] = []
    for reply in read_replies(text):
        verdict = classify_reply(reply.text)
        if verdict.position is None:
            keys = [key if parent is None else _full(key, parent, reply.printed)
                    for key in reply.keys]
            warnings.append(
                f"{REVIEW_PREFIX}: {', '.join(keys)}: {verdict.reason}: {reply.text[:160]!r}"
            )
            continue
        numbers = [_full(key, parent, reply.printed) for key in reply.keys]
        for number in numbers:
            out.append(
                ScrapedPosition(
                    key=meta.key(number),
                    paragraph=number,
                    position=verdict.position,
                    wording=verdict.wording,
                    response_text=reply.text or None,
                    considered_implemented=verdict.implemented
                    and verdict.position is Position.SUPPORTED,
                    evidence=f"{meta.cite} reply to {reply.printed}",
                    effective_on=meta.published_on,
                    source_url=url,
                )
            )
    return out


def _full(key: str, parent: int | None, printed: str) -> str:
    if "." in key:
        return key
    if parent is None:
        raise LayoutChanged(
            f"replies are keyed by bare item numbers ({printed}); pass parent= (the WG report "
            "paragraph of the items, e.g. 111 for the cycle-1 items 1. ... 97.)"
        )
    return f"{parent}.{key}"


def _order(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split("."))


def _validate(
    positions: list[ScrapedPosition], totals: AddendumTotals | None, warnings: list[str]
) -> None:
    """Gaps in the numbering and disagreement with the stated totals become warnings."""
    by_parent: dict[int, set[int]] = defaultdict(set)
    for p in positions:
        head, item = _order(p.paragraph)
        by_parent[head].add(item)
    for head, items in sorted(by_parent.items()):
        missing = sorted(set(range(1, max(items) + 1)) - items)
        if missing:
            warnings.append(
                f"no position for {len(missing)} item(s) under {head}: "
                f"{', '.join(f'{head}.{n}' for n in missing[:20])}"
            )
    if totals is None:
        warnings.append("no totals paragraph found: counts not checked")
        return
    warnings.extend(f"totals: {problem}" for problem in totals.inconsistencies())
    counts = {pos: sum(1 for p in positions if p.position is pos) for pos in Position}
    for label, stated, pos in (
        ("supported", totals.supported, Position.SUPPORTED),
        ("noted", totals.noted, Position.NOTED),
        ("partially supported", totals.partially_supported, Position.PARTIALLY_SUPPORTED),
    ):
        if stated is not None and stated != counts[pos]:
            warnings.append(f"totals: text says {stated} {label}, parsed {counts[pos]}")
    expected = totals.answered_here
    if expected is not None and expected != len(positions):
        warnings.append(
            f"totals: text says {expected} recommendations answered here, parsed {len(positions)}"
        )
