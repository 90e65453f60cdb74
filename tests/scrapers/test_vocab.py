"""scrapers.vocab: lead-in wordings of WG reports and position labels of other sources."""

from __future__ import annotations

import pytest

from scrapers.errors import LayoutChanged
from scrapers.records import Position
from scrapers.vocab import classify_lead_in, is_neutral_lead_in, normalise_position

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
