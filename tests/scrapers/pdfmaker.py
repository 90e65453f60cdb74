"""Build small text PDFs in tests with PDFium itself, so PDF-level behaviour (page breaks,
furniture, scans) is tested without committing binary fixtures."""

from __future__ import annotations

import ctypes
import io

import pypdfium2 as pdfium
from pypdfium2 import raw

_LINE_HEIGHT = 14
_TOP = 800


def make_pdf(pages: list[str]) -> bytes:
    """A PDF with one text line per line of each page (Helvetica 11); empty pages stay empty."""
    document = pdfium.PdfDocument.new()
    for text in pages:
        page = document.new_page(595, 842)
        for row, line in enumerate(line for line in text.split("\n") if line.strip()):
            _add_line(document, page, line, _TOP - row * _LINE_HEIGHT)
        raw.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_line(document: pdfium.PdfDocument, page: pdfium.PdfPage, line: str, y: int) -> None:
    obj = raw.FPDFPageObj_NewTextObj(document.raw, b"Helvetica", ctypes.c_float(11))
    encoded = ctypes.create_string_buffer((line + "\x00").encode("utf-16-le"))
    raw.FPDFText_SetText(obj, ctypes.cast(encoded, ctypes.POINTER(raw.FPDF_WCHAR)))
    raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 40, y)
    raw.FPDFPage_InsertObject(page.raw, obj)
