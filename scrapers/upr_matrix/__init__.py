"""Parser of OHCHR thematic lists of UPR recommendations ("UPR matrix", DOCX; SOURCES.md §4.2).

One Word table; columns are found by header text (cycle 2/3, cycle 4, older lists with a
"Recommending state/s" column), never by position. Theme separator rows ("Theme: ...",
"Right or area: ...") group the items; an item repeated under several themes is merged into one
record. Each record carries the list's position, the "Source of Position" as evidence, and the
themes, SDGs and affected persons printed beside it.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import docx
from docx.table import Table, _Row

from scrapers.countries import state_by_iso3, to_iso3
from scrapers.errors import CorruptDocument, LayoutChanged, NotADocument, ScrapeError
from scrapers.records import (DocumentKind, FileFacts, ParsedDocument, Position, UprReview,
                              upr_recommendation)
from scrapers.text import check_docx, sniff_format
from scrapers.upr_addendum import cycle_for_hrc_session, cycle_for_wg_session
from scrapers.upr_matrix import _cells
from scrapers.upr_matrix._title import from_title
from scrapers.vocab import normalise_position

__all__ = [
    "PARSER_NAME",
    "PARSER_VERSION",
    "ThematicItem",
    "ThematicTable",
    "parse_thematic_list",
    "read_thematic_table",
]

PARSER_NAME = "upr_matrix"
PARSER_VERSION = "1.0.0"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_F = re.IGNORECASE
_HEADERS = (  # order matters: "Recommending state/s" before "Recommendation ..."
    ("states", re.compile(r"^recommending\s+states?\b", _F)),
    ("recommendation", re.compile(r"\brecommendation", _F)),
    ("position", re.compile(r"\bposition\b", _F)),
    ("themes", re.compile(r"\bthemes?\b", _F)),
    ("sdgs", re.compile(r"\bsdgs?\b", _F)),
    ("assessment", re.compile(r"assessment|comments?", _F)),
)
_SEPARATOR = re.compile(r"^\s*(?:Theme|Right\s+or\s+area)\s*:\s*(?P<theme>.+?)\s*$", _F)
_NUMBER = re.compile(r"^\s*(?P<num>\d{1,3}\.\d{1,3})\.?(?=\s|$)")
_SOURCE = re.compile(r"Source\s+of\s+positions?\s*:?\s*(?P<src>.*)$", _F | re.MULTILINE)


@dataclass
class ThematicItem:
    """One recommendation row (items repeated under several themes are merged)."""

    paragraph: str
    text: str
    states: list[str]
    states_raw: list[str]
    position: Position
    position_label: str
    evidence: str | None
    themes: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    affected_persons: list[str] = field(default_factory=list)
    list_themes: list[str] = field(default_factory=list)  # the separator rows it sits under


@dataclass
class ThematicTable:
    """The table as read: columns found, theme separator rows, merged items, title text."""

    columns: dict[str, int]
    theme_rows: list[str]
    items: list[ThematicItem]
    title: str
    row_count: int = 0
    warnings: list[str] = field(default_factory=list)


def parse_thematic_list(
    data: bytes,
    *,
    source_url: str,
    state: str | None = None,
    cycle: int | None = None,
    symbol: str | None = None,
) -> ParsedDocument:
    """Parse a thematic list DOCX into recommendations with positions, themes, SDGs and groups.

    State and cycle come from the title ("UPR of Slovenia (3rd Cycle - 34th Session)") unless
    given; when neither says them, LayoutChanged names the argument to pass.
    """
    try:
        table = read_thematic_table(data, source_url=source_url)
        iso3, cycle_no, session = _review(table, state, cycle)
        return _document(table, data, source_url, iso3, cycle_no, session, symbol)
    except ScrapeError as exc:
        exc.url = exc.url or source_url
        raise
    except Exception as exc:  # a parser bug must still surface as a scrape failure
        raise LayoutChanged(
            f"thematic list parser failed: {type(exc).__name__}: {exc}", url=source_url
        ) from exc


def read_thematic_table(data: bytes, *, source_url: str | None = None) -> ThematicTable:
    """Find the recommendation table of a thematic list DOCX and read every row."""
    document = _open(data, source_url)
    for table in document.tables:
        columns = _columns(table)
        if columns is not None:
            result = ThematicTable(columns[1], [], [], _title_text(document, table))
            _read_rows(table.rows[columns[0] + 1 :], result)
            if not result.items:
                raise LayoutChanged(_no_items(result), url=source_url)
            return result
    headers = [
        " | ".join(c.text.strip() for c in t.rows[0].cells) for t in document.tables if t.rows
    ]
    raise LayoutChanged(
        f"no table with 'Recommendation' and 'Position' columns (first rows: {headers[:3]})",
        url=source_url,
    )


def _no_items(result: ThematicTable) -> str:
    """Why a table with the right header but no recommendation is refused: a thematic list exists
    to list a review's recommendations, so an empty one is cut short or laid out differently."""
    themes = f" under {len(result.theme_rows)} theme row(s)" if result.theme_rows else ""
    if not result.row_count:
        found = f"only its header row{themes}"
    else:
        found = (f"{result.row_count} row(s){themes}, none with a recommendation number "
                 f"('140.7 ...') and a known position ({'; '.join(result.warnings[:2])})")
    return (f"thematic list: the recommendation table has {found} — no recommendation found; "
            "the list may be truncated or its layout changed")


