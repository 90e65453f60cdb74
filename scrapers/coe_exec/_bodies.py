"""Document bodies (CM decisions, action plans and reports) from the conversion endpoints.

`contentbody` from the search is preferred; the conversion endpoints (HTML, DOCX, PDF, by
storage id) are the fallback (SOURCES.md §8.3). Some PDFs are scans: that is `NoTextLayer`
(flag for OCR), never an empty text accepted as the document.
"""

from __future__ import annotations

import io

from bs4 import BeautifulSoup

from scrapers.errors import CorruptDocument, EmptyScrape, NotADocument
from scrapers.text import (
    NoTextLayer,
    normalise_whitespace,
    pdf_pages,
    repair_hyphenation,
    sniff_format,
)

__all__ = ["document_text"]


def document_text(data: bytes, *, url: str) -> str:
    """Plain text of a body in HTML, DOCX or PDF; raises rather than return nothing.

    NoTextLayer: a scanned PDF (needs OCR). EmptyScrape: an empty body (a 204 on a wrong id, an
    empty HTML shell). NotADocument: anything else.
    """
    if not data.strip():
        raise EmptyScrape("empty document body (HUDOC-EXEC answers an execidentifier with 204: "
                          "address bodies by execcontentstoreid)", url=url)
    kind = sniff_format(data)
    if kind == "pdf":
        try:
            # not clean_text: its UN furniture rules would drop lines like CM/Del/Dec(...)
            text = repair_hyphenation(normalise_whitespace("\n".join(pdf_pages(data, url=url))))
        except NoTextLayer as exc:
            raise NoTextLayer(f"{exc.reason}: scanned document, flag for OCR", url=url) from exc
    elif kind == "html":
        text = normalise_whitespace(BeautifulSoup(data, "lxml").get_text("\n"))
    elif kind == "docx":
        text = _docx_text(data, url=url)
    else:
        raise NotADocument(f"expected an HTML, DOCX or PDF body, got {kind}", url=url)
    if not text.strip():
        raise EmptyScrape(f"{kind} body without text", url=url)
    return text


def _docx_text(data: bytes, *, url: str) -> str:
    import docx  # python-docx: only needed on this fallback path

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises assorted errors on damaged files
        raise CorruptDocument(f"DOCX cannot be read: {exc}", url=url) from exc
    return "\n".join(p.text for p in document.paragraphs if p.text.strip())
