"""Thematic list parser: the real Slovenia cycle-3 list against its truth, and DOCX fixtures built
here with python-docx for the other header variants and traps of SOURCES.md §4.2."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import docx
import pytest

from scrapers.countries import to_iso3
from scrapers.errors import LayoutChanged, NotADocument
from scrapers.records import DocumentKind, Position
from scrapers.upr_matrix import parse_thematic_list, read_thematic_table

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
URL = "https://example.test/thematic-list.docx"
HEADER_C3 = [
    "Recommendation",
    "Position",
    "Full list of themes",
    "Assessment/comments on level of implementation",
]
HEADER_C4 = [
    "Recommendation and recommending State",
    "Position of the State under review",
    "Human rights themes and groups of persons",
    "Relevant SDGs",
]


def corpus(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    return path


def build(
    header: list[str], rows: list, *, running_header: str | None = None, title: str | None = None
) -> bytes:
    """A thematic-list DOCX: a string row is a merged theme separator, a list row is one item."""
    document = docx.Document()
    if running_header:
        document.sections[0].header.paragraphs[0].text = running_header
    if title:
        document.add_paragraph(title)
    table = document.add_table(rows=1, cols=len(header))
    for cell, label in zip(table.rows[0].cells, header):
        cell.text = label
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
        else:
            for cell, value in zip(cells, row):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def by_number(doc) -> dict:
    return {r.paragraph: r for r in doc.recommendations}


# --- the real list ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slovenia():
    data = corpus("slovenia2019_thematic_list.docx").read_bytes()
    return data, parse_thematic_list(data, source_url=URL)


@pytest.fixture(scope="module")
def truth():
    return list(csv.DictReader(corpus("slovenia2019.truth.csv").open(encoding="utf-8")))


@pytest.mark.corpus
def test_real_list_counts(slovenia):
    data, doc = slovenia
    assert len(doc.recommendations) == 215
    assert Counter(r.position for r in doc.recommendations) == {
        Position.SUPPORTED: 182,
        Position.NOTED: 33,
    }
    assert len(read_thematic_table(data).theme_rows) == 53
    meta = doc.document
    assert (meta.kind, meta.state_under_review, meta.cycle, meta.wg_session) == (
        DocumentKind.THEMATIC_LIST,
        "SVN",
        3,
        34,
    )
    assert doc.warnings == []
    assert doc.recommendations[0].key == "upr/SVN/3/121.1"


@pytest.mark.corpus
def test_real_list_matches_truth_rows(slovenia, truth):
    _, doc = slovenia
    expected = {
        (r["paragraph"], to_iso3(r["recommending_state_un"]), r["final_position"]) for r in truth
    }
    found = {
        (r.paragraph, state, r.position.value)
        for r in doc.recommendations
        for state in r.recommending_states
    }
    hits = len(expected & found)
    precision, recall = hits / len(found), hits / len(expected)
    print(
        f"thematic list vs truth: precision {precision:.3f}, recall {recall:.3f}",
        f"({hits}/{len(expected)})",
    )
    assert precision >= 0.98 and recall >= 0.98


@pytest.mark.corpus
def test_real_list_themes_sdgs_persons_and_evidence(slovenia, truth):
    _, doc = slovenia
    records = by_number(doc)
    for row in truth[::7]:  # a sample across the list
        parts = row["themes"].split(" | ")
        record = records[row["paragraph"]]
        themes = parts[: next((i for i, p in enumerate(parts) if p.endswith(":")), len(parts))]
        assert record.themes == themes, row["paragraph"]
        sections = _sections(parts)
        # some bullets are printed twice (122.137: "4 - QUALITY EDUCATION"); records hold each once
        assert record.sdgs == list(dict.fromkeys(sections.get("SDGs:", []))), row["paragraph"]
        assert record.affected_persons == list(dict.fromkeys(sections.get("Affected persons:", [])))
        symbol, _, para = row["source_of_position"].partition(" - ")
        number = para.replace("Para", "").strip(". ")
        assert record.evidence == (f"{symbol} para. {number}" if number else symbol)
    assert records["121.24"].recommending_states == ["IRN"]
    assert records["122.3"].recommending_states == ["IDN", "NER", "PHL"]


def _sections(parts: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = None
    for part in parts:
        if part.endswith(":"):
            current = part
            out[current] = []
        elif current:
            out[current].append(part)
    return out


# --- fixtures -----------------------------------------------------------------------------------


def test_cycle4_header_variant_with_sdg_column():
    data = build(
        HEADER_C4,
        [
            "Theme: Ratification of & accession to international instruments",
            [
                "140.7 Ratify the Optional Protocol (Maldives) (Portugal);\n"
                "Source of Position: A/HRC/59/15/Add.1 - Para.3",
                "Supported",
                (
                    "- Ratification of & accession to international instruments\n"
                    "Groups of Persons: \n"
                    "- Public officials"
                ),
                "- 1 - NO POVERTY\n- 8 - DECENT WORK AND ECONOMIC GROWTH",
            ],
            [
                (
                    "140.1 Ratify the Convention on migrant workers (Iran (Islamic Republic of));\n"
                    "Source of Position: A/HRC/59/15/Add.1 - Para.5"
                ),
                "Noted",
                "- Migrants\nGroups of Persons: \n- Migrants",
                "",
            ],
        ],
        running_header="UPR of Slovenia (4th Cycle - 48th Session)\t\tThematic list",
    )
    doc = parse_thematic_list(data, source_url=URL)
    records = by_number(doc)
    first = records["140.7"]
    assert (first.recommending_states, first.position, first.evidence) == (
        ["MDV", "PRT"],
        Position.SUPPORTED,
        "A/HRC/59/15/Add.1 para. 3",
    )
    assert first.text == "Ratify the Optional Protocol"
    assert first.sdgs == ["1 - NO POVERTY", "8 - DECENT WORK AND ECONOMIC GROWTH"]
    assert first.affected_persons == ["Public officials"]
    assert first.themes == ["Ratification of & accession to international instruments"]
    assert (
        records["140.1"].recommending_states == ["IRN"]
        and records["140.1"].position is Position.NOTED
    )
    assert (doc.document.state_under_review, doc.document.cycle, doc.document.wg_session) == (
        "SVN",
        4,
        48,
    )


def test_older_list_with_recommending_state_column_and_variants():
    header = ["Recommendation", "Recommending state/s", "Position", "Full list of themes"]
    data = build(
        header,
        [
            "Right or area: 1.1 Acceptance of international norms",
            [
                "166.6. Ratify the OP-CAT (OP-CAT) (Portugal, Slovakia);\n"
                "Source of position: A/HRC/19/13 - Para. 3",
                "Portugal, Slovakia",
                "Supported/Noted",
                "A12 Acceptance of international norms\nAffected persons:\n- general",
            ],
            [
                "166.7 Consider the ratification of ILO Convention 189 (Nicaragua);\n"
                "Source of position: A/HRC/19/13",
                "Nicaragua",
                "Under consideration",
                "A12 Acceptance of international norms",
            ],
            [
                "166.8 Abolish the death penalty (Ruritania);\n"
                "Source of position: A/HRC/19/13 - Para. 4",
                "Ruritania",
                "Supported",
                "",
            ],
        ],
        title="Iceland - Second cycle",
    )
    doc = parse_thematic_list(data, source_url=URL)
    records = by_number(doc)
    assert records["166.6"].position is Position.PARTIALLY_SUPPORTED
    assert records["166.6"].recommending_states == ["PRT", "SVK"]
    assert records["166.6"].text == "Ratify the OP-CAT (OP-CAT)"
    assert records["166.6"].evidence == "A/HRC/19/13 para. 3"
    assert records["166.6"].themes == ["A12 Acceptance of international norms"]
    assert records["166.6"].affected_persons == ["general"]
    assert records["166.7"].position is Position.PENDING
    assert records["166.8"].recommending_states == ["Ruritania"]  # unknown name kept as printed
    assert any("Ruritania" in w for w in doc.warnings)
    assert (doc.document.state_under_review, doc.document.cycle) == ("ISL", 2)
    assert read_thematic_table(data).theme_rows == ["1.1 Acceptance of international norms"]


def test_item_repeated_under_two_themes_is_merged():
    cell = "122.5 Combat hate speech (France);\nSource of Position: A/HRC/43/15/Add.1 - Para.3"
    data = build(
        HEADER_C3,
        [
            "Theme: Racial discrimination",
            [cell, "Supported", "- Racial discrimination\nSDGs: \n- 10 - REDUCED INEQUALITIES", ""],
            "Theme: Freedom of opinion and expression",
            [
                cell,
                "Supported",
                (
                    "- Freedom of opinion and expression\nSDGs: \n- 16 - PEACE, JUSTICE AND STRONG "
                    "INSTITUTIONS\nAffected persons: \n- Media"
                ),
                "",
            ],
        ],
        running_header="UPR of Slovenia (3rd Cycle - 34th Session)",
    )
    doc = parse_thematic_list(data, source_url=URL)
    assert len(doc.recommendations) == 1
    record = doc.recommendations[0]
    assert record.themes == ["Racial discrimination", "Freedom of opinion and expression"]
    assert record.sdgs == [
        "10 - REDUCED INEQUALITIES",
        "16 - PEACE, JUSTICE AND STRONG INSTITUTIONS",
    ]
    assert record.affected_persons == ["Media"]
    assert read_thematic_table(data).items[0].list_themes == [
        "Racial discrimination",
        "Freedom of opinion and expression",
    ]


def test_unknown_position_is_reported_not_guessed():
    data = build(
        HEADER_C3,
        [
            [
                "122.5 Do something (France);\nSource of Position: A/HRC/43/15/Add.1 - Para.3",
                "Maybe later",
                "",
                "",
            ],
            [
                "122.6 Do more (Chile);\nSource of Position: A/HRC/43/15/Add.1 - Para.3",
                "Noted",
                "",
                "",
            ],
        ],
    )
    doc = parse_thematic_list(data, source_url=URL, state="SVN", cycle=3)
    assert list(by_number(doc)) == ["122.6"]
    assert any("122.5: unknown position 'Maybe later'" in w for w in doc.warnings)


def test_state_and_cycle_are_required_when_not_printed():
    rows = [["5.1 Do something (France);\nSource of Position: E/1", "Supported", "", ""]]
    data = build(HEADER_C3, rows)
    with pytest.raises(LayoutChanged, match="pass state="):
        parse_thematic_list(data, source_url=URL)
    with pytest.raises(LayoutChanged, match="pass cycle="):
        parse_thematic_list(data, source_url=URL, state="Slovenia")
    doc = parse_thematic_list(data, source_url=URL, state="Slovenia", cycle=3)
    assert doc.recommendations[0].key == "upr/SVN/3/5.1"


def test_cycle_from_cited_symbols_when_the_title_has_none():
    rows = [
        [
            "122.5 Do something (France);\nSource of Position: A/HRC/43/15/Add.1 - Para.3",
            "Supported",
            "",
            "",
        ]
    ]
    doc = parse_thematic_list(build(HEADER_C3, rows, title="Slovenia"), source_url=URL)
    assert (doc.document.state_under_review, doc.document.cycle) == ("SVN", 3)


def test_document_without_the_table():
    document = docx.Document()
    document.add_paragraph("Thematic list of recommendations")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "Name"
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(LayoutChanged, match="no table with 'Recommendation' and 'Position'"):
        parse_thematic_list(buffer.getvalue(), source_url=URL)


def test_not_a_docx():
    with pytest.raises(NotADocument, match="expected a DOCX"):
        parse_thematic_list(b"%PDF-1.7\n...", source_url=URL)


def test_a_table_without_recommendations_is_refused_with_what_was_found():
    with pytest.raises(LayoutChanged) as caught:
        parse_thematic_list(build(HEADER_C4, []), source_url=URL, state="SVN", cycle=4)
    assert caught.value.reason == (
        "thematic list: the recommendation table has only its header row — no recommendation "
        "found; the list may be truncated or its layout changed")
    assert caught.value.url == URL
    themes_only = build(HEADER_C3, ["Theme: A12 Acceptance of international norms"])
    with pytest.raises(LayoutChanged, match="only its header row under 1 theme row"):
        parse_thematic_list(themes_only, source_url=URL, state="SVN", cycle=3)
    unreadable = build(HEADER_C3, [["Do something (France);", "Supported", "", ""],
                                   ["122.6 Do more (Chile);", "Maybe later", "", ""]])
    with pytest.raises(LayoutChanged, match=r"2 row\(s\), none with a recommendation number .*"
                                            r"no recommendation number: 'Do something .*"
                                            r"122.6: unknown position 'Maybe later'"):
        parse_thematic_list(unreadable, source_url=URL, state="SVN", cycle=3)
