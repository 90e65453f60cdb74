"""Parser of UPR Working Group reports (A/HRC/{session}/{n}): one record per printed item.

Reads the "Conclusions and/or recommendations" section: numbered lead-in paragraphs state a
position ("enjoy the support of", "will be examined by", "did not enjoy the support of") for the
items printed under them (``109.3`` in cycles 2+, ``1.`` under para 69 in cycle 1). Layout
knowledge lives in ``_blocks`` (section and numbering), ``_roles`` (what each paragraph
contributes), ``_records`` (record shapes), ``_states`` (attributions) and ``_identity`` /
``_meta`` (State, cycle, session, symbol); position wordings live in ``scrapers.vocab``.

A paragraph that cannot be read is reported in ``ParsedDocument.problems`` and costs only its
own items; the parse fails only when nothing at all can be attributed, or when no cue names the
State under review (or the cycle) and none was given.
"""

from __future__ import annotations

from scrapers.errors import LayoutChanged, guarded
from scrapers.records import DocumentKind, FileFacts, ParsedDocument
from scrapers.text import clean_text, pdf_pages
from scrapers.upr_reports._blocks import find_section, scan_blocks, section_start_page
from scrapers.upr_reports._identity import metadata
from scrapers.upr_reports._records import with_symbol_refs
from scrapers.upr_reports._roles import read_conclusions

__all__ = ["PARSER_NAME", "PARSER_VERSION", "parse_wg_report", "parse_wg_report_text"]

PARSER_NAME = "upr_reports"
PARSER_VERSION = "1.1.0"
PROBLEMS_SHOWN = 3


def parse_wg_report(
    data: bytes,
    *,
    source_url: str,
    symbol: str | None = None,
    state: str | None = None,
    cycle: int | None = None,
) -> ParsedDocument:
    """Parse a WG report PDF. Explicit ``symbol``/``state``/``cycle`` override what is detected.

    Returns every attributable recommendation; paragraphs that could not be read are listed in
    ``problems``. Raises NotADocument / CorruptDocument for bad bytes and LayoutChanged when the
    file is not a WG report, when nothing in its conclusions can be attributed, or when the
    State under review (or the cycle) is found nowhere and was not given.
    """
    pages = pdf_pages(data, url=source_url)
    file = FileFacts.of(data, "application/pdf")
    return guarded(
        "WG report", source_url, lambda: _parse(pages, source_url, symbol, state, cycle, file)
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
    file = FileFacts.of(text.encode("utf-8"), "text/plain")
    pages = text.split("\f")
    return guarded(
        "WG report", source_url, lambda: _parse(pages, source_url, symbol, state, cycle, file)
    )


def _parse(
    pages: list[str],
    url: str,
    symbol: str | None,
    state: str | None,
    cycle: int | None,
    file: FileFacts,
) -> ParsedDocument:
    warnings: list[str] = []
    problems: list[str] = []
    section = find_section(clean_text(pages[section_start_page(pages) :]), warnings)
    blocks = scan_blocks(section, warnings)
    lead_ins = "\n".join(block.lead_in for block in blocks)
    meta = metadata(pages, lead_ins, symbol, state, cycle, warnings)
    recommendations = read_conclusions(blocks, meta, url, warnings, problems)
    if not recommendations:
        shown = "; ".join(problems[:PROBLEMS_SHOWN])
        raise LayoutChanged(
            "conclusions section found but it lists no recommendation items"
            + (f" ({shown})" if shown else "")
        )
    document = meta.document(
        DocumentKind.WG_REPORT,
        f"Report of the Working Group on the Universal Periodic Review: {meta.state_name}",
        source_url=url,
        file=file,
        parser=PARSER_NAME,
        parser_version=PARSER_VERSION,
    )
    return ParsedDocument(
        document=document, recommendations=with_symbol_refs(recommendations, document.symbol),
        warnings=warnings, problems=problems
    )
