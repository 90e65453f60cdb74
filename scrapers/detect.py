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
        head = data[:200_000].decode("utf-8", "replace")
        if _PACE.search(head):
            return DocumentKind.PACE_TEXT
        raise NotADocument("an HTML page that is not a PACE text")
    if fmt == "doc":
        raise NotADocument("a legacy Word (.doc) file: save it as .docx or PDF first")
    size = len(data)
    raise NotADocument(f"not a document recwatch reads ({fmt}, {size} bytes)")


