"""Decompression bombs and oversized documents are refused with DocumentTooLarge (a
ScrapeError) before anything expands them: fast, and with Python memory bounded (tracemalloc
sees every byte the checks inflate; PDFium's own heap is never reached, which is the point)."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pytest

from scrapers import bombs
from scrapers.detect import detect_kind
from scrapers.errors import CorruptDocument, DocumentTooLarge, ScrapeError
from scrapers.text import check_docx, pdf_pages
from scrapers.upr_addendum import parse_addendum
from scrapers.upr_info import parse_export
from scrapers.upr_matrix import parse_thematic_list
from scrapers.upr_reports import parse_wg_report
from tests.fuzz import makebombs
from tests.fuzz.seeds import corpus_docx, corpus_pdfs, docx_seeds
from tests.scrapers.pdfmaker import make_pdf

pytestmark = pytest.mark.fuzz

URL = "https://fuzz.example.test/bomb"
MAX_SECONDS = 3.0
MAX_PYTHON_MB = 40


def refused(call: Callable[[], Any], error: type[ScrapeError] = DocumentTooLarge) -> ScrapeError:
    """Run ``call``; it must raise ``error`` within MAX_SECONDS using < MAX_PYTHON_MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(error) as info:
            call()
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert elapsed < MAX_SECONDS, f"refusal took {elapsed:.1f} s"
    assert peak < MAX_PYTHON_MB, f"refusal allocated {peak:.0f} MB"
    return info.value


# --- DOCX (ZIP) ---------------------------------------------------------------------------------

def test_docx_with_a_1gb_member_is_refused_before_python_docx_opens_it() -> None:
    bomb = makebombs.docx_with_member(docx_seeds()[0], "word/document.xml", 1024)
    assert len(bomb) < 2 * 2**20  # 1 GB behind ~1 MB
    error = refused(lambda: parse_thematic_list(bomb, source_url=URL))
    assert "expands to 1024 MB" in error.reason and error.url == URL


def test_docx_member_with_an_absurd_ratio_is_refused_below_the_total_limit() -> None:
    bomb = makebombs.docx_with_member(docx_seeds()[0], "word/document2.xml", 20)
    error = refused(lambda: check_docx(bomb, url=URL))
    assert "word/document2.xml" in error.reason and "-fold (limit 100)" in error.reason


def test_docx_with_thousands_of_members_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_seeds()[0])) as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for index in range(bombs.MAX_ZIP_MEMBERS + 1):
            dst.writestr(f"customXml/fuzz{index}.xml", b"")
    refused(lambda: parse_thematic_list(buffer.getvalue(), source_url=URL))


def test_docx_member_larger_than_declared_is_refused_without_inflating_it() -> None:
    """zipfile inflates a whole read before cutting it at the declared size, so a member that
    declares 1,000 bytes and holds 512 MB would still blow up: its real size is checked."""
    lying = makebombs.docx_with_member(docx_seeds()[0], "word/document.xml", 512)
    declared = (512 * 2**20).to_bytes(4, "little")
    assert lying.count(declared) == 2  # local header and central directory
    lying = lying.replace(declared, (1000).to_bytes(4, "little"))
    error = refused(lambda: parse_thematic_list(lying, source_url=URL), CorruptDocument)
    assert "expands beyond the 1000 bytes its header declares" in error.reason


def test_docx_member_with_bzip2_or_lzma_is_refused() -> None:
    """zipfile would inflate bzip2/LZMA members too (and their ratios dwarf deflate's)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_seeds()[0])) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info), compress_type=zipfile.ZIP_BZIP2)
    assert "compression method 12" in refused(lambda: check_docx(out.getvalue()),
                                              CorruptDocument).reason


def test_docx_entity_expansion_is_not_resolved() -> None:
    """A billion-laughs DTD in document.xml: python-docx's parser never expands entities."""
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "lol">{laughs}]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_seeds()[0])) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = xml.encode() if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    refused(lambda: parse_thematic_list(out.getvalue(), source_url=URL), ScrapeError)


# --- PDF ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("parse", [
    lambda d: pdf_pages(d, url=URL), lambda d: parse_wg_report(d, source_url=URL),
    lambda d: parse_addendum(d, source_url=URL), detect_kind,
], ids=["pdf_pages", "wg_report", "addendum", "detect_kind"])
def test_pdf_flate_bomb_is_refused_before_pdfium(parse: Callable[[bytes], Any]) -> None:
    bomb = makebombs.pdf_with_stream(makebombs.zlib_zeros(1024))
    assert len(bomb) < 2 * 2**20
    assert "stream" in refused(lambda: parse(bomb)).reason


def test_pdf_flate_inside_flate_is_followed() -> None:
    inner = makebombs.zlib_zeros(1024)  # 1 GB in ~1 MB, which alone is harmless
    bomb = makebombs.pdf_with_stream(zlib.compress(inner, 9), "[/FlateDecode /FlateDecode]")
    assert bombs.pdf_inflated_size(bomb, 2**29) > 2**29
    refused(lambda: pdf_pages(bomb, url=URL))


def test_pdf_claiming_thousands_of_pages_is_refused() -> None:
    bomb = makebombs.pdf_page_count_bomb(5000)
    assert len(bomb) < 400 and len(pdfium.PdfDocument(bomb)) == 5000
    assert "5000 pages" in refused(lambda: parse_wg_report(bomb, source_url=URL)).reason


def test_pdf_with_more_pages_than_the_limit_is_refused() -> None:
    document = pdfium.PdfDocument.new()
    for _ in range(bombs.MAX_PDF_PAGES + 1):
        document.new_page(100, 100)
    buffer = io.BytesIO()
    document.save(buffer)
    refused(lambda: pdf_pages(buffer.getvalue(), url=URL))


def test_pdf_page_and_document_text_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    data = make_pdf(["x" * 150, "y" * 150])
    monkeypatch.setattr(bombs, "MAX_PAGE_CHARS", 100)
    assert "page 1 holds 150 characters" in refused(lambda: pdf_pages(data)).reason
    monkeypatch.setattr(bombs, "MAX_PAGE_CHARS", 1000)
    monkeypatch.setattr(bombs, "MAX_TEXT_CHARS", 200)
    assert "page 2" in refused(lambda: pdf_pages(data)).reason
    monkeypatch.setattr(bombs, "MAX_TEXT_CHARS", 400)
    assert len(pdf_pages(data)) == 2


def test_pdf_input_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    data = make_pdf(["Report"])
    monkeypatch.setattr(bombs, "MAX_PDF_BYTES", len(data) - 1)
    refused(lambda: pdf_pages(data))


# --- gzip (UPR Info exports) --------------------------------------------------------------------

def test_gzip_bomb_is_refused_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bombs, "MAX_GZIP_BYTES", 8 * 2**20)
    refused(lambda: parse_export(makebombs.gzip_zeros(1024)))


def test_damaged_gzip_is_a_corrupt_document() -> None:
    packed = makebombs.gzip_zeros(1)
    for cut in (3, 10, len(packed) // 2, len(packed) - 4):
        refused(lambda c=cut: parse_export(packed[:c]), CorruptDocument)


# --- real documents stay well inside the limits -------------------------------------------------

@pytest.mark.corpus
def test_real_documents_are_far_below_the_limits() -> None:
    if not corpus_pdfs():
        pytest.skip("../shared/corpus not available")
    for data in corpus_pdfs():
        assert bombs.pdf_inflated_size(data, bombs.MAX_PDF_INFLATED) < bombs.MAX_PDF_INFLATED // 20
    for data in corpus_docx():
        check_docx(data)
