"""Bytes -> clean text: format sniffing, PDF text per page, page furniture and hyphenation repair.

Shared by every parser of UN documents (WG reports, addenda): it knows about PDFs and UN page
layouts, nothing about recommendations. Line structure is kept on purpose, because parsers find
numbered paragraphs and items at line starts.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pypdfium2 as pdfium

from scrapers import bombs
from scrapers.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyScrape,
    NotADocument,
    ScrapeError,
)

__all__ = [
    "NoTextLayer",
    "check_docx",
    "clean_text",
    "gunzip",
    "normalise_whitespace",
    "pdf_first_page_text",
    "pdf_pages",
    "repair_hyphenation",
    "sniff_format",
    "strip_page_furniture",
]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_HEAD = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_EOF_WINDOW = 2048  # %%EOF must sit near the end; a cut file lacks it


class NoTextLayer(EmptyScrape):
    """The PDF opens but has no extractable text (a scan): OCR is needed, not an empty result."""


def sniff_format(data: bytes) -> str:
    """Name the file type by its content, never by its name or Content-Type.

    Returns "pdf", "docx", "doc", "html", "json" or "unknown". ODS and docs.un.org answer missing
    documents with HTML and 200, so every download goes through this first.
    """
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if _zip_has(data, "word/document.xml") else "unknown"
    if data.startswith(_OLE_MAGIC):
        return "doc"
    if _HTML_HEAD.search(data[:4096]):
        return "html"
    if head[:1] in (b"{", b"[") and _is_json(data):
        return "json"
    if b"%PDF-" in data[:1024]:  # the PDF spec tolerates junk before the header
        return "pdf"
    return "unknown"


def _zip_has(data: bytes, member: str) -> bool:
    """True when ``data`` is a readable ZIP archive holding ``member``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _is_json(data: bytes) -> bool:
    """True when ``data`` parses as JSON (large bodies are judged by their first byte only)."""
    if len(data) > 5_000_000:
        return True
    try:
        json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # too deep for any JSON reader here
        return False
    return True


def pdf_pages(data: bytes, *, url: str | None = None) -> list[str]:
    """Text of each page of a PDF, in reading order as PDFium gives it.

    Raises NotADocument for non-PDF bytes, CorruptDocument for damaged or truncated files and
    NoTextLayer for a PDF without any text (a scan), so a bad file never looks like an empty one.
    """
    _check_pdf(data, url)
    try:
        pages = _extract(data, None)
    except ScrapeError as exc:
        exc.url = exc.url or url
        raise
    except Exception as exc:  # PdfiumError mostly; anything else from a damaged file is the same
        raise CorruptDocument(f"PDFium cannot read the PDF: {exc}", url=url) from exc
    if not any(page.strip() for page in pages):
        raise NoTextLayer(f"PDF has {len(pages)} page(s) but no text layer (scanned?)", url=url)
    return pages


def pdf_first_page_text(data: bytes, *, url: str | None = None) -> str:
    """Text of page 1 only (to classify a file), under the same checks as ``pdf_pages``."""
    _check_pdf(data, url)
    try:
        pages = _extract(data, 1)
    except ScrapeError as exc:
        exc.url = exc.url or url
        raise
    except Exception as exc:
        raise CorruptDocument(f"PDF cannot be opened: {exc}", url=url) from exc
    if not pages:
        raise CorruptDocument("PDF has no pages", url=url)
    return pages[0]


def _check_pdf(data: bytes, url: str | None) -> None:
    """Type, completeness and size checks before PDFium sees the bytes."""
    kind = sniff_format(data)
    if kind != "pdf":
        raise NotADocument(f"expected a PDF, got {kind} ({len(data)} bytes)", url=url)
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise CorruptDocument("PDF is truncated: no %%EOF marker at the end", url=url)
    bombs.check_pdf_bytes(data, url=url)


