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

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from scrapers.countries import to_iso3
from scrapers.errors import LayoutChanged, NotADocument
from scrapers.upr_reports import parse_wg_report

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
REPORTS = (
    sorted(p.name.removesuffix(".truth.csv") for p in CORPUS.glob("*.truth.csv"))
    if CORPUS.is_dir()
    else []
)
THRESHOLD = 0.98

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus {CORPUS} absent"),
]

Triple = tuple[str, str, str]
_PRINTED_GROUP = re.compile(r"\(([^()]*)")


@dataclass
class Truth:
    exact: set[Triple] = field(default_factory=set)
    wildcard: set[Triple] = field(default_factory=set)  # paragraph without item number
    # paragraph -> States printed in brackets in the coders' verbatim text of that paragraph
    printed: dict[str, set[str]] = field(default_factory=dict)
    positions: dict[str, set[str]] = field(default_factory=dict)
    reviewed: set[str] = field(default_factory=set)  # State under review, when coded


@dataclass
class Score:
    predicted: int
    truth: int
    matched: int
    excused: list[Triple]
    false_pos: list[Triple]
    false_neg: list[Triple]

    @property
    def precision(self) -> float:
        return (self.matched + len(self.excused)) / max(1, self.predicted)

    @property
    def raw_precision(self) -> float:
        return self.matched / max(1, self.predicted)

    @property
    def recall(self) -> float:
        return self.matched / max(1, self.truth)


def iso3(name: str) -> str:
    return to_iso3(name) or name.strip()


def printed_states(verbatim: str) -> set[str]:
    """States printed in brackets in a coder's verbatim item text (independent of the parser)."""
    found: set[str] = set()
    for group in _PRINTED_GROUP.findall(verbatim):
        for part in re.split(r"[,;]", group):
            code = to_iso3(part.strip(" .")) if part.strip() else None
            if code:
                found.add(code)
    return found


def load_truth(name: str) -> Truth:
    truth = Truth()
    with (CORPUS / f"{name}.truth.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            paragraph, position = row["paragraph"].strip(), row["position"].strip()
            triple = (paragraph, iso3(row["recommending_state_un"]), position)
            (truth.exact if "." in paragraph else truth.wildcard).add(triple)
            verbatim = row.get("orig_text") or row.get("orig_recommendation_cell") or ""
            truth.printed.setdefault(paragraph, set()).update(printed_states(verbatim))
            truth.positions.setdefault(paragraph, set()).add(position)
            if row.get("orig_to"):
                truth.reviewed.add(iso3(row["orig_to"].strip().title()))
    return truth


def score(predicted: set[Triple], truth: Truth) -> Score:
    matched = predicted & truth.exact
    unmatched = predicted - truth.exact
    false_neg = sorted(truth.exact - predicted)
    wildcard_hits = 0
    for paragraph, state, position in sorted(truth.wildcard):
        hit = next(
            (
                t
                for t in sorted(unmatched)
                if t[0].split(".")[0] == paragraph and t[1:] == (state, position)
            ),
            None,
        )
        if hit is None:
            false_neg.append((paragraph, state, position))
        else:
            unmatched.discard(hit)
            wildcard_hits += 1
    excused = sorted(
        t
        for t in unmatched
        if t[1] in truth.printed.get(t[0], set()) and t[2] in truth.positions.get(t[0], set())
    )
    return Score(
        predicted=len(predicted),
        truth=len(truth.exact) + len(truth.wildcard),
        matched=len(matched) + wildcard_hits,
        excused=excused,
        false_pos=sorted(unmatched - set(excused)),
        false_neg=false_neg,
    )


@pytest.mark.parametrize("name", REPORTS)
def test_precision_and_recall_against_truth(name: str) -> None:
    parsed = parse_wg_report((CORPUS / f"{name}.pdf").read_bytes(), source_url=f"file://{name}.pdf")
    predicted = {
        (rec.paragraph, state, rec.position.value)
        for rec in parsed.recommendations
        for state in rec.recommending_states
    }
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
