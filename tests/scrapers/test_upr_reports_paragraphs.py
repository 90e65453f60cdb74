"""WG report parser: what each kind of paragraph of the conclusions contributes (hand-written
texts in the cycle-2 layout of tests/scrapers/wg_report_text.py)."""

from __future__ import annotations

import pytest

from scrapers.errors import LayoutChanged
from scrapers.records import ParsedDocument, Position
from tests.scrapers.wg_report_text import parse

SUPPORTED_LIST = (
    "109. The following recommendations enjoy the support of Azerbaijan:\n"
    "109.1 Ratify CPED (Chile);\n109.2 Ratify OP-CAT (Peru).\n"
)
NOTED_LIST = (
    "109. The recommendations below did not enjoy the support of Azerbaijan:\n"
    "109.1 Abolish the death penalty (Chile);\n109.2 Recognize same-sex unions (Peru).\n"
)
PENDING_110 = (
    "110. The following recommendations will be examined by Azerbaijan:\n"
    "110.1 Abolish it (Spain);\n110.2 Sign it (Cuba).\n"
)


def rows(parsed: ParsedDocument) -> list[tuple[str, str, list[str]]]:
    return [
        (r.paragraph or "", r.position.value, r.recommending_states) for r in parsed.recommendations
    ]


# --- lead-ins worded in ways seen across cycles --------------------------------------------


@pytest.mark.parametrize(
    ("lead_in", "position"),
    [
        ("have been examined by Azerbaijan and enjoyed its support:", Position.SUPPORTED),
        ("have the support of Azerbaijan:", Position.SUPPORTED),
        ("were accepted by Azerbaijan:", Position.SUPPORTED),
        ("have been examined by Azerbaijan and were noted:", Position.NOTED),
        ("were not accepted by Azerbaijan:", Position.NOTED),
        ("have not received the support of Azerbaijan:", Position.NOTED),
        (
            "will be examined by Azerbaijan, which will provide responses in due time:",
            Position.PENDING,
        ),
    ],
)
def test_lead_in_wordings(lead_in: str, position: Position) -> None:
    parsed = parse(f"109. The recommendations listed below {lead_in}\n109.1 Ratify CPED (Chile).")
    assert [(r.paragraph, r.position) for r in parsed.recommendations] == [("109.1", position)]
    assert parsed.problems == []


# --- paragraphs that list something else ---------------------------------------------------


