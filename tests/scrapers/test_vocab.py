"""scrapers.vocab: lead-in wordings of WG reports and position labels of other sources."""

from __future__ import annotations

import pytest

from scrapers.errors import LayoutChanged
from scrapers.records import Position
from scrapers.vocab import (
    Role,
    classify_lead_in,
    is_neutral_lead_in,
    normalise_position,
    read_paragraph,
)

P = Position


@pytest.mark.parametrize(
    ("lead_in", "position", "wording_part"),
    [
        (
            (
                "The recommendations formulated during the interactive dialogue/listed below have been "
                "examined by Slovenia and enjoy the support of Slovenia:"
            ),
            P.SUPPORTED,
            "enjoy the support of Slovenia",
        ),
        (
            (
                "The recommendations formulated during the interactive dialogue listed below\n"
                "have been examined by Kenya and enjoy its support:"
            ),
            P.SUPPORTED,
            "enjoy its support",
        ),
        (
            (
                "The following recommendations enjoy the support of Mali, which considers that they are "
                "already implemented or in the process of implementation:"
            ),
            P.SUPPORTED,
            "already implemented or in the process of implementation",
        ),
        ("The following recommendations are accepted by Ruritania:", P.SUPPORTED, "accepted"),
        (
            (
                "Finland considered the recommendations made during the interactive dialogue and "
                "listed below, and agrees to follow up on them:"
            ),
            P.SUPPORTED,
            "agrees to follow up",
        ),
        (
            "Responses to the following recommendations will be provided in due course:",
            P.PENDING,
            "will be provided",
        ),
        (
            (
                "The following recommendations will be examined by Azerbaijan which will provide "
                "responses in due time, but no later than the twenty-fourth session of the Human "
                "Rights Council in September 2013:"
            ),
            P.PENDING,
            "twenty-fourth session",
        ),
        (
            (
                "The response of Azerbaijan to these recommendations will be included in the outcome "
                "report to be adopted by the Human Rights Council at its eleventh session."
            ),
            P.PENDING,
            "will be included in the outcome report",
        ),
        ("The recommendations below did not enjoy the support of Kenya:", P.NOTED, "did not enjoy"),
        (
            "The recommendations listed below were rejected by Azerbaijan for the following reasons:",
            P.NOTED,
            "rejected",
        ),
        (
            "The following recommendations have been examined by Slovenia and noted:",
            P.NOTED,
            "noted",
        ),
        (
            "The following recommendations cannot be accepted and will thus be noted:",
            P.NOTED,
            "cannot be accepted",
        ),
        (
            "The Netherlands does not accept the following recommendations:",
            P.NOTED,
            "does not accept",
        ),
        (
            "The following recommendations enjoy the support of Ruritania in part:",
            P.PARTIALLY_SUPPORTED,
            "in part",
        ),
    ],
)
def test_classify_lead_in(lead_in: str, position: Position, wording_part: str) -> None:
    got, wording = classify_lead_in(lead_in)
    assert got is position
    assert wording_part in wording
    assert "\n" not in wording and not wording.endswith(":")


def test_did_not_enjoy_is_tested_before_enjoy() -> None:
    position, _ = classify_lead_in(
        "Other recommendations noted in paragraph 45 did not enjoy the support of Algeria."
    )
    assert position is P.NOTED


def test_will_be_examined_is_tested_last() -> None:
    # A supported lead-in also says "examined": it must not fall through to pending.
    position, _ = classify_lead_in(
        "The recommendations formulated during the interactive dialogue have been examined by "
        "Algeria and the recommendations listed below enjoy the support of Algeria:"
    )
    assert position is P.SUPPORTED


@pytest.mark.parametrize(
    ("lead_in", "position"),
    [
        # real cycle-1 wordings (A/HRC/11/26, A/HRC/11/25, A/HRC/12/11, A/HRC/11/30, A/HRC/10/74)
        (
            (
                "Nigeria takes note of the recommendations above and in the interim would like to "
                "state that, among the recommendations, there are some that enjoy the support of "
                "Nigeria, there are others that need to be further examined, and there are others "
                "which do not enjoy the support of Nigeria. The response of Nigeria to these "
                "recommendations will be included in the outcome report."
            ),
            P.PENDING,
        ),
        (
            (
                "The following recommendations are noted and China indicated that they are "
                "pertaining to measures already being implemented or which had already been "
                "implemented:"
            ),
            P.SUPPORTED,
        ),
        (
            (
                "Viet Nam noted the following recommendations and indicated that they pertain to "
                "measures which have been implemented or are currently being implemented:"
            ),
            P.SUPPORTED,
        ),
        (
            (
                "As for recommendations listed below, Malaysia notes those recommendations and will "
                "provide the response in due time."
            ),
            P.PENDING,
        ),
        (
            "Montenegro will examine the above recommendations and will respond in due course.",
            P.PENDING,
        ),
        (
            (
                "In the course of the interactive dialogue, the following recommendations were made "
                "to Montenegro (will be examined):"
            ),
            P.PENDING,
        ),
    ],
)
def test_real_cycle1_wordings(lead_in: str, position: Position) -> None:
    assert classify_lead_in(lead_in)[0] is position


def test_wording_is_the_sentence_that_states_the_position() -> None:
    _, wording = classify_lead_in(
        "The following recommendations will be examined by the Russian Federation which will "
        "provide responses in due time. The response of the Russian Federation to these "
        "recommendations will be included in the outcome report:"
    )
    assert wording.startswith("The following recommendations will be examined")


