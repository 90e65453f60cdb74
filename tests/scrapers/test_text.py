"""scrapers.text: format sniffing, PDF extraction failures, page furniture and hyphenation."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from scrapers.errors import CorruptDocument, EmptyScrape, NotADocument, ScrapeError
from scrapers.text import (
    NoTextLayer,
    clean_text,
    normalise_whitespace,
    pdf_pages,
    repair_hyphenation,
    sniff_format,
    strip_page_furniture,
)
from tests.scrapers.pdfmaker import make_pdf

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    return buffer.getvalue()


def _corpus_pdf(name: str = "azerbaijan2013.pdf") -> bytes:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {path} absent")
    return path.read_bytes()


# --- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (b"\xef\xbb\xbf  %PDF-1.4\n", "pdf"),
        (b"garbage before the header %PDF-1.4\n", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "doc"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "html"),
        (b"\n  <html lang='en'><head><title>Just a moment...</title>", "html"),
        (b'{"rows": [], "totalRows": 0}', "json"),
        (b"  [1, 2, 3]", "json"),
        (b"{not json", "unknown"),
        (b"", "unknown"),
        (b"plain text", "unknown"),
    ],
)
def test_sniff_format(data: bytes, expected: str) -> None:
    assert sniff_format(data) == expected


def test_sniff_docx_and_plain_zip() -> None:
    assert sniff_format(_docx_bytes()) == "docx"
    assert sniff_format(_zip_bytes()) == "unknown"


def test_sniff_real_pdf() -> None:
    assert sniff_format(_corpus_pdf()) == "pdf"


# --- pdf_pages failures --------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"<html><body>Error: document not found</body></html>", b'{"error": 1}'],
    ids=["empty", "html", "json"],
)
def test_pdf_pages_rejects_non_pdf(data: bytes) -> None:
    with pytest.raises(NotADocument):
        pdf_pages(data, url="https://example.org/x.pdf")


def test_pdf_pages_rejects_docx_named_pdf() -> None:
    with pytest.raises(NotADocument, match="docx"):
        pdf_pages(_docx_bytes(), url="https://example.org/report.pdf")


@pytest.mark.parametrize("keep", [0.5, 0.98, 2000], ids=["half", "tail-cut", "header-only"])
def test_pdf_pages_truncated_real_pdf(keep: float) -> None:
    data = _corpus_pdf()
    cut = int(len(data) * keep) if keep < 1 else int(keep)
    with pytest.raises(CorruptDocument) as info:
        pdf_pages(data[:cut], url="https://example.org/cut.pdf")
    assert info.value.url == "https://example.org/cut.pdf"


def test_pdf_pages_damaged_body() -> None:
    with pytest.raises(CorruptDocument):
        pdf_pages(b"%PDF-1.4\nthis is not a pdf body\n%%EOF\n")


def test_scanned_pdf_is_an_error_not_an_empty_result() -> None:
    data = make_pdf(["", ""])
    with pytest.raises(NoTextLayer) as info:
        pdf_pages(data)
    assert isinstance(info.value, EmptyScrape) and isinstance(info.value, ScrapeError)
    assert "2 page" in info.value.reason


def test_pdf_pages_real_pdf_one_string_per_page() -> None:
    pages = pdf_pages(_corpus_pdf())
    assert len(pages) == 25
    assert "A/HRC/24/13" in pages[1]


def test_pdf_pages_synthetic_pdf() -> None:
    pages = pdf_pages(make_pdf(["first page", "second page"]))
    assert [p.strip() for p in pages] == ["first page", "second page"]


# --- furniture -----------------------------------------------------------------------------


def test_strip_page_furniture_headers_and_footers() -> None:
    lines = [
        " A/HRC/ 8/29 ",
        " Page 13 ",
        "12. That Algeria implement measures (Germany).",
        "2015 was the target year of the plan of 18 measures",
        "18",
        "GE.13-11815 (E) 200313 210313",
    ]
    page = "\r\n".join(lines)
    assert strip_page_furniture(page).split("\n") == [
        "12. That Algeria implement measures (Germany).",
        "2015 was the target year of the plan of 18 measures",
    ]


@pytest.mark.parametrize(
    "header",
    [
        ["A/HRC/23/6", "14 GE.13-11815"],
        ["A/HRC/43/15/Add.1", "2"],
        ["GE.19-21936(E)", "\uf02a\uf031\uf039\uf02a"],
    ],
)
def test_strip_page_furniture_variants(header: list[str]) -> None:
    lines = [*header, "body text"]
    assert strip_page_furniture("\n".join(lines)) == "body text"


def test_strip_page_furniture_footnotes() -> None:
    starred = [
        "109.8. Ratify CPED (Brazil, Chile);",
        "** The conclusions and recommendations have not been edited.",
    ]
    assert strip_page_furniture("\n".join(starred)) == starred[0]
    numbered = [
        "63.15. Give further consideration to the definition (Brazil);1",
        "63.16. Consider a public body (Slovenia);",
        "1",
        "The recommendation made during the dialogue was: (Brazil).",
    ]
    assert (
        strip_page_furniture("\n".join(numbered)).split("\n")[-1]
        == "63.16. Consider a public body (Slovenia);"
    )


def test_numbered_line_without_note_mark_is_kept() -> None:
    page = "Report text without any mark\n12 States supported the initiative"
    assert strip_page_furniture(page) == page


# --- hyphenation and whitespace ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("full imple-\nmentation of", "full implementation of"),
        ("the OP-\nCAT and", "the OP-CAT and"),
        ("recommendations 122.17-\n18 and", "recommendations 122.17-18 and"),
        ("for the period 2018\u2013\n2025", "for the period 2018\u20132025"),
        ("in decision\ufffemaking positions", "in decision-making positions"),
        ("the anti-\nracism plan", "the anti-racism plan"),
        ("Nagorno-\nKarabakh region", "Nagorno-Karabakh region"),
        ("soft\u00ad\nhyphen", "softhyphen"),
        ("a human-rights-\nbased approach", "a human-rights-based approach"),
        ("keep the dash \u2013\nbetween words", "keep the dash \u2013\nbetween words"),
    ],
)
def test_repair_hyphenation(text: str, expected: str) -> None:
    assert repair_hyphenation(text) == expected


def test_repair_hyphenation_follows_document_usage() -> None:
    assert repair_hyphenation("well-being matters; the well-\nbeing of all") == (
        "well-being matters; the well-being of all"
    )
    assert repair_hyphenation("cooperation and co-\noperation") == "cooperation and cooperation"


def test_normalise_whitespace() -> None:
    text = "  a\u00a0 b \r\n\r\n\t c\u2009d  \n\n\ufb01nal"
    assert normalise_whitespace(text) == "a b\nc d\nfinal"


def test_clean_text_joins_pages_and_repairs_across_furniture() -> None:
    pages = ["A/HRC/1/2\n2\nthe imple-", "A/HRC/1/2\n3\nmentation of item (Chile);\nGE.10-12345"]
    assert clean_text(pages) == "the implementation of item (Chile);"
