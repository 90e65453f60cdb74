"""Per-target input strategies, assembled from ``mutations`` (hostile bytes and JSON),
``documents`` (structured generation) and ``seeds`` (valid inputs). ``for_target`` gives the
full mix a parser gets, which is what ``bench/fuzz_parsers.py`` runs."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from tests.fuzz import seeds
from tests.fuzz.documents import document_text, pace_html, report_line, thematic_docx
from tests.fuzz.mutations import (
    JsonInput,
    deep_nesting,
    encode_json,
    json_values,
    mutated_bytes,
    mutated_json,
    mutated_text,
    mutated_zip_member,
    random_bytes,
)
from tests.scrapers.pdfmaker import make_pdf

__all__ = [
    "coe_exec_files", "coe_exec_values", "docx_inputs", "for_target", "generated_pdf", "json_files",
    "mutated_corpus_pdf", "mutated_seed_bytes", "pace_pages", "pages", "random_bytes",
    "report_text", "upr_info_entities", "upr_info_files",
]


def _encoded(values: tuple[Any, ...]) -> tuple[bytes, ...]:
    return tuple(json.dumps(v).encode("utf-8") for v in values)


def _seed_bytes(name: str) -> tuple[bytes, ...]:
    """The valid files a bytes target reads (built ones only: the corpus has its own test)."""
    pdfs, docx = seeds.pdf_seeds(), seeds.docx_seeds()[:1]
    html = seeds.html_seeds()
    upr, coe = _encoded(seeds.json_seeds("upr_info")), _encoded(seeds.json_seeds("coe_exec"))
    by_target = {
        "wg_report": pdfs, "addendum": pdfs, "pdf_pages": pdfs, "thematic_list": docx,
        "upr_info_export": upr, "pace": html, "coe_exec": coe,
        "detect_kind": pdfs + docx + html + upr, "sniff_format": pdfs + docx + html + upr + coe,
    }
    return by_target[name]


def mutated_seed_bytes(name: str) -> st.SearchStrategy[bytes]:
    return mutated_bytes(_seed_bytes(name))


def mutated_corpus_pdf() -> st.SearchStrategy[bytes]:
    """Mutations of the corpus PDFs; callers skip when ``seeds.corpus_pdfs()`` is empty."""
    return st.deferred(lambda: mutated_bytes(seeds.corpus_pdfs() or (b"%PDF-1.4",), max_ops=4))


def generated_pdf() -> st.SearchStrategy[bytes]:
    """Report-like text made into a real PDF (pages at form feeds)."""
    return document_text(max_lines=40).map(lambda t: make_pdf(t.split("\f")))


def report_text() -> st.SearchStrategy[str]:
    mutated = st.deferred(lambda: mutated_text(
        seeds.text_seeds("upr_reports") + seeds.text_seeds("upr_addendum"), report_line()))
    return st.one_of(document_text(), mutated, st.text(max_size=500))


def pages() -> st.SearchStrategy[list[str]]:
    return st.lists(st.one_of(document_text(max_lines=30), st.text(max_size=300)), max_size=6)


def docx_inputs() -> st.SearchStrategy[bytes]:
    built = seeds.docx_seeds()
    return st.one_of(
        thematic_docx(),
        mutated_bytes(built),
        mutated_zip_member(built, "word/document.xml", report_line()),
        mutated_zip_member(built, "[Content_Types].xml", st.text(max_size=30)),
        random_bytes().map(lambda b: b"PK\x03\x04" + b),
    )


def _rows(page: Any) -> list[Any]:
    return page.get("rows", []) if isinstance(page, dict) else []


def _entity_values() -> st.SearchStrategy[Any]:
    entities = tuple(row for page in seeds.json_seeds("upr_info") for row in _rows(page))
    return st.one_of(mutated_json(entities), json_values(), deep_nesting())


def upr_info_entities() -> st.SearchStrategy[JsonInput]:
    return _entity_values().map(JsonInput)


def upr_info_files() -> st.SearchStrategy[bytes]:
    values = st.one_of(mutated_json(seeds.json_seeds("upr_info")), _entity_values(),
                       st.lists(_entity_values(), max_size=3))
    return st.one_of(encode_json(values), mutated_seed_bytes("upr_info_export"), random_bytes())


def pace_pages() -> st.SearchStrategy[bytes]:
    texts = tuple(h.decode("utf-8") for h in seeds.html_seeds())
    return st.one_of(
        pace_html(),
        mutated_seed_bytes("pace"),
        mutated_text(texts, st.sampled_from(("<div>", "</div>", "<p>10.1. The Assembly", "<br>",
                                             "<script>", "<!--", "<![CDATA[", "&#x0;", "<td>"))
                     ).map(lambda s: s.encode("utf-8")),
    )


def _exec_values() -> st.SearchStrategy[Any]:
    return st.one_of(mutated_json(seeds.json_seeds("coe_exec")), json_values(), deep_nesting())


def coe_exec_values() -> st.SearchStrategy[JsonInput]:
    return _exec_values().map(JsonInput)


def coe_exec_files() -> st.SearchStrategy[bytes]:
    return st.one_of(encode_json(_exec_values()), mutated_seed_bytes("coe_exec"),
                     random_bytes())


def json_files() -> st.SearchStrategy[bytes]:
    """Any JSON file, some nested deeper than a recursive reader can follow."""
    return encode_json(st.one_of(json_values(), deep_nesting()))


def for_target(name: str, *, corpus: bool = False) -> st.SearchStrategy[Any]:
    """Every input shape a target gets (the bench fuzzes with this)."""
    mixes: dict[str, list[st.SearchStrategy[Any]]] = {
        "wg_report": [random_bytes(), mutated_seed_bytes("wg_report"), generated_pdf()],
        "addendum": [random_bytes(), mutated_seed_bytes("addendum"), generated_pdf()],
        "pdf_pages": [random_bytes(), mutated_seed_bytes("pdf_pages"), generated_pdf()],
        "detect_kind": [random_bytes(), mutated_seed_bytes("detect_kind"), generated_pdf(),
                        json_files()],
        "sniff_format": [random_bytes(), mutated_seed_bytes("sniff_format"), json_files()],
        "wg_report_text": [report_text()],
        "addendum_text": [report_text()],
        "clean_text": [pages()],
        "thematic_list": [docx_inputs()],
        "upr_info_export": [upr_info_files()],
        "upr_info_entity": [upr_info_entities()],
        "pace": [pace_pages(), random_bytes()],
        "coe_exec": [coe_exec_files()],
        "coe_exec_json": [coe_exec_values()],
    }
    mix = mixes[name]
    if corpus and name in ("wg_report", "addendum", "pdf_pages", "detect_kind") \
            and seeds.corpus_pdfs():
        mix = [*mix, mutated_corpus_pdf()]
    return st.one_of(mix)
