"""WG report parser on hand-written texts: one test per layout hazard of SOURCES.md §3."""

from __future__ import annotations

import pytest

from scrapers.records import Position
from scrapers.upr_reports import parse_wg_report_text
from tests.scrapers.wg_report_text import (
    END,
    HEAD,
    PENDING_LEAD,
    URL,
    by_paragraph,
    fixture,
    parse,
)

# --- item numbering ------------------------------------------------------------------------


def test_item_numbers_with_and_without_space_and_dot() -> None:
    recs = by_paragraph(
        parse(
            PENDING_LEAD
            + "109.1. Ratify CPED (Brazil);\n109.2 Ratify OP-CAT (Chile);\n"
            + "109.3.Ensure that public policies respect rights (Kuwait);\n109. 4 Sign it (Peru)."
        )
    )
    assert list(recs) == ["109.1", "109.2", "109.3", "109.4"]
    assert recs["109.3"].text == "Ensure that public policies respect rights"


def test_numbers_inside_text_are_not_items() -> None:
    recs = by_paragraph(
        parse(
            PENDING_LEAD
            + "109.1 Increase aid to 0.7 per cent, from the current\n"
            + "2.5 per cent, and implement resolution\n"
            + "109.15 of the General Assembly (Norway);\n"
            + "109.2 Ratify CPED (Chile)."
        )
    )
    assert list(recs) == ["109.1", "109.2"]
    assert "109.15 of the General Assembly" in recs["109.1"].text


def test_out_of_sequence_item_start_is_reported() -> None:
    parsed = parse(PENDING_LEAD + "109.1 Ratify CPED (Chile);\n109.9 Ratify OP-CAT (Peru).")
    assert [r.paragraph for r in parsed.recommendations] == ["109.1"]
    assert any("breaks the item numbering" in w for w in parsed.warnings)


def test_item_running_across_pages_with_furniture() -> None:
    text = fixture("cycle2_report.txt")
    recs = by_paragraph(parse_wg_report_text(text, source_url=URL))
    assert recs["109.6"].text.endswith(
        "with respect to consultation and participation in decision-making"
    )
    assert "A/HRC/24/99" not in recs["109.6"].text
    assert recs["109.5"].text.endswith(
        "full implementation of the rights of persons with disabilities, including 10 measures "
        "on access to buildings"
    )


def test_items_merged_on_one_line_are_split() -> None:
    recs = by_paragraph(
        parse(
            PENDING_LEAD
            + "109.1 Ratify CPED (Chile); 109.2 Ratify OP-CAT (Peru);\n109.3 Sign it (Cuba)."
        )
    )
    assert [r.recommending_states for r in recs.values()] == [["CHL"], ["PER"], ["CUB"]]


def test_misprinted_item_number_keeps_its_lead_in() -> None:
    parsed = parse(
        "110. The following recommendations enjoy the support of Azerbaijan:\n"
        "110.1 Ratify CPED (Chile);\n111.2 Ratify OP-CAT (Peru);\n110.3 Sign it (Cuba).\n"
        + PENDING_LEAD.replace("109", "111")
        + "111.1 Consider it (Spain)."
    )
    recs = by_paragraph(parsed)
    assert list(recs) == ["110.1", "110.2", "110.3", "111.1"]
    assert recs["110.2"].position is Position.SUPPORTED
    assert any("printed as 111.2" in w for w in parsed.warnings)


def test_long_cycle1_list_reaching_the_paragraph_numbers() -> None:
    # Items 1..93 under para 90: items "91."-"93." are not paragraphs 91-93 (what follows decides).
    items = "".join(
        f"{n}. Implement the recommendations of body {n} (Chile);\n" for n in range(1, 94)
    )
    parsed = parse(
        "90. The following recommendations enjoy the support of Azerbaijan:\n"
        + items
        + "91. The following recommendations will be examined by Azerbaijan:\n1. Ratify CAT (Italy).\n"
    )
    numbers = [r.paragraph for r in parsed.recommendations]
    assert numbers == [f"90.{n}" for n in range(1, 94)] + ["91.1"]
    assert parsed.recommendations[-1].position is Position.PENDING


