"""Valid inputs to mutate: repository fixtures, the developer corpus when present, and small
PDF / DOCX files built here (so the suite has binary seeds even without the corpus)."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import docx

from tests.scrapers.pdfmaker import make_pdf

__all__ = [
    "CORPUS",
    "FIXTURES",
    "build_docx",
    "corpus_docx",
    "corpus_pdfs",
    "html_seeds",
    "json_seeds",
    "pdf_seeds",
    "text_seeds",
]

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "tests" / "fixtures"

HEADER_C3 = ["Recommendation", "Position", "Full list of themes",
             "Assessment/comments on level of implementation"]


def _read_all(folder: str, suffix: str) -> tuple[bytes, ...]:
    return tuple(p.read_bytes() for p in sorted((FIXTURES / folder).glob(f"*{suffix}")))


@cache
def corpus_pdfs() -> tuple[bytes, ...]:
    """The corpus PDFs (WG reports and the addendum); empty when ../shared/corpus is absent."""
    return tuple(p.read_bytes() for p in sorted(CORPUS.glob("*.pdf"))) if CORPUS.is_dir() else ()


@cache
def corpus_docx() -> tuple[bytes, ...]:
    return tuple(p.read_bytes() for p in sorted(CORPUS.glob("*.docx"))) if CORPUS.is_dir() else ()


@cache
def text_seeds(kind: str) -> tuple[str, ...]:
    """Fixture texts of WG reports (``upr_reports``) or addenda (``upr_addendum``)."""
    return tuple(b.decode("utf-8") for b in _read_all(kind, ".txt"))


@cache
def pdf_seeds() -> tuple[bytes, ...]:
    """Small text PDFs made from the fixture texts (one PDF page per form-feed page)."""
    texts = text_seeds("upr_reports") + text_seeds("upr_addendum")
    return tuple(make_pdf(t.split("\f")) for t in texts)


@cache
def html_seeds() -> tuple[bytes, ...]:
    return _read_all("pace", ".html")


@cache
def json_seeds(folder: str) -> tuple[Any, ...]:
    """Decoded JSON fixtures of ``upr_info`` or ``coe_exec``."""
    return tuple(json.loads(b) for b in _read_all(folder, ".json"))


def build_docx(header: list[str], rows: list[list[str] | str], title: str | None = None) -> bytes:
    """A thematic-list DOCX: a string row is a merged separator row, a list row is one item."""
    document = docx.Document()
    if title:
        document.add_paragraph(title)
    width = max(1, len(header))
    table = document.add_table(rows=1, cols=width)
    for cell, label in zip(table.rows[0].cells, header, strict=False):
        cell.text = label
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
        else:
            for cell, value in zip(cells, row, strict=False):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def docx_seeds() -> tuple[bytes, ...]:
    """One valid built thematic list, plus the corpus list when present."""
    built = build_docx(
        HEADER_C3,
        ["Theme: A41 Constitutional and legislative framework",
         ["122.1 Ratify the Convention (Brazil);\nSource of position: A/HRC/43/15/Add.1",
          "Supported", "A41 Constitutional framework\nAffected persons:\n- general", ""]],
        title="UPR of Slovenia (3rd Cycle - 34th Session)",
    )
    return (built, *corpus_docx())
