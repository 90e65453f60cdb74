"""What kind of document a file is, from its bytes: the importer routes on this."""

from __future__ import annotations

import re

from scrapers.errors import NotADocument
from scrapers.records import DocumentKind
from scrapers.text import pdf_first_page_text, sniff_format

_ADDENDUM = re.compile(r"\bAddendum\b.{0,400}?Views on conclusions", re.IGNORECASE | re.DOTALL)
_WG_REPORT = re.compile(r"Report of the Working Group on the Universal\s+Periodic Review", re.IGNORECASE)
_PACE = re.compile(r"Logo Assembly|Parliamentary Assembly|assembly\.coe\.int|pace\.coe\.int", re.IGNORECASE)


def first_page_text(data: bytes) -> str:
    """Text of page 1 only: enough to classify without extracting the whole file. Damaged or
    oversized files raise CorruptDocument (or its DocumentTooLarge), never a PDFium error."""
    return " ".join(pdf_first_page_text(data).split())


def is_addendum_text(first_page: str) -> bool:
    """A UPR addendum says so on its first page, before the views on conclusions."""
    return _ADDENDUM.search(first_page) is not None


def is_pace_html(data: bytes) -> bool:
    """A page of either PACE site names the Assembly near its top."""
    return _PACE.search(data[:200_000].decode("utf-8", "replace")) is not None


def detect_kind(data: bytes) -> DocumentKind:
    """Classify a file; raises NotADocument for anything recwatch does not read."""
    fmt = sniff_format(data)
    if fmt == "pdf":
        text = first_page_text(data)
        if _ADDENDUM.search(text):
            return DocumentKind.ADDENDUM
        return DocumentKind.WG_REPORT  # the WG report parser says clearly when it is not one
    if fmt == "docx":
        return DocumentKind.THEMATIC_LIST
    if fmt == "json" or data[:2] == b"\x1f\x8b":
        return DocumentKind.UPR_INFO_ENTITY
    if fmt == "html":
        if is_pace_html(data):
            return DocumentKind.PACE_TEXT
        raise NotADocument("an HTML page that is not a PACE text")
    if fmt == "doc":
        raise NotADocument("a legacy Word (.doc) file: save it as .docx or PDF first")
    size = len(data)
    raise NotADocument(f"not a document recwatch reads ({fmt}, {size} bytes)")


