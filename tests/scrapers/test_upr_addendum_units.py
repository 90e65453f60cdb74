"""Addendum parser units: number lists (SOURCES.md §3.2 traps), totals, reply wording and cycles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrapers.records import Position
from scrapers.upr_addendum import (
    classify_reply,
    cycle_for_hrc_session,
    parse_addendum_totals,
    scan_number_list,
)

# --- number lists ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed, parent, expected",
    [
        ("14–16", 115, ["115.14", "115.15", "115.16"]),
        ("122.17-18", None, ["122.17", "122.18"]),
        ("122.1-122.3", None, ["122.1", "122.2", "122.3"]),
        ("122.34- 35", None, ["122.34", "122.35"]),
        ("150 – 152", 115, ["115.150", "115.151", "115.152"]),
        ("122.14– 15", None, ["122.14", "122.15"]),
        ("14–\n16", 115, ["115.14", "115.15", "115.16"]),
        ("140.35. 140.36", None, ["140.35", "140.36"]),
        ("140.116. 140.117.", None, ["140.116", "140.117"]),
        ("122.141-144,122.146", None, ["122.141", "122.142", "122.143", "122.144", "122.146"]),
        ("1–3, 5 and 7", 115, ["115.1", "115.2", "115.3", "115.5", "115.7"]),
        ("140.82-85, 87", None, ["140.82", "140.83", "140.84", "140.85", "140.87"]),
        ("140.120, 209", None, ["140.120", "140.209"]),
        ("122.108-14", None, [f"122.{n}" for n in range(108, 115)]),
        ("122.62\u2011\n 66", None, [f"122.{n}" for n in range(62, 67)]),
    ],
)
def test_number_list_traps(printed, parent, expected):
    assert scan_number_list(printed, parent=parent).numbers == expected


def test_number_list_stops_at_prose_and_flags_lost_separators():
    text = "122.1, 122.2 and wishes to add 3 things"
    found = scan_number_list(text)
    assert (
        found.numbers == ["122.1", "122.2"] and text[found.end :] == " and wishes to add 3 things"
    )
    broken = scan_number_list("122.60, 122.6266, 122.68")
    assert broken.numbers == ["122.60"] and "numbers may be lost" in broken.warnings[0]
    assert scan_number_list("1–5", parent=None).needs_parent == ["1-5"]


@given(
    st.lists(st.integers(1, 300), min_size=1, max_size=40, unique=True),
    st.sampled_from([", ", ",", ". ", " and ", ",\n"]),
    st.sampled_from(["-", "–", " – ", "- ", "–\n"]),
)
def test_number_list_round_trip(items, sep, dash):
    items = sorted(items)
    runs: list[list[int]] = []
    for n in items:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    printed = sep.join(f"99.{r[0]}" + (f"{dash}{r[-1]}" if len(r) > 1 else "") for r in runs)
    assert scan_number_list(printed).numbers == [f"99.{n}" for n in items]


# --- totals, replies, cycles ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            (
                "The Working Group's report contains 163 recommendations. The Government of "
                "Slovenia accepts 142 "
                "recommendations. For the time being, the Government notes 21 recommendations."
            ),
            (163, None, None, 142, 21),
        ),
        (
            (
                "Slovenia received 254 recommendations from UN member states. With this "
                "document, Slovenia sets out its "
                "position on all recommendations, of which 217 are supported and 37 noted."
            ),
            (254, None, None, 217, 37),
        ),
    ],
)
def test_totals_wordings(text, expected):
    totals = parse_addendum_totals(text)
    assert (
        totals.received,
        totals.supported_at_review,
        totals.remaining,
        totals.supported,
        totals.noted,
    ) == expected
    assert totals.inconsistencies() == []


def test_totals_that_do_not_add_up_are_reported():
    totals = parse_addendum_totals(
        "received 20 recommendations, of which 5 were immediately supported ... "
        "the remaining 15 recommendations, of which 10 are now supported and 4 noted"
    )
    assert totals.inconsistencies() == [
        "stated supported/noted/partial [10, 4] do not add up to 15"
    ]
    assert parse_addendum_totals("no numbers here") is None


@pytest.mark.parametrize(
    "reply, position",
    [
        ("Slovenia accepts the recommendation.", Position.SUPPORTED),
        ("Slovenia cannot accept the recommendation.", Position.NOTED),
        ("The Government takes note of this recommendation.", Position.NOTED),
        ("Slovenia partially accepts the recommendation.", Position.PARTIALLY_SUPPORTED),
        (
            "Slovenia accepts the recommendation and notes that it already acts accordingly.",
            Position.SUPPORTED,
        ),
        ("Slovenia cannot, at this point in time, make a definitive statement.", None),
        ("Slovenia will consider the recommendation.", None),
        ("Slovenia agrees with the importance of the programme.", None),
    ],
)
def test_classify_reply(reply, position):
    assert classify_reply(reply).position is position


@pytest.mark.parametrize(
    "symbol, cycle",
    [
        ("A/HRC/43/15", 3),
        ("A/HRC/28/15", 2),
        ("A/HRC/14/15", 1),
        ("A/HRC/59/15", 4),
        ("A/HRC/24/13", 2),
        ("A/HRC/11/20", 1),
        ("A/HRC/39/14", 3),
        ("A/HRC/19/13", 1),
        ("A/HRC/8/29", 1),
        ("A/HRC/22/11", 2),
    ],
)
def test_cycle_from_the_hrc_session_of_the_symbol(symbol, cycle):
    assert cycle_for_hrc_session(int(symbol.split("/")[2])) == cycle