def _extract(data: bytes, limit: int | None) -> list[str]:
    """Run PDFium over the first ``limit`` pages (all when None), closing its handles promptly
    (large reports, long runs); page count and text size are bounded (bombs.MAX_*)."""
    document = pdfium.PdfDocument(data)
    try:
        count = len(document)
        if count > bombs.MAX_PDF_PAGES:
            raise DocumentTooLarge(f"PDF has {count} pages (limit {bombs.MAX_PDF_PAGES})")
        pages: list[str] = []
        size = 0
        for index in range(count if limit is None else min(limit, count)):
            page = document[index]
            textpage = page.get_textpage()
            chars = textpage.count_chars()
            size += max(chars, 0)
            if chars > bombs.MAX_PAGE_CHARS or size > bombs.MAX_TEXT_CHARS:
                raise DocumentTooLarge(f"PDF page {index + 1} holds {chars} characters (limits "
                                       f"{bombs.MAX_PAGE_CHARS} per page, "
                                       f"{bombs.MAX_TEXT_CHARS} in all)")
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def check_docx(data: bytes, *, url: str | None = None) -> None:
    """Refuse a DOCX whose ZIP members would expand beyond the limits, before it is opened."""
    bombs.check_zip(data, url=url)


def gunzip(data: bytes, *, url: str | None = None) -> bytes:
    """Inflate a gzip file with the decompression limit (bombs.MAX_GZIP_BYTES)."""
    return bombs.gunzip(data, url=url)


# --- page furniture -------------------------------------------------------------------------

_SYMBOL = (
    r"(?:[A-Z]{1,8}(?:\.\d+)?/\s?)+(?:[A-Za-z0-9.\-]+\s?/\s?)*[A-Za-z0-9.\-]*\d[A-Za-z0-9.\-]*"
)
_FURNITURE_TOKEN = re.compile(
    rf"{_SYMBOL}"  # running document symbol, e.g. A/HRC/24/13, A/HRC/ 8/29
    r"|GE\.\d{2}-\d{4,6}"  # job number, e.g. GE.13-15465
    r"|\(E\)|[Pp]age\s+\d+(?:\s+of\s+\d+)?|\b\d{1,6}\b"  # language tag, page numbers, date codes
    r"|[\uE000-\uF8FF*]+"  # barcode glyphs in the Private Use Area, *1921936*
)
_SEPARATOR = re.compile(r"^[_\u2014\-]{5,}$")
_STAR_NOTE = re.compile(r"^[*\u2217]{1,3}\s*\S")
_NUM_NOTE = re.compile(r"^(\d{1,2})(?:\s+[A-Z\u201c\"]|$)")
_NOTE_REGION = 14  # footnotes live in the last lines of a page


def _is_furniture(line: str) -> bool:
    """A line made only of running-header tokens (symbol, page number, GE job code, barcode)."""
    stripped = line.strip()
    return bool(stripped) and not _FURNITURE_TOKEN.sub("", stripped).strip()