@pytest.mark.parametrize("numbering", ["dotted", "bare"])
def test_offered_the_following_comments_yields_no_items(numbering: str) -> None:
    one, two = ("110.1", "110.2") if numbering == "dotted" else ("3.", "4.")
    parsed = parse(
        NOTED_LIST.replace("109.1", "1." if numbering == "bare" else "109.1").replace(
            "109.2", "2." if numbering == "bare" else "109.2"
        )
        + "110. Azerbaijan offered the following comments on the recommendations that did not "
        "enjoy its support:\n"
        f"{one} The public rejected the abolition of the death penalty;\n"
        f"{two} Same-sex unions are not recognized by the Constitution."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1", "109.2"]
    assert parsed.problems == []
    assert any("para 110 lists comments" in w for w in parsed.warnings)


def test_explanations_as_follows_yield_no_items() -> None:
    parsed = parse(
        NOTED_LIST + "110. Azerbaijan explained its position on those recommendations as follows:\n"
        "110.1 The death penalty was abolished in 1998;\n110.2 The Constitution defines marriage."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1", "109.2"]
    assert any("explanations" in w for w in parsed.warnings)


def test_comments_whose_items_name_states_are_a_problem() -> None:
    parsed = parse(
        SUPPORTED_LIST + "110. Azerbaijan offered the following comments:\n"
        "110.1 Ratify the Convention on statelessness (Chile);\n110.2 Invite experts (Peru)."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1", "109.2"]
    [problem] = parsed.problems
    assert problem.startswith("para 110:") and "comments" in problem


def test_items_without_any_state_are_not_recommendations() -> None:
    parsed = parse(
        PENDING_110.replace("110", "109")
        + "110. The following recommendations enjoy the support of Azerbaijan:\n"
        "110.1 The Government has adopted a plan;\n110.2 The Ombudsman was strengthened;\n"
        "110.3 A law was passed."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1", "109.2"]
    assert parsed.problems and parsed.problems[0].startswith("para 110:")


def test_state_explanation_after_a_noted_list_is_not_a_problem() -> None:
    parsed = parse(
        NOTED_LIST + "110. With regard to recommendations in paragraph 109.1 above, Azerbaijan "
        "indicated that the public had rejected the abolition of the death penalty.\n"
        "111. In the view of the delegation, the remarks in paragraph 74 are not correct."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1", "109.2"]
    assert parsed.problems == [] and not any("para 110" in w for w in parsed.warnings)


# --- a recommendation where a lead-in was expected ----------------------------------------


def test_recommendation_paragraph_after_a_list_takes_its_position() -> None:
    parsed = parse(
        SUPPORTED_LIST + "110. Accept the competence of the Committee on Enforced "
        "Disappearances (France);\n" + PENDING_110.replace("110", "111")
    )
    assert rows(parsed) == [
        ("109.1", "supported", ["CHL"]),
        ("109.2", "supported", ["PER"]),
        ("110", "supported", ["FRA"]),
        ("111.1", "pending", ["ESP"]),
        ("111.2", "pending", ["CUB"]),
    ]
    assert any("para 110 is a recommendation" in w for w in parsed.warnings)


@pytest.mark.parametrize("numbering", ["dotted", "bare"])
def test_recommendation_paragraph_inside_a_list(numbering: str) -> None:
    def item(n: int) -> str:
        return f"109.{n}" if numbering == "dotted" else f"{n}."

    parsed = parse(
        "109. The following recommendations enjoy the support of Azerbaijan:\n"
        f"{item(1)} Ratify CPED (Chile);\n{item(2)} Ratify OP-CAT (Peru);\n"
        "110. Accept the competence of the Committee (France);\n"
        f"{item(3)} Sign it (Cuba).\n" + PENDING_110.replace("110", "111")
    )
    assert [(r.paragraph, r.position.value) for r in parsed.recommendations] == [
        ("109.1", "supported"),
        ("109.2", "supported"),
        ("109.3", "supported"),
        ("110", "supported"),
        ("111.1", "pending"),
        ("111.2", "pending"),
    ]


def test_recommendation_paragraph_before_any_lead_in_is_a_problem() -> None:
    parsed = parse("108. Accept the competence of the Committee (France);\n" + SUPPORTED_LIST)
    assert [r.paragraph for r in parsed.recommendations] == ["109.1", "109.2"]
    [problem] = parsed.problems
    assert problem.startswith("para 108:") and "Accept the competence" in problem


def test_numbered_line_wrapping_inside_an_item_is_not_a_paragraph() -> None:
    parsed = parse(
        "96. The recommendations listed below enjoy the support of Azerbaijan:\n"
        "1. Ratify CPED (Chile);\n2. Implement General Assembly resolution\n"
        "97. and the study on violence against children (Hungary);\n3. Sign it (Cuba)."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["96.1", "96.2", "96.3"]
    assert parsed.recommendations[1].text.endswith("violence against children")


# --- lists that lost their lead-in, lead-ins that lost their list -------------------------


def test_lead_in_read_as_the_end_of_the_previous_item_is_recovered() -> None:
    parsed = parse(
        SUPPORTED_LIST.rstrip("\n") + " The following recommendations will be examined by "
        "Azerbaijan:\n110.1 Abolish it (Spain);\n110.2 Sign it (Cuba)."
    )
    assert rows(parsed)[1:] == [
        ("109.2", "supported", ["PER"]),
        ("110.1", "pending", ["ESP"]),
        ("110.2", "pending", ["CUB"]),
    ]
    assert parsed.recommendations[1].text == "Ratify OP-CAT"
    assert parsed.problems == []


def test_items_without_a_lead_in_are_a_problem() -> None:
    parsed = parse(SUPPORTED_LIST + "110.1 Abolish it (Spain);\n110.2 Sign it (Cuba).")
    assert [r.paragraph for r in parsed.recommendations] == ["109.1", "109.2"]
    [problem] = parsed.problems
    assert problem.startswith("para 110:") and "without a lead-in" in problem


def test_lead_in_announcing_a_list_that_never_comes_is_a_problem() -> None:
    parsed = parse(
        SUPPORTED_LIST + "110. The following recommendations did not enjoy the support of "
        "Azerbaijan:\n111. Azerbaijan will consider the visit requests."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1", "109.2"]
    assert any(p.startswith("para 110:") and "noted" in p for p in parsed.problems)


def test_only_unreadable_paragraphs_fail_the_document_naming_them() -> None:
    with pytest.raises(LayoutChanged, match=r"no recommendation items.*para 109"):
        parse(
            "109. The following recommendations were discussed at length with Azerbaijan:\n"
            "109.1 Ratify CPED (Chile)."
        )


def test_neutral_list_does_not_borrow_a_position_from_the_states_explanation() -> None:
    parsed = parse(
        "96. In the course of the discussion, the following recommendations were made to "
        "Azerbaijan:\n1. Abolish the death penalty (Chile);\n2. Ratify CAT (Peru).\n"
        "97. With regard to recommendation 1 above, Azerbaijan indicated that the public had "
        "rejected the abolition of the death penalty."
    )
    assert {r.position for r in parsed.recommendations} == {Position.PENDING}
    assert parsed.problems == []


def test_recommendation_paragraph_after_a_statement_is_a_problem() -> None:
    parsed = parse(
        SUPPORTED_LIST + "110. The troika thanked the interpreters.\n"
        "111. Accept the competence of the Committee (France);\n"
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1", "109.2"]
    assert [p.split(":")[0] for p in parsed.problems] == ["para 111"]
    assert any(w.startswith("para 110 not read") for w in parsed.warnings)