def test_neutral_lead_ins() -> None:
    assert is_neutral_lead_in(
        "In the course of the discussion, the following recommendations were made to Peru:"
    )
    assert is_neutral_lead_in(
        "In the course of the interactive dialogue the following recommendations were made:"
    )
    assert not is_neutral_lead_in("The following recommendations enjoy the support of Peru:")


@pytest.mark.parametrize(
    "lead_in",
    [
        "In the course of the discussion, the following recommendations were made to Azerbaijan:",
        "The delegation of Azerbaijan considers the remarks in paragraph 74 not factually correct.",
        "",
    ],
)
def test_unclassifiable_lead_in_is_a_layout_error(lead_in: str) -> None:
    with pytest.raises(LayoutChanged):
        classify_lead_in(lead_in)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Supported", P.SUPPORTED),
        ("Accepted", P.SUPPORTED),
        (" supported. ", P.SUPPORTED),
        ("Noted", P.NOTED),
        ("Not Supported", P.NOTED),
        ("Rejected", P.NOTED),
        ("supported in part", P.PARTIALLY_SUPPORTED),
        ("Partially accepted", P.PARTIALLY_SUPPORTED),
        ("Supported/Noted", P.PARTIALLY_SUPPORTED),
        ("Supported / Noted", P.PARTIALLY_SUPPORTED),
        ("will be examined", P.PENDING),
        ("Pending", P.PENDING),
        ("Under consideration", P.PENDING),
        ("Implemented", None),
        ("", None),
    ],
)
def test_normalise_position(label: str, expected: Position | None) -> None:
    assert normalise_position(label) == expected


@pytest.mark.parametrize(
    ("lead_in", "position"),
    [
        (
            "The recommendations listed below have been examined by Peru and enjoyed its support:",
            P.SUPPORTED,
        ),
        ("The following recommendations have the support of Peru:", P.SUPPORTED),
        ("The following recommendations received the full support of Peru:", P.SUPPORTED),
        ("The recommendations below were accepted by Peru:", P.SUPPORTED),
        ("Peru accepted the following recommendations:", P.SUPPORTED),
        ("The recommendations below have not received the support of Peru:", P.NOTED),
        ("The following recommendations were not accepted by Peru:", P.NOTED),
        ("Peru is not in a position to support the following recommendations:", P.NOTED),
        ("The following recommendations were noted by Peru:", P.NOTED),
        ("The following recommendations are partly accepted by Peru:", P.PARTIALLY_SUPPORTED),
        ("The following recommendations will be further considered by Peru:", P.PENDING),
        ("Peru will reply to the following recommendations in due course:", P.PENDING),
    ],
)
def test_position_verbs_in_any_tense_and_polarity(lead_in: str, position: Position) -> None:
    assert classify_lead_in(lead_in)[0] is position
    reading = read_paragraph(lead_in)
    assert (reading.role, reading.position) == (Role.POSITION, position)


@pytest.mark.parametrize(
    ("paragraph", "role", "what"),
    [
        ("Kenya offered the following comments:", Role.NOT_RECOMMENDATIONS, "comments"),
        (
            ("With regard to the recommendations that did not enjoy its support, Kenya offered "
            "the following comments:"),
            Role.NOT_RECOMMENDATIONS,
            "comments",
        ),
        (
            "Azerbaijan made the following voluntary commitments:",
            Role.NOT_RECOMMENDATIONS,
            "voluntary commitments",
        ),
        ("Peru pledged to submit its mid-term report.", Role.NOT_RECOMMENDATIONS, ""),
        (
            "Kenya explained its position on the recommendations below as follows:",
            Role.NOT_RECOMMENDATIONS,
            "explanations",
        ),
        (
            ("With regard to recommendations in paragraph 103.1 above, Kenya indicated that the "
            "public had overwhelmingly rejected the abolition of the death penalty."),
            Role.NOT_RECOMMENDATIONS,
            "explanations",
        ),
        (
            ("In the view of the Delegation of Azerbaijan the remarks and recommendations in "
            "paragraph 74 are not relevant."),
            Role.NOT_RECOMMENDATIONS,
            "explanations",
        ),
        (
            ("At the request of the State under review, the recommendations put forward to Serbia "
            "and to the Mission are grouped separately."),
            Role.NOT_RECOMMENDATIONS,
            "procedural note",
        ),
        (
            "In the course of the discussion, the following recommendations were made to Peru:",
            Role.NEUTRAL,
            "",
        ),
        (
            ("The recommendations formulated during the interactive dialogue have been examined "
            "by Iceland and are listed below."),
            Role.INTRODUCTION,
            "",
        ),
        ("The troika thanked the interpreters.", Role.UNKNOWN, ""),
        ("", Role.UNKNOWN, ""),
    ],
)
def test_read_paragraph_roles(paragraph: str, role: Role, what: str) -> None:
    reading = read_paragraph(paragraph)
    assert reading.role is role
    if what:
        assert reading.what == what


def test_reasons_for_a_rejection_do_not_hide_the_rejected_list() -> None:
    reading = read_paragraph(
        "The recommendations listed below were rejected by Azerbaijan for the following reasons:"
        " (a) they were submitted by Armenia; and (b) they are not within the scope of the UPR:"
    )
    assert (reading.role, reading.position) == (Role.POSITION, P.NOTED)
