"""Hostile input to every scraper parse function: random bytes, mutated real and built seeds,
report-like generated text and JSON with wrong shapes.

Property (see ``harness``): only ScrapeError subclasses escape, no input runs longer than the
hard limit, no input grows peak memory beyond the bound. Example counts come from the profile
chosen by ``RECWATCH_FUZZ_PROFILE`` (``ci`` by default, ``long`` for a deeper run).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzz import strategies as S
from tests.fuzz.harness import assert_contract, fuzz_settings
from tests.fuzz.mutations import JsonInput
from tests.fuzz.seeds import corpus_pdfs
from tests.fuzz.targets import TARGETS, target

pytestmark = pytest.mark.fuzz

BYTES_TARGETS = sorted(n for n, t in TARGETS.items() if t.kind == "bytes")
PDF_TARGETS = ["wg_report", "addendum", "pdf_pages", "detect_kind"]


@pytest.mark.parametrize("name", BYTES_TARGETS)
@fuzz_settings(1.0)
@given(data=S.random_bytes())
def test_random_bytes(name: str, data: bytes) -> None:
    assert_contract(target(name).call, data)


@pytest.mark.parametrize("name", BYTES_TARGETS)
@fuzz_settings(1.0)
@given(st.data())
def test_mutated_seeds(name: str, data: st.DataObject) -> None:
    """Each target gets mutations of its own valid inputs (built PDFs, fixture HTML/JSON...)."""
    assert_contract(target(name).call, data.draw(S.mutated_seed_bytes(name)))


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["wg_report", "addendum", "detect_kind"])
@fuzz_settings(0.25)
@given(st.data())
def test_mutated_corpus_pdfs(name: str, data: st.DataObject) -> None:
    """Mutations of the real UN PDFs of ../shared/corpus (skipped when it is absent)."""
    if not corpus_pdfs():
        pytest.skip("../shared/corpus not available")
    assert_contract(target(name).call, data.draw(S.mutated_corpus_pdf()))


@pytest.mark.parametrize("name", ["sniff_format", "detect_kind"])
@fuzz_settings(1.0)
@given(data=S.json_files())
def test_json_files_to_sniffers(name: str, data: bytes) -> None:
    """Format sniffing parses JSON to decide: deep nesting must not break it."""
    assert_contract(target(name).call, data)


@pytest.mark.parametrize("name", ["wg_report", "addendum", "detect_kind"])
@fuzz_settings(0.7)
@given(data=S.generated_pdf())
def test_generated_pdfs(name: str, data: bytes) -> None:
    """Report-like text rendered as a real PDF: the parsers run past the PDF layer."""
    assert_contract(target(name).call, data)


@pytest.mark.parametrize("name", ["wg_report_text", "addendum_text"])
@fuzz_settings(3.0)
@given(text=S.report_text())
def test_report_like_text(name: str, text: str) -> None:
    assert_contract(target(name).call, text)


@fuzz_settings(2.0)
@given(pages=S.pages())
def test_clean_text(pages: list[str]) -> None:
    assert_contract(target("clean_text").call, pages)


@fuzz_settings(1.0)
@given(data=S.docx_inputs())
def test_thematic_list_docx(data: bytes) -> None:
    assert_contract(target("thematic_list").call, data)


@fuzz_settings(1.5)
@given(data=S.upr_info_files())
def test_upr_info_export_json(data: bytes) -> None:
    assert_contract(target("upr_info_export").call, data)


@fuzz_settings(2.0)
@given(entity=S.upr_info_entities())
def test_upr_info_entity(entity: JsonInput) -> None:
    assert_contract(target("upr_info_entity").call, entity.value)


@fuzz_settings(1.5)
@given(data=S.pace_pages())
@example(data=b'<html><head><meta charset="utf\x028"></head><body>Resolution 2322 (2020)</body>')
@example(data=b"<html><body>" + b"<div>" * 5000 + b"Resolution 2322 (2020)")
def test_pace_html(data: bytes) -> None:
    assert_contract(target("pace").call, data)


@fuzz_settings(1.5)
@given(data=S.coe_exec_files())
def test_coe_exec_json_bytes(data: bytes) -> None:
    assert_contract(target("coe_exec").call, data)


@fuzz_settings(1.5)
@given(page=S.coe_exec_values())
def test_coe_exec_json_objects(page: JsonInput) -> None:
    assert_contract(target("coe_exec_json").call, page.value)