def _open(data: bytes, url: str | None) -> docx.document.Document:
    kind = sniff_format(data)
    if kind != "docx":
        raise NotADocument(
            f"expected a DOCX thematic list, got {kind} ({len(data)} bytes)", url=url
        )
    check_docx(data, url=url)  # decompression bombs are refused before python-docx inflates
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, KeyError, lxml syntax errors... : all a damaged file
        raise CorruptDocument(
            f"cannot read the DOCX: {type(exc).__name__}: {exc}", url=url
        ) from exc


def _columns(table: Table) -> tuple[int, dict[str, int]] | None:
    """(header row index, column name -> index) when one of the first rows is the header."""
    for index, row in enumerate(table.rows[:3]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row.cells):
            label = " ".join(cell.text.split())
            for name, pattern in _HEADERS:
                if pattern.search(label):
                    found.setdefault(name, col)
                    break
        if "recommendation" in found and "position" in found:
            return index, found
    return None


def _title_text(document: docx.document.Document, table: Table) -> str:
    """Text that may name the review: section headers, body paragraphs, the table's first cell."""
    parts: list[str] = []
    for section in document.sections:
        headers = [section.header] + (
            [section.first_page_header] if section.different_first_page_header_footer else []
        )
        for header in headers:
            try:
                parts.extend(p.text for p in header.paragraphs)
            except (AttributeError, KeyError, ValueError):  # a damaged header part: skip it
                continue
    parts.extend(p.text for p in document.paragraphs)
    return "\n".join(" ".join(p.replace("\t", " ").split()) for p in parts if p.strip())


def _read_rows(rows: list[_Row], result: ThematicTable) -> None:
    by_number: dict[str, ThematicItem] = {}
    theme: str | None = None
    for offset, row in enumerate(rows, start=2):
        cells = row.cells
        texts = [c.text.strip() for c in cells]
        if len({id(c._tc) for c in cells}) == 1 or len(set(texts)) == 1:
            match = _SEPARATOR.match(texts[0].split("\n")[0]) if texts[0] else None
            if match:
                theme = match.group("theme")
                result.theme_rows.append(theme)
            elif texts[0]:
                result.warnings.append(
                    f"row {offset}: merged row that is not a theme: {texts[0][:80]!r}"
                )
            continue
        if _columns_of(texts, result.columns):
            continue  # a repeated header row
        result.row_count += 1
        item = _item(cells, result.columns, offset, result.warnings)
        if item is not None:
            _merge(by_number, item, theme, result.warnings)
    result.items = list(by_number.values())


def _columns_of(texts: list[str], columns: dict[str, int]) -> bool:
    label = texts[columns["recommendation"]].lower()
    return label.startswith("recommendation") and texts[columns["position"]].lower().startswith(
        "position"
    )


def _item(
    cells: list, columns: dict[str, int], row: int, warnings: list[str]
) -> ThematicItem | None:
    """One recommendation row; rows without a number or with an unknown position are reported."""
    cell = cells[columns["recommendation"]].text
    source = _SOURCE.search(cell)
    body = (cell[: source.start()] + cell[source.end() :]) if source else cell
    number = _NUMBER.match(body)
    if number is None:
        if body.strip():
            warnings.append(f"row {row}: no recommendation number: {body.strip()[:80]!r}")
        return None
    paragraph = number.group("num")
    label = " ".join(cells[columns["position"]].text.split())
    position = normalise_position(label)
    if position is None:
        warnings.append(f"{paragraph}: unknown position {label!r}: left out")
        return None
    text, states, raw = _cells.attribution(body[number.end() :], paragraph, warnings)
    if "states" in columns:
        states, raw = _cells.extra_states(cells[columns["states"]].text, states, raw)
    themes, sdgs, persons = _cells.themes(
        cells[columns["themes"]].text if "themes" in columns else ""
    )
    if "sdgs" in columns:
        sdgs = _cells.unique(sdgs + _cells.themes(cells[columns["sdgs"]].text)[0])
    evidence = _cells.evidence(source.group("src") if source else "", paragraph, warnings)
    return ThematicItem(
        paragraph, text, states, raw, position, label, evidence, themes, sdgs, persons
    )


