"""What a thematic list's title says about its review: State, WG session and cycle."""

from __future__ import annotations

import re

from scrapers.countries import to_iso3
from scrapers.upr_matrix import _cells

_F = re.IGNORECASE
_TITLE_UPR_OF = re.compile(r"UPR\s+of\s+(?P<state>[^(\t\n]+?)\s*\((?P<rest>[^)]*)\)", _F)
_WG_SESSION = re.compile(
    r"\b(?:UPR\s?(?P<a>\d{1,2})\b|(?P<b>\d{1,2})\s?(?:st|nd|rd|th)\s+Session)", _F
)
_CYCLE = re.compile(
    r"\b(?:(?P<n>\d)\s?(?:st|nd|rd|th)|(?P<w>first|second|third|fourth|fifth))\s+cycle\b", _F
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def from_title(title: str) -> tuple[str | None, int | None, int | None]:
    """(ISO3, WG session, cycle) printed in the title, each None when absent."""
    upr_of = _TITLE_UPR_OF.search(title)
    iso3 = to_iso3(upr_of.group("state")) if upr_of else None
    if iso3 is None:
        iso3 = _state_in(title)
    session = _WG_SESSION.search(title)
    cycle = _CYCLE.search(title)
    return (
        iso3,
        int(session.group("a") or session.group("b")) if session else None,
        (int(cycle.group("n")) if cycle.group("n") else _ORDINALS[cycle.group("w").lower()])
        if cycle
        else None,
    )


def _state_in(title: str) -> str | None:
    """The one State named in the title lines (longest names first); None if none or several."""
    found: set[str] = set()
    for line in title.split("\n")[:6]:
        words = re.findall(r"[\w'\u2019\-]+|\([^)]*\)", line)
        for size in range(6, 0, -1):
            for i in range(len(words) - size + 1):
                code = _cells.state_code(" ".join(words[i : i + size]))
                if code:
                    found.add(code)
    return found.pop() if len(found) == 1 else None