def test_bare_numbering_running_on_into_the_next_list() -> None:
    parsed = parse(
        "96. The recommendations listed below enjoy the support of Azerbaijan:\n"
        "1. Ratify CPED (Chile);\n2. Ratify OP-CAT (Peru).\n"
        "97. The following recommendations will be examined by Azerbaijan:\n"
        "3. Ratify CED (Spain);\n4. Abolish the death penalty (Italy)."
    )
    assert [(r.paragraph, r.position) for r in parsed.recommendations] == [
        ("96.1", Position.SUPPORTED),
        ("96.2", Position.SUPPORTED),
        ("97.3", Position.PENDING),
        ("97.4", Position.PENDING),
    ]


def test_table_of_contents_is_not_the_heading() -> None:
    toc = "Contents\nII. Conclusions and/or recommendations 14\nAnnex\n1. Introduction text.\n"
    parsed = parse_wg_report_text(
        toc + HEAD + PENDING_LEAD + "109.1 Ratify CPED (Chile)." + END, source_url=URL
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1"]


# --- recommending States -------------------------------------------------------------------


def test_states_nested_brackets_and_long_names() -> None:
    recs = by_paragraph(parse_wg_report_text(fixture("cycle2_report.txt"), source_url=URL))
    assert recs["109.2"].recommending_states == ["IRN"]
    assert recs["109.2"].recommending_states_raw == ["Iran (Islamic Republic of)"]
    assert recs["109.3"].recommending_states == ["VEN", "GBR"]
    assert (
        recs["109.3"].recommending_states_raw[1]
        == "United Kingdom of Great Britain and Northern Ireland"
    )


def test_non_state_brackets_are_not_states() -> None:
    recs = by_paragraph(parse_wg_report_text(fixture("cycle2_report.txt"), source_url=URL))
    assert recs["109.1"].recommending_states == ["BRA", "CHL"]
    assert recs["109.1"].text.endswith("(OP-CAT)")
    assert recs["109.2"].text.endswith("made in 1995 (2010)")


@pytest.mark.parametrize(
    ("item", "states"),
    [
        ("Ratify CED (Spain) (France);", ["ESP", "FRA"]),
        ("Ratify CPED (Brazil, Chile);", ["BRA", "CHL"]),
        ("Ratify ICESCR-OP (Mexico; Egypt);", ["MEX", "EGY"]),
        ("Accede to CED (Paraguay (Argentina);", ["PRY", "ARG"]),
        ("Reach the MDG targets (MDG) (CEDAW) (OP-CAT) (2015) (Cuba);", ["CUB"]),
        ("Ratify (Bolivia (Plurinational State of), Iran (Islamic Republic of));", ["BOL", "IRN"]),
        ("Ratify it (United States of Americas);", ["USA"]),
        ("Protect children (Norway and Sweden);", ["NOR", "SWE"]),
        ("Ratify CAT (United Kingdom France, Mexico, and Sweden);", ["GBR", "FRA", "MEX", "SWE"]),
        ("Ratify CAT (Iran, Islamic Republic of);", ["IRN"]),
        ("Ratify CPED (Trinidad and Tobago);", ["TTO"]),
        ("Act on it (Brazil);1", ["BRA"]),
    ],
)
def test_attribution_shapes(item: str, states: list[str]) -> None:
    rec = parse(PENDING_LEAD + "109.1 " + item).recommendations[0]
    assert rec.recommending_states == states


def test_bundled_item_gets_every_state() -> None:
    recs = by_paragraph(parse_wg_report_text(fixture("cycle2_report.txt"), source_url=URL))
    assert recs["109.4"].recommending_states == ["UKR", "SVK"]
    assert "(Ukraine); Increase efforts" in recs["109.4"].text


def test_inline_cycle1_attributions() -> None:
    recs = by_paragraph(parse_wg_report_text(fixture("cycle1_report.txt"), source_url=URL))
    assert recs["96.2"].recommending_states == ["LVA", "NOR", "CZE"]
    assert recs["96.2"].text.startswith("Fulfil its voluntary pledge (Latvia) and issue (Norway)")
    assert recs["96.4"].recommending_states == ["IRN", "BOL", "VAT"]


def test_unresolved_state_is_kept_raw_and_reported() -> None:
    parsed = parse(PENDING_LEAD + "109.1 Ratify it (Republic of Atlantis).")
    rec = parsed.recommendations[0]
    assert rec.recommending_states == ["Republic of Atlantis"] == rec.recommending_states_raw
    assert any("Republic of Atlantis" in w for w in parsed.warnings)


def test_item_without_any_state_is_reported() -> None:
    parsed = parse(PENDING_LEAD + "109.1 Ratify the convention on statelessness.")
    assert parsed.recommendations[0].recommending_states == []
    assert any("no recommending State" in w for w in parsed.warnings)


# --- positions -----------------------------------------------------------------------------


def test_positions_follow_their_lead_in() -> None:
    recs = by_paragraph(parse_wg_report_text(fixture("cycle2_report.txt"), source_url=URL))
    assert {p: r.position for p, r in recs.items() if p in ("109.1", "110.1", "111.1")} == {
        "109.1": Position.PENDING,
        "110.1": Position.NOTED,
        "111.1": Position.SUPPORTED,
    }
    assert (
        "already implemented or in the process of implementation" in recs["111.1"].position_wording
    )
    assert recs["110.1"].evidence == "A/HRC/24/99 para. 110"


def test_neutral_cycle1_lead_in_takes_position_from_following_paragraph() -> None:
    parsed = parse_wg_report_text(fixture("cycle1_report.txt"), source_url=URL)
    assert {r.position for r in parsed.recommendations} == {Position.PENDING}
    assert "will be included in the outcome report" in parsed.recommendations[0].position_wording
    assert any("para 98" in w and "no items" in w for w in parsed.warnings)


def test_unclassifiable_lead_in_is_a_problem_not_a_failure() -> None:
    parsed = parse(
        "109. The following recommendations were discussed at length with Azerbaijan:\n"
        "109.1 Ratify CPED (Chile).\n"
        "110. The following recommendations will be examined by Azerbaijan:\n"
        "110.1 Ratify OP-CAT (Peru)."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["110.1"]
    [problem] = parsed.problems
    assert problem.startswith("para 109:") and "discussed at length" in problem


def test_neutral_lead_in_without_any_stated_position_is_pending() -> None:
    parsed = parse(
        "109. In the course of the discussion, the following recommendations were made to "
        "Azerbaijan:\n1. Ratify CPED (Chile);\n2. Ratify OP-CAT (Peru)."
    )
    assert [(r.paragraph, r.position) for r in parsed.recommendations] == [
        ("109.1", Position.PENDING),
        ("109.2", Position.PENDING),
    ]
    assert parsed.recommendations[0].position_wording.startswith("In the course of the discussion")
    assert any("states no position" in w for w in parsed.warnings)


def test_lone_unnumbered_recommendation_inside_the_lead_in() -> None:
    parsed = parse(
        "109. The following recommendation will be examined by Azerbaijan, which will provide "
        "responses in due time: Finalize its plan on internally displaced persons (Congo).\n"
        "110. The recommendations noted in paragraphs 23 (g) and 67 above did not enjoy the "
        "support of Azerbaijan."
    )
    [rec] = parsed.recommendations
    assert (rec.paragraph, rec.key, rec.recommending_states) == ("109", "upr/AZE/2/109", ["COG"])
    assert rec.position is Position.PENDING
    assert rec.text == "Finalize its plan on internally displaced persons"


def test_voluntary_commitments_are_not_recommendations() -> None:
    parsed = parse(
        PENDING_LEAD + "109.1 Ratify CPED (Chile).\n"
        "110. Azerbaijan made the following voluntary commitments:\n1. Submit its reports on time."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1"]
    assert any("voluntary commitments" in w for w in parsed.warnings)
