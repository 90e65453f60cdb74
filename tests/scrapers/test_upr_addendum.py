"""Addendum parser: the real Slovenia cycle-3 addendum against its truth, and fixtures for every
layout and number-list trap of SOURCES.md §3.2."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from scrapers.errors import LayoutChanged, NotADocument
from scrapers.records import DocumentKind, Position
from scrapers.text import pdf_pages
from scrapers.upr_addendum import (
    addendum_text,
    parse_addendum,
    parse_addendum_text,
    parse_addendum_totals,
)

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upr_addendum"
URL = "https://example.test/addendum"


def corpus(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    return path


def fixture(name: str, **kwargs):
    return parse_addendum_text(
        (FIXTURES / name).read_text(encoding="utf-8"), source_url=URL, **kwargs
    )


def by_number(doc) -> dict:
    return {p.paragraph: p for p in doc.positions}


# --- the real addendum ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def slovenia():
    data = corpus("slovenia2019_add1.pdf").read_bytes()
    return data, parse_addendum(data, source_url=URL)


@pytest.mark.corpus
def test_real_addendum_gives_every_deferred_item_exactly_one_position(slovenia):
    _, doc = slovenia
    numbers = [p.paragraph for p in doc.positions]
    assert len(numbers) == len(set(numbers)) == 157
    assert set(numbers) == {f"122.{n}" for n in range(1, 158)}
    counts = Counter(p.position for p in doc.positions)
    assert counts == {Position.SUPPORTED: 124, Position.NOTED: 33}
    assert sum(p.considered_implemented for p in doc.positions) == 44  # para 4 lists 44 items
    assert doc.warnings == []
    meta = doc.document
    assert (meta.kind, meta.symbol, meta.state_under_review, meta.cycle) == (
        DocumentKind.ADDENDUM,
        "A/HRC/43/15/Add.1",
        "SVN",
        3,
    )
    assert str(meta.published_on) == "2020-02-19"


@pytest.mark.corpus
def test_real_addendum_matches_the_thematic_list_truth(slovenia):
    _, doc = slovenia
    rows = list(csv.DictReader(corpus("slovenia2019.truth.csv").open(encoding="utf-8")))
    cited = {
        r["paragraph"]: r for r in rows if r["source_of_position"].startswith("A/HRC/43/15/Add.1")
    }
    positions = by_number(doc)
    # 121.23 and 121.24 cite Add.1 without a paragraph but were supported in the WG report itself
    assert {n for n in cited if n not in positions} == {"121.23", "121.24"}
    in_addendum = {n: r for n, r in cited.items() if n.startswith("122.")}
    assert len(in_addendum) == 157
    for number, row in in_addendum.items():
        assert positions[number].position.value == row["final_position"], number
        _, marker, para = row["source_of_position"].rpartition("Para.")
        if marker:  # the truth names the paragraph for all but 122.143 and 122.144
            assert positions[number].evidence == f"A/HRC/43/15/Add.1 para. {para}", number


@pytest.mark.corpus
def test_real_addendum_ranges_and_notes_are_expanded(slovenia):
    data, doc = slovenia
    text = addendum_text(data)
    for printed in ("122.17-18", "122.34- 35", "122.141-144,122.146", "122.14– 15", "122.2-10"):
        assert printed in text
    assert "122.62-\n66" in "\n".join(pdf_pages(data)).replace(
        "\r\n", "\n"
    )  # a range broken across lines
    positions = by_number(doc)
    for number in (
        "122.17",
        "122.18",
        "122.34",
        "122.35",
        "122.141",
        "122.144",
        "122.146",
        *(f"122.{n}" for n in range(62, 67)),
        *(f"122.{n}" for n in range(2, 11)),
    ):
        assert number in positions
    assert positions["122.14"].response_text == positions["122.15"].response_text
    assert positions["122.14"].response_text.startswith(
        "Slovenia considers these recommendations implemented."
    )
    assert positions["122.101"].response_text == "See recommendation 122.72."
    # a note that calls a noted item "implemented" does not change the position
    assert positions["122.54"].position is Position.NOTED
    assert positions["122.54"].response_text.startswith(
        "Slovenia considers this recommendation implemented."
    )


@pytest.mark.corpus
def test_real_addendum_totals(slovenia):
    data, _ = slovenia
    totals = parse_addendum_totals(addendum_text(data))
    assert (
        totals.received,
        totals.supported_at_review,
        totals.remaining,
        totals.supported,
        totals.noted,
    ) == (215, 58, 157, 124, 33)
    assert totals.answered_here == 157 and totals.inconsistencies() == []


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["slovenia2019.pdf", "azerbaijan2013.pdf"])
def test_a_wg_report_is_not_an_addendum(name):
    with pytest.raises(LayoutChanged, match="not a UPR addendum"):
        parse_addendum(corpus(name).read_bytes(), source_url=URL)


def test_html_is_not_a_document():
    with pytest.raises(NotADocument):
        parse_addendum(
            b"<!doctype html><html><body>Document not found</body></html>", source_url=URL
        )


# --- fixtures: one per cycle ----------------------------------------------------------------


def test_cycle2_short_numbers_use_the_paragraph_named_in_the_footnote():
    doc = fixture("cycle2_short_numbers.txt")
    positions = by_number(doc)
    assert sorted(positions, key=lambda n: int(n.split(".")[1])) == [
        f"115.{n}" for n in range(1, 15)
    ]
    assert [n for n, p in positions.items() if p.position is Position.NOTED] == [
        "115.10",
        "115.11",
        "115.12",
        "115.14",
    ]
    assert {n for n, p in positions.items() if p.considered_implemented} == {
        "115.4",
        "115.9",
        "115.13",
    }
    assert positions["115.9"].response_text == "See recommendation 4."
    assert (
        positions["115.11"].response_text
        == "The Government is currently not planning to ratify the Convention."
    )
    assert (
        positions["115.14"].response_text == "See information on recommendations 10–12."
    )  # endnotes cut
    assert positions["115.4"].evidence == "A/HRC/28/15/Add.1 para. 4"
    assert positions["115.4"].key == "upr/SVN/2/115.4"
    assert doc.document.cycle == 2 and doc.warnings == []


def test_paragraph_numbers_on_their_own_lines():
    text = (FIXTURES / "cycle2_short_numbers.txt").read_text(encoding="utf-8")
    split = re.sub(r"(?m)^([1-5])\. ", r"\1.\n", re.sub(r"(?m)^(I{1,3})\. ", r"\1.\n", text))
    assert "\n3.\nThe Government accepts" in split
    doc = parse_addendum_text(split, source_url=URL)
    assert by_number(doc)["115.13"].response_text.endswith("already ongoing.")
    assert {p.paragraph: p.position for p in doc.positions} == {
        p.paragraph: p.position for p in fixture("cycle2_short_numbers.txt").positions
    }


def test_cycle2_without_the_footnote_needs_parent():
    text = (FIXTURES / "cycle2_short_numbers.txt").read_text(encoding="utf-8").split("Notes\n")[0]
    with pytest.raises(LayoutChanged, match="pass parent="):
        parse_addendum_text(text, source_url=URL)
    doc = parse_addendum_text(text, source_url=URL, parent=115)
    assert len(doc.positions) == 14 and doc.positions[0].paragraph == "115.1"


def test_cycle3_number_list_traps():
    doc = fixture("cycle3_traps.txt")
    positions = by_number(doc)
    assert set(positions) == {f"122.{n}" for n in range(1, 26)}
    assert Counter(p.position for p in doc.positions) == {Position.SUPPORTED: 19, Position.NOTED: 6}
    assert positions["122.14"].response_text.endswith(
        "See also recommendation 122.42."
    )  # no note for 122.42
    assert (
        positions["122.6"].response_text
        == positions["122.8"].response_text
        == "See recommendation 122.11."
    )
    assert positions["122.16"].position is Position.NOTED
    assert doc.warnings == []


def test_cycle4_periods_between_numbers_and_short_numbers_after_a_full_one():
    doc = fixture("cycle4_periods.txt")
    positions = by_number(doc)
    assert set(positions) == {f"140.{n}" for n in range(1, 13)}
    assert [positions[f"140.{n}"].position for n in (1, 2, 3)] == [Position.NOTED] * 3
    assert all(positions[f"140.{n}"].considered_implemented for n in (4, 5, 6))  # from the heading
    assert (
        positions["140.6"].response_text == "The Convention was ratified in 2025."
    )  # "140.4-5, 6"
    assert positions["140.2"].response_text == "The ratification is not a priority."
    assert doc.document.cycle == 4 and doc.warnings == []


def test_cycle1_replies_are_classified_conservatively():
    doc = fixture("cycle1_replies.txt", parent=111)
    positions = by_number(doc)
    assert {n: p.position.value for n, p in positions.items()} == {
        "111.2": "supported",
        "111.4": "supported",
        "111.5": "supported",
        "111.6": "supported",
        "111.7": "supported",
        "111.9": "supported",
        "111.10": "supported",
        "111.11": "supported",
        "111.12": "supported",
        "111.13": "partially_supported",
        "111.14": "noted",
        "111.15": "noted",
    }
    assert (
        positions["111.7"].considered_implemented and not positions["111.2"].considered_implemented
    )
    assert positions["111.12"].evidence == "A/HRC/14/15/Add.1 reply to 9., 10., 11. 12."
    review = [w for w in doc.warnings if w.startswith("needs human review")]
    assert [w.split(":")[1].strip() for w in review] == ["111.1", "111.3", "111.8"]
    with pytest.raises(LayoutChanged, match="pass parent="):
        fixture("cycle1_replies.txt")


HEAD = """Report of the Working Group on the Universal Periodic
Review*
Montenegro
Addendum
Views on conclusions and/or recommendations, voluntary commitments
and replies presented by the State under review
"""


def test_partial_support_keeps_the_explanation():
    text = HEAD + (
        "1. Montenegro received 4 recommendations, of which 2 are supported, 1 partially "
        "supported and 1 noted.\n"
        "2. The Government accepts recommendations 98.1 and 98.2.\n"
        "3. The Government partially accepts recommendation 98.3: it supports the review of the\n"
        "law but not the repeal of article 5.\n"
        "4. The Government notes recommendation 98.4.\n"
    )
    doc = parse_addendum_text(text, source_url=URL, symbol="A/HRC/39/14/Add.1")
    positions = by_number(doc)
    assert positions["98.3"].position is Position.PARTIALLY_SUPPORTED
    assert (
        positions["98.3"].response_text
        == "it supports the review of the law but not the repeal of article 5."
    )
    assert positions["98.4"].position is Position.NOTED and doc.document.cycle == 3
    assert doc.warnings == []


def test_a_number_listed_with_two_positions_is_named_and_left_out():
    text = HEAD + (
        "1. The Government accepts recommendations 98.1, 98.2.\n"
        "2. The Government notes recommendations 98.2, 98.3.\n"
    )
    doc = parse_addendum_text(text, source_url=URL, symbol="A/HRC/39/14/Add.1")
    assert set(by_number(doc)) == {"98.1", "98.3"}
    assert any("98.2 listed as supported (para 1) and as noted (para 2)" in w for w in doc.warnings)


def test_tabular_layout_with_position_labels():
    text = HEAD + (
        "Recommendation Position Comments\n"
        "131.1 Supported The law was adopted in 2019.\n"
        "131.2 Noted\n"
        "131.3 Supported/Noted The Government supports the first part only.\n"
    )
    doc = parse_addendum_text(text, source_url=URL, symbol="A/HRC/56/7/Add.1", cycle=4)
    assert {n: p.position for n, p in by_number(doc).items()} == {
        "131.1": Position.SUPPORTED,
        "131.2": Position.NOTED,
        "131.3": Position.PARTIALLY_SUPPORTED,
    }
    assert doc.document.state_under_review == "MNE"


def test_explicit_arguments_win_and_disagreement_is_reported():
    doc = fixture("cycle4_periods.txt", state="Croatia", cycle=4, symbol="A/HRC/59/15/Add.1")
    assert doc.document.state_under_review == "HRV" and doc.positions[0].key.startswith(
        "upr/HRV/4/"
    )
    assert any("title names 'Slovenia'" in w for w in doc.warnings)


def test_missing_state_and_cycle_ask_for_arguments():
    text = "Addendum\n1. The Government accepts recommendations 98.1 and 98.2.\n"
    with pytest.raises(LayoutChanged, match="pass state="):
        parse_addendum_text(text, source_url=URL)
    with pytest.raises(LayoutChanged, match="pass cycle="):
        parse_addendum_text(text, source_url=URL, state="MNE")
    assert len(parse_addendum_text(text, source_url=URL, state="MNE", cycle=2).positions) == 2


def test_an_addendum_that_answers_nothing_is_refused_with_what_it_promised():
    text = (FIXTURES / "cycle4_periods.txt").read_text(encoding="utf-8")
    cut = text[: text.index("I. Accepted recommendations")]  # truncated after the totals
    with pytest.raises(LayoutChanged) as caught:
        parse_addendum_text(cut, source_url=URL)
    assert caught.value.reason == (
        "addendum A/HRC/59/15/Add.1 (Slovenia): no position found for any item number — its "
        "totals paragraph says 12 recommendation(s) are answered here; no '... accepts the "
        "following recommendations 1.2, ...' paragraph, and none of the 2 numbered paragraph(s) "
        "read as item-by-item replies states a position clearly (needs human review); the "
        "document may be truncated or its layout changed"
    )
    assert caught.value.url == URL


def test_replies_that_all_need_review_are_refused_not_imported_as_nothing():
    text = HEAD + (
        "1. Montenegro cannot, at this point in time, make a definitive statement.\n"
        "2. Montenegro will consider these recommendations in due course.\n"
    )
    with pytest.raises(LayoutChanged, match=r"\(Montenegro\): no position found .* an addendum "
                       r"answers the recommendations left pending at the review; .* none of the 2 "
                       r"numbered paragraph\(s\) read as item-by-item replies states a position"):
        parse_addendum_text(text, source_url=URL, symbol="A/HRC/39/14/Add.1")
    with pytest.raises(LayoutChanged, match="paragraph and no item-by-item replies found"):
        parse_addendum_text(HEAD + "The Government thanks the Working Group.\n", source_url=URL,
                            symbol="A/HRC/39/14/Add.1")
