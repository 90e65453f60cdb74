"""WG reports of the four cycles' layouts (SOURCES.md §3) with one odd paragraph in the middle of
the conclusions, and the identity cues (title, introduction, symbols, lead-ins, cover).

The texts are written by us after the real layouts; the expected items are known by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from scrapers.errors import LayoutChanged
from scrapers.records import ParsedDocument
from tests.scrapers.wg_report_text import parse_report

SUP, PEN, NOT = "supported", "pending", "noted"
Expected = list[tuple[str, str, list[str]]]


@dataclass(frozen=True)
class Layout:
    """A conclusions section around a slot for paragraph ``odd`` (numbered items in ``style``)."""

    before: str
    after: str
    odd: int
    style: str  # "dotted" (odd.1) or "bare" (1.)
    expected: Expected  # every recommendation of ``before`` and ``after``
    governing: str  # position of the list just before the slot
    report: dict[str, object]


CYCLE1 = Layout(
    before=(
        "110. The recommendations formulated during the interactive dialogue listed below "
        "enjoy the\nsupport of Slovenia:\n"
        "1. To ratify the Convention on enforced disappearances (Argentina, France);\n"
        "2. To examine the possibility of joining (Algeria)/sign and ratify (Egypt) the "
        "Convention on\nmigrant workers (Algeria, Egypt);\n"
    ),
    after=(
        "112. The following recommendations will be examined by Slovenia, which will provide "
        "responses in\ndue time, but no later than the fourteenth session of the Human Rights "
        "Council:\n"
        "1. To consider establishing a national human rights institution (Iran (Islamic "
        "Republic\nof));\n"
        "2. To adopt a law on the Roma community (Hungary).\n"
        "113. The recommendations below did not enjoy the support of Slovenia:\n"
        "1. To recognize the German-speaking community as a minority (Austria).\n"
    ),
    odd=111,
    style="bare",
    expected=[
        ("110.1", SUP, ["ARG", "FRA"]),
        ("110.2", SUP, ["DZA", "EGY"]),
        ("112.1", PEN, ["IRN"]),
        ("112.2", PEN, ["HUN"]),
        ("113.1", NOT, ["AUT"]),
    ],
    governing=SUP,
    report={
        "symbol": "A/HRC/14/15",
        "hrc": "Fourteenth",
        "wg": "seventh",
        "wg_no": 7,
        "closing": 114,
    },
)
CYCLE2 = Layout(
    before=(
        "114. The recommendations formulated during the interactive dialogue/listed below "
        "enjoy the\nsupport of Slovenia:\n"
        "114.1. Ratify the Optional Protocol to ICESCR (Portugal, Slovakia);\n"
        "114.2. Strengthen the Ombudsman (Iran (Islamic Republic of), Egypt);\n"
    ),
    after=(
        "116. The following recommendations will be examined by Slovenia, which will provide "
        "responses in\ndue time, but no later than the twenty-eighth session of the Human "
        "Rights Council in March\n2015:\n"
        "116.1. Adopt a national action plan on business and human rights (Norway);\n"
        "116.2. Ratify the Convention on migrant workers (Algeria, Philippines).\n"
    ),
    odd=115,
    style="dotted",
    expected=[
        ("114.1", SUP, ["PRT", "SVK"]),
        ("114.2", SUP, ["IRN", "EGY"]),
        ("116.1", PEN, ["NOR"]),
        ("116.2", PEN, ["DZA", "PHL"]),
    ],
    governing=SUP,
    report={
        "symbol": "A/HRC/28/15",
        "hrc": "Twenty-eighth",
        "wg": "twentieth",
        "wg_no": 20,
        "closing": 117,
    },
)
CYCLE3 = Layout(
    before=(
        "121. The recommendations formulated during the interactive dialogue/listed below have "
        "been\nexamined by Slovenia and enjoy the support of Slovenia:\n"
        "121.1 Ratify the Convention on enforced disappearance (France) (Lithuania);\n"
        "121.2 Complete the ratification of that Convention (Ukraine); Increase efforts towards\n"
        "its ratification (Slovakia);\n"
    ),
    after=(
        "123. The following recommendations will be examined by Slovenia, which will provide "
        "responses in\ndue time, but no later than the forty-third session of the Human Rights "
        "Council:\n"
        "123.1 Establish an independent national human rights institution (Greece) (India);\n"
        "123.2 Recognize the German-speaking community (Austria).\n"
    ),
    odd=122,
    style="dotted",
    expected=[
        ("121.1", SUP, ["FRA", "LTU"]),
        ("121.2", SUP, ["UKR", "SVK"]),
        ("123.1", PEN, ["GRC", "IND"]),
        ("123.2", PEN, ["AUT"]),
    ],
    governing=SUP,
    report={"closing": 124},
)
CYCLE4 = Layout(
    before=(
        "139. The following recommendations have been examined by Slovenia and noted:\n"
        "139.1 Withdraw the reservation to article 7 (Cuba);\n"
    ),
    after=(
        "141. The following recommendations will be examined by Slovenia, which will provide "
        "responses in\ndue time, but no later than the fifty-ninth session of the Human Rights "
        "Council:\n"
        "141.1 Ratify the Convention on migrant workers (Algeria) (Cabo Verde) (Paraguay);\n"
        "141.2 Adopt a strategy on ageing (Bolivia (Plurinational State of)).\n"
    ),
    odd=140,
    style="dotted",
    expected=[
        ("139.1", NOT, ["CUB"]),
        ("141.1", PEN, ["DZA", "CPV", "PRY"]),
        ("141.2", PEN, ["BOL"]),
    ],
    governing=NOT,
    report={
        "symbol": "A/HRC/59/15",
        "hrc": "Fifty-ninth",
        "wg": "forty-eighth",
        "wg_no": 48,
        "closing": 142,
    },
)
LAYOUTS = {
    "cycle1": (CYCLE1, 1),
    "cycle2": (CYCLE2, 2),
    "cycle3": (CYCLE3, 3),
    "cycle4": (CYCLE4, 4),
}


def odd_paragraph(kind: str, n: int, style: str) -> str:
    """The paragraph put in the slot; its items numbered as the layout numbers them."""

    def items(*texts: str) -> str:
        marks = [f"{n}.{i}" if style == "dotted" else f"{i}." for i in range(1, len(texts) + 1)]
        return "".join(f"{mark} {text}\n" for mark, text in zip(marks, texts, strict=True))

    return {
        "unclassifiable list": f"{n}. The following recommendations were discussed at length "
        "with the delegation:\n"
        + items("Ratify the Convention on statelessness (Chile);", "Invite experts (Peru)."),
        "unknown statement": f"{n}. The troika thanked the interpreters and the secretariat for "
        "their\nexcellent work.\n",
        "comments": f"{n}. Slovenia offered the following comments on the recommendations above:\n"
        + items("The Constitution protects all minorities;", "A new equality law is planned."),
        "commitments": f"{n}. Slovenia made the following voluntary commitments:\n"
        + items("To submit a mid-term report;", "To invite the special procedures."),
        "explanations": f"{n}. Slovenia explained its position on some recommendations as "
        "follows:\n"
        + items("The Roma community is protected by law;", "Minorities are defined by treaty."),
        "procedural note": f"{n}. At the request of the State under review, the recommendations "
        "put forward to\nSlovenia and to its partners in the joint review are grouped by "
        "theme.\n",
        "recommendation": f"{n}. Accede to the 1961 Convention on the Reduction of "
        "Statelessness (Brazil);\n",
    }[kind]


def rows(parsed: ParsedDocument) -> Expected:
    return [
        (r.paragraph or "", r.position.value, r.recommending_states) for r in parsed.recommendations
    ]


@pytest.mark.parametrize("layout_name", LAYOUTS)
def test_clean_layout_reads_every_item(layout_name: str) -> None:
    layout, cycle = LAYOUTS[layout_name]
    parsed = parse_report(layout.before + layout.after, **layout.report)
    assert rows(parsed) == layout.expected
    assert parsed.problems == []
    assert (parsed.document.state_under_review, parsed.document.cycle) == ("SVN", cycle)


@pytest.mark.parametrize("layout_name", LAYOUTS)
def test_a_statement_that_cannot_hide_a_recommendation_is_only_a_warning(layout_name: str) -> None:
    layout, _ = LAYOUTS[layout_name]
    odd = odd_paragraph("unknown statement", layout.odd, layout.style)
    parsed = parse_report(layout.before + odd + layout.after, **layout.report)
    assert rows(parsed) == layout.expected
    assert parsed.problems == []
    assert any(w.startswith(f"para {layout.odd} not read") for w in parsed.warnings)


@pytest.mark.parametrize("layout_name", LAYOUTS)
@pytest.mark.parametrize("kind", ["unclassifiable list"])
def test_unreadable_paragraph_costs_only_itself(layout_name: str, kind: str) -> None:
    layout, _ = LAYOUTS[layout_name]
    odd = odd_paragraph(kind, layout.odd, layout.style)
    parsed = parse_report(layout.before + odd + layout.after, **layout.report)
    assert rows(parsed) == layout.expected
    [problem] = parsed.problems
    assert problem.startswith(f"para {layout.odd}:")
    assert " ".join(odd.split()[1:5]) in problem  # its first words
    assert problem not in parsed.warnings


@pytest.mark.parametrize("layout_name", LAYOUTS)
@pytest.mark.parametrize("kind", ["comments", "commitments", "explanations", "procedural note"])
def test_non_recommendation_paragraphs_yield_nothing(layout_name: str, kind: str) -> None:
    layout, _ = LAYOUTS[layout_name]
    odd = odd_paragraph(kind, layout.odd, layout.style)
    parsed = parse_report(layout.before + odd + layout.after, **layout.report)
    assert rows(parsed) == layout.expected
    assert parsed.problems == []


@pytest.mark.parametrize("layout_name", LAYOUTS)
def test_recommendation_where_a_lead_in_was_expected(layout_name: str) -> None:
    layout, _ = LAYOUTS[layout_name]
    odd = odd_paragraph("recommendation", layout.odd, layout.style)
    parsed = parse_report(layout.before + odd + layout.after, **layout.report)
    extra = (str(layout.odd), layout.governing, ["BRA"])
    assert sorted(rows(parsed)) == sorted([*layout.expected, extra])
    assert parsed.problems == []
    [record] = [r for r in parsed.recommendations if r.paragraph == str(layout.odd)]
    assert record.text == "Accede to the 1961 Convention on the Reduction of Statelessness"
    assert record.key == f"upr/SVN/{parsed.document.cycle}/{layout.odd}"


# --- identity: the State, the cycle and the session from every cue --------------------------

BODY = (
    "121. The following recommendations enjoy the support of the State under review:\n"
    "121.1 Ratify the Convention on enforced disappearance (France);\n"
    "121.2 Adopt a plan on ageing (Chile).\n"
)


@pytest.mark.parametrize(
    ("title", "iso3", "printed"),
    [
        ("the Bolivarian Republic of Venezuela", "VEN", "Bolivarian Republic of Venezuela"),
        ("Venezuela (Bolivarian Republic of)*", "VEN", "Venezuela (Bolivarian Republic of)"),
        ("the Plurinational State of Bolivia", "BOL", "Plurinational State of Bolivia"),
        ("the Islamic Republic of Iran", "IRN", "Islamic Republic of Iran"),
        (
            "the United Kingdom of Great Britain and\nNorthern Ireland",
            "GBR",
            "United Kingdom of Great Britain and Northern Ireland",
        ),
        ("Netherlands (including Aruba, Curaçao and\nSint Maarten)", "NLD", "Netherlands"),
        ("China (including Hong Kong, China and Macao, China)", "CHN", "China"),
        ("New Zealand (including Tokelau)*", "NZL", "New Zealand"),
        ("the Republic of the Union of Myanmar", "MMR", "Republic of the Union of Myanmar"),
        ("Micronesia (Federated States of)", "FSM", "Micronesia (Federated States of)"),
    ],
)
def test_state_from_a_title_alone(title: str, iso3: str, printed: str) -> None:
    parsed = parse_report(BODY, title=title, intro=False)
    assert parsed.document.state_under_review == iso3
    assert parsed.document.title.endswith(f": {printed}")
    assert parsed.recommendations[0].key == f"upr/{iso3}/3/121.1"
    assert not any("State under review" in w for w in parsed.warnings)


def test_state_from_the_introduction_when_the_title_is_missing() -> None:
    parsed = parse_report(BODY, title="")
    assert parsed.document.state_under_review == "SVN"
    assert parsed.document.wg_session == 34


def test_cover_page_without_text_layer() -> None:
    parsed = parse_report(BODY, cover=False)
    doc = parsed.document
    assert (doc.state_under_review, doc.cycle, doc.wg_session, doc.symbol) == (
        "SVN",
        3,
        34,
        "A/HRC/43/15",
    )
    assert doc.published_on is None  # page 2 quotes other dates: none is taken for the issue
    assert len(parsed.recommendations) == 2


def test_state_from_the_lead_ins_when_nothing_else_names_it() -> None:
    body = BODY.replace("the State under review", "Slovenia")
    parsed = parse_report(body, title="", intro=False)
    assert parsed.document.state_under_review == "SVN"


def test_state_found_nowhere_asks_for_it() -> None:
    with pytest.raises(LayoutChanged, match="--state"):
        parse_report(BODY, title="", intro=False)
    parsed = parse_report(BODY, title="", intro=False, state_arg="SVN")
    assert parsed.recommendations[0].key == "upr/SVN/3/121.1"


def test_cues_that_disagree_are_outvoted_and_reported() -> None:
    parsed = parse_report(BODY.replace("the State under review", "Slovenia"), title="Croatia")
    assert parsed.document.state_under_review == "SVN"
    assert any("Croatia" in w for w in parsed.warnings)


def test_explicit_state_wins_over_every_cue() -> None:
    parsed = parse_report(BODY, state_arg="HRV")
    assert parsed.document.state_under_review == "HRV"
    assert any("Slovenia" in w and "HRV" in w for w in parsed.warnings)


def test_wg_session_from_the_review_symbols() -> None:
    parsed = parse_report(BODY, wg="")
    assert (parsed.document.wg_session, parsed.document.cycle) == (34, 3)


def test_cycle_from_the_response_deadline() -> None:
    body = (
        "121. The following recommendations will be examined by Slovenia, which will provide "
        "responses\nin due time, but no later than the forty-third session of the Human Rights "
        "Council:\n121.1 Ratify the Convention on enforced disappearance (France).\n"
    )
    parsed = parse_report(body, cover=False, intro=False, symbol="")
    assert (parsed.document.state_under_review, parsed.document.cycle) == ("SVN", 3)
    assert any("HRC session 43" in w for w in parsed.warnings)


def test_cycle_found_nowhere_asks_for_it() -> None:
    with pytest.raises(LayoutChanged, match="--cycle"):
        parse_report(BODY, cover=False, intro=False, symbol="", state_arg="SVN")
    parsed = parse_report(BODY, cover=False, intro=False, symbol="", state_arg="SVN", cycle_arg=3)
    assert parsed.recommendations[0].key == "upr/SVN/3/121.1"
