"""PACE adopted texts (SOURCES.md §6): pure fetch -> parse -> validated records.

`parse_pace_page` reads one page of either site (pace.coe.int, early and label/value
renderings; legacy assembly.coe.int): the text's type and number, version, origin and adoption,
its operative paragraphs as recommendations keyed `pace/{ISO3}/res-2322-2020/10.1`, CM replies as
`cm_reply` links, later assessments as follow-up evidence. `fetch_pace_text` gets a page with
challenge detection and the legacy fallback; `discover_fileids` grows the fileid list.
"""

from __future__ import annotations

from scrapers.pace._fetch import current_url, discover_fileids, fetch_pace_text, legacy_url
from scrapers.pace._html import read_page
from scrapers.pace._parse import PARSER_NAME, PARSER_VERSION, document_key, parse_pace_page

__all__ = [
    "PARSER_NAME",
    "PARSER_VERSION",
    "current_url",
    "discover_fileids",
    "document_key",
    "fetch_pace_text",
    "legacy_url",
    "page_text",
    "parse_pace_page",
]


def page_text(html: bytes) -> str:
    """The page as whitespace-normalised text, one block per line (what the store keeps)."""
    return "\n".join(read_page(html).blocks)