def _merge(
    by_number: dict[str, ThematicItem], item: ThematicItem, theme: str | None, warnings: list[str]
) -> None:
    """Dedupe by paragraph number: themes, SDGs and groups of a repeated item are merged."""
    first = by_number.setdefault(item.paragraph, item)
    if theme and theme not in first.list_themes:
        first.list_themes.append(theme)
    if first is item:
        return
    if first.position != item.position:
        warnings.append(
            f"{item.paragraph}: repeated with position {item.position} after {first.position}: "
            "first kept"
        )
    first.themes = _cells.unique(first.themes + item.themes)
    first.sdgs = _cells.unique(first.sdgs + item.sdgs)
    first.affected_persons = _cells.unique(first.affected_persons + item.affected_persons)


# --- the review and the document ----------------------------------------------------------------


def _review(
    table: ThematicTable, state: str | None, cycle: int | None
) -> tuple[str, int, int | None]:
    """State (ISO3), cycle and WG session: arguments win; else title; else the cited symbols."""
    title = table.title
    named, session, said_cycle = from_title(title)
    iso3 = to_iso3(state) if state else named
    if state and iso3 is None:
        raise LayoutChanged(f"unknown State under review {state!r}")
    if iso3 is None:
        raise LayoutChanged(
            f"thematic list does not name the State under review (title {title[:80]!r}); "
            "pass state="
        )
    if state and named and named != iso3:
        table.warnings.append(f"title names {named} but state={state!r} was given")
    by_symbol = _cycle_of_sources(table)
    by_session = cycle_for_wg_session(session) if session else None
    detected = said_cycle or by_session or by_symbol
    chosen = cycle if cycle is not None else detected
    if chosen is None:
        raise LayoutChanged(
            "thematic list does not say its cycle (no 'n-th Cycle', 'UPRnn' or cited "
            "A/HRC symbol); pass cycle="
        )
    for source, value in (
        ("title", said_cycle),
        ("WG session", by_session),
        ("cited symbols", by_symbol),
    ):
        if value is not None and value != chosen:
            table.warnings.append(f"{source} suggests cycle {value}, using cycle {chosen}")
    return iso3, chosen, session


def _cycle_of_sources(table: ThematicTable) -> int | None:
    """Cycle implied by the HRC session of the symbols the list cites most (A/HRC/43/15 -> 3)."""
    sessions = Counter(
        int(m.group(1))
        for item in table.items
        if item.evidence
        for m in [re.match(r"A/HRC/(\d{1,2})/", item.evidence)]
        if m
    )
    return cycle_for_hrc_session(sessions.most_common(1)[0][0]) if sessions else None


def _document(
    table: ThematicTable,
    data: bytes,
    url: str,
    iso3: str,
    cycle: int,
    session: int | None,
    symbol: str | None,
) -> ParsedDocument:
    info = state_by_iso3(iso3)
    recommendations = [
        upr_recommendation(
            iso3,
            cycle,
            item.paragraph,
            text=item.text,
            recommending_states=item.states,
            recommending_states_raw=item.states_raw,
            position=item.position,
            position_wording=item.position_label,
            source_url=url,
            evidence=item.evidence,
            themes=item.themes,
            sdgs=item.sdgs,
            affected_persons=item.affected_persons,
        )
        for item in table.items
    ]
    name = info.name if info else iso3
    review = UprReview(iso3, name, cycle, symbol, published_on=None, wg_session=session)
    document = review.document(
        DocumentKind.THEMATIC_LIST,
        f"Thematic list of recommendations: {name}, cycle {cycle}",
        source_url=url,
        file=FileFacts.of(data, DOCX_TYPE),
        parser=PARSER_NAME,
        parser_version=PARSER_VERSION,
    )
    return ParsedDocument(
        document=document, recommendations=recommendations, warnings=table.warnings
    )