def strip_page_furniture(page: str) -> str:
    """Remove running headers/footers and the footnote block of one page.

    Only lines at the page edges are tested, so a number or symbol inside the body survives.
    Footnotes are cut from a separator rule, a ``*``/``**`` note, or a numbered note whose mark
    appears earlier on the page; other footnote shapes are left in (not safely detectable).
    """
    lines = [ln for ln in page.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]
    while lines and _is_furniture(lines[0]):
        lines.pop(0)
    while lines and _is_furniture(lines[-1]):
        lines.pop()
    cut = _footnote_start(lines)
    del lines[cut:]
    while lines and _is_furniture(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def _footnote_start(lines: list[str]) -> int:
    """Index of the first footnote line at the bottom of a page, or len(lines) when none."""
    start = max(0, len(lines) - _NOTE_REGION)
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if _SEPARATOR.match(line) or _STAR_NOTE.match(line):
            return index
        match = _NUM_NOTE.match(line)
        if match and line == match.group(1) and not _starts_sentence(lines, index + 1):
            continue
        if match and _has_note_mark(lines[:index], match.group(1)):
            return index
    return len(lines)


def _starts_sentence(lines: list[str], index: int) -> bool:
    """True when ``lines[index]`` exists and starts like footnote text (capital or quote)."""
    return index < len(lines) and lines[index].lstrip()[:1] in _NOTE_OPENERS


_NOTE_OPENERS = frozenset('ABCDEFGHIJKLMNOPQRSTUVWXYZ\u201c"')


def _has_note_mark(body: list[str], mark: str) -> bool:
    """True when a word earlier on the page carries ``mark`` as a glued superscript (``Karabakh1``,
    ``(Brazil);1``)."""
    pattern = re.compile(rf"[A-Za-z\)\u201d,.;:]{mark}(?!\d)")
    return any(pattern.search(line) for line in body)


# --- hyphenation and whitespace --------------------------------------------------------------

_LINE_END_DASH = re.compile(r"(?<=\w)([-\u2013\u00ad])\n[ \t]*(?=\w)")
_WORD_BEFORE = re.compile(r"\w+\Z")
_WORD_AFTER = re.compile(r"\w+")
_KEEP_PREFIXES = frozenset(
    ("anti", "non", "pre", "post", "inter", "intra", "multi", "co", "self", "socio", "ex", "cross")
    + ("well", "so", "under", "over", "semi", "sub", "counter", "mid", "long", "short", "full")
    + ("part", "high", "low", "follow", "cost", "child", "gender", "decision")
)
_SYLLABLE_TAIL = re.compile(
    r"^[a-z]{0,5}(?:tions?|sions?|ments?|ness|ity|ities|ances?|ences?|ally|ible|able|ical|ised"
    r"|ized|ises|izes|ising|izing|ous|ive|ively|ular)$"
)


def repair_hyphenation(text: str) -> str:
    """Join words broken at line ends; keep real hyphens, compound dashes and number ranges.

    UN reports are set ragged-right, so most line-end hyphens are real (``decision-making``,
    ``OP-CAT``). A hyphen is dropped only when the document spells the joined word elsewhere or the
    tail is a typical syllable remainder (``imple-``/``mentation``); ranges (``122.17-``/``18``)
    keep their dash. PDFium marks line-end hyphens with U+FFFE; those are treated the same way.
    """
    text = text.replace("\ufffe", "-\n")
    if "-\n" not in text and "\u2013\n" not in text and "\u00ad" not in text:
        return text
    lowered = text.lower()
    pieces: list[str] = []
    done = 0
    for match in _LINE_END_DASH.finditer(text):
        left = _WORD_BEFORE.search(text, max(0, match.start() - 80), match.start())
        right = _WORD_AFTER.match(text, match.end())
        if left is None or right is None or match.start() < done:
            continue
        dash = match.group(1)
        keep = dash != "\u00ad" and not _drop_hyphen(left.group(), right.group(), lowered)
        pieces.append(text[done : match.start()])
        pieces.append(dash if keep else "")
        done = match.end()
    pieces.append(text[done:])
    return "".join(pieces)


def _drop_hyphen(left: str, right: str, lowered: str) -> bool:
    """Decide whether a line-end hyphen between ``left`` and ``right`` was a syllable break.

    The document's own usage decides first (how often it writes "left-right" vs "leftright"
    in-line); then known compound prefixes keep the hyphen and syllable tails drop it.
    """
    if left[-1].isdigit() or right[0].isdigit():
        return False  # ranges and codes: 122.17-18, 2018-2025, ICCPR-OP2
    if not (left.islower() and right.islower()):
        return False  # OP-CAT, Nagorno-Karabakh, Swiss-Romanian
    hyphenated = lowered.count(f"{left}-{right}")
    joined = lowered.count(f"{left}{right}")
    if hyphenated != joined:
        return joined > hyphenated
    if left in _KEEP_PREFIXES:
        return False
    return bool(_SYLLABLE_TAIL.match(right))


_ODD_SPACES = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_SPACE_RUN = re.compile(r" {2,}")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}


def normalise_whitespace(text: str) -> str:
    """Collapse runs of spaces (incl. no-break and thin spaces), trim lines, drop blank lines."""
    for ligature, letters in _LIGATURES.items():
        if ligature in text:
            text = text.replace(ligature, letters)
    if _ODD_SPACES.search(text):
        text = _ODD_SPACES.sub(" ", text)
    text = _SPACE_RUN.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.strip() for line in text.split("\n") if line and not line.isspace())


def clean_text(pages: list[str]) -> str:
    """Pages -> one text: furniture removed per page, hyphens repaired across lines and pages."""
    body = "\n".join(strip_page_furniture(page) for page in pages)
    return repair_hyphenation(normalise_whitespace(body))


def split_outside_brackets(text: str, separators: str = ",") -> list[str]:
    """Split on any of ``separators`` outside parentheses ("Iran (Islamic Republic of), Peru"
    -> two parts), whitespace folded, empty parts dropped; a stray ')' does not end the split."""
    parts: list[str] = []
    depth, current = 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [" ".join(p.split()) for p in parts if p.strip()]
