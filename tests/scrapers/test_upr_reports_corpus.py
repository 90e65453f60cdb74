"""WG report parser against the real reports of ../shared/corpus and their hand-coded truth.

Unit of comparison: the set of (paragraph, recommending State ISO3, position) triples. Coder
splits of one printed item collapse naturally into the set. Two documented properties of the
truth are handled explicitly, never by listing expected outputs:

* Rows whose paragraph has no item number (mali2013: "111" for items 111.2, 111.3, 111.24,
  111.25) say "some item of para 111, by this State, with this position". Each such row is
  matched to one otherwise unmatched prediction with that paragraph prefix, State and position.
  The parser emits the PDF's misprinted "112.3"/"112.25" under lead-in 111 as 111.3/111.25: the
  lead-in governs the item, the sequence 111.2 -> 111.4 says so, and keys must stay unique
  (112.3 is also a real item of para 112).
* The RT coders sometimes kept the printed attribution in their verbatim text (`orig_text`) yet
  coded no row for a State in it ("122.1. Ratify CED (Spain) (France);" coded for France only).
  A predicted triple absent from the truth is *excused* only when the truth's own verbatim text
  of that same paragraph prints the State in brackets and the truth gives that paragraph the same
  position. Excused triples are printed one by one; precision is reported with and without them.

algeria2008: para 70 refers to dialogue paragraphs and lists no items; the parser emits nothing
for it (it warns), so nothing uncoded can inflate the predictions.
"""

from __future__ import annotations

import re

import pytest

from scrapers.errors import LayoutChanged, NotADocument
from scrapers.upr_reports import parse_wg_report
from tests.scrapers.corpus_truth import CORPUS, REPORTS, THRESHOLD, load_truth, score, triples

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus {CORPUS} absent"),
]


@pytest.mark.parametrize("name", REPORTS)
def test_precision_and_recall_against_truth(name: str) -> None:
    parsed = parse_wg_report((CORPUS / f"{name}.pdf").read_bytes(), source_url=f"file://{name}.pdf")
    predicted = triples(parsed)
    truth = load_truth(name)
    result = score(predicted, truth)
    print(
        f"\n{name:18s} items={len(parsed.recommendations):4d} predicted={result.predicted:4d} "
        f"truth={result.truth:4d} precision={result.precision:.4f} "
        f"(raw {result.raw_precision:.4f}, "
        f"{len(result.excused)} excused) recall={result.recall:.4f}"
    )
    for triple in result.excused:
        print(f"   excused (printed in truth's verbatim text, not coded): {triple}")
    for triple in result.false_pos:
        print(f"   false positive: {triple}")
    for triple in result.false_neg:
        print(f"   false negative: {triple}")
    assert result.precision >= THRESHOLD, result.false_pos
    assert result.recall >= THRESHOLD, result.false_neg
    assert len({rec.key for rec in parsed.recommendations}) == len(parsed.recommendations)
    assert parsed.problems == []  # every paragraph of a real report is understood
    if truth.reviewed:
        assert {parsed.document.state_under_review} == truth.reviewed


@pytest.mark.parametrize("name", REPORTS)
def test_document_metadata_is_consistent(name: str) -> None:
    parsed = parse_wg_report((CORPUS / f"{name}.pdf").read_bytes(), source_url=f"file://{name}.pdf")
    doc = parsed.document
    assert doc.symbol and re.fullmatch(r"A/HRC/\d+/\d+", doc.symbol)
    assert doc.wg_session and doc.cycle in (1, 2, 3, 4) and doc.published_on
    assert all(
        rec.evidence and rec.evidence.startswith(doc.symbol) for rec in parsed.recommendations
    )
    assert all(
        rec.key.startswith(f"upr/{doc.state_under_review}/{doc.cycle}/")
        for rec in parsed.recommendations
    )


def test_addendum_is_not_a_wg_report() -> None:
    path = CORPUS / "slovenia2019_add1.pdf"
    if not path.exists():
        pytest.skip("addendum absent")
    with pytest.raises(LayoutChanged):
        parse_wg_report(path.read_bytes(), source_url="file://slovenia2019_add1.pdf")


def test_docx_is_not_a_pdf() -> None:
    path = CORPUS / "slovenia2019_thematic_list.docx"
    if not path.exists():
        pytest.skip("thematic list absent")
    with pytest.raises(NotADocument):
        parse_wg_report(path.read_bytes(), source_url="file://thematic.docx")
