"""The totals paragraph of an addendum ("215 recommendations ... 58 ... 124 ... 33") as numbers.

Wordings seen: cycle 2 "report contains 163 recommendations ... accepts 142 recommendations ...
notes 21 recommendations"; cycle 3 "received 215 recommendations ..., of which 58 were
immediately supported ... the remaining 157 recommendations, of which 124 are now supported and
33 noted"; cycle 4 "received 254 recommendations ... of which 217 are supported and 37 noted".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AddendumTotals", "parse_addendum_totals"]

_N = r"(\d{1,3})"


def _wordings(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """One count's wordings, tried in order, case-insensitive."""
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


_RECEIVED = _wordings(
    rf"\b(?:received|contains|containing|made|total\s+of)\s+{_N}\s+recommendations",
    rf"\b{_N}\s+recommendations\s+(?:were|have\s+been)\s+(?:received|made)",
)
_AT_REVIEW = _wordings(
    rf"\bof\s+which\s+{_N}\s+(?:were|was|have\s+been)\s+(?:immediately|already)\s+"
    r"(?:supported|accepted)",
    rf"\b{_N}\s+(?:recommendations\s+)?(?:were|was)\s+(?:supported|accepted)\s+"
    r"(?:during|at)\s+the\s+(?:review|interactive\s+dialogue)",
)
_REMAINING = _wordings(
    rf"\bremaining\s+{_N}\s+recommendations", rf"\b{_N}\s+(?:pending|deferred)\s+recommendations"
)
_PARTIAL = _wordings(
    rf"\b{_N}\s+(?:recommendations\s+)?(?:are\s+|were\s+)?(?:now\s+)?partially\s+"
    r"(?:supported|accepted)",
    rf"\bpartially\s+(?:supports|accepts)\s+{_N}\s+recommendations",
)
_SUPPORTED = _wordings(
    rf"\b{_N}\s+(?:recommendations\s+)?(?:are\s+|were\s+|have\s+been\s+)?(?:now\s+)?"
    r"(?:supported|accepted)",
    rf"\b(?:supports|accepts)\s+(?:a\s+total\s+of\s+)?{_N}\s+recommendations",
)
_NOTED = _wordings(
    rf"\b{_N}\s+(?:recommendations\s+)?(?:are\s+|were\s+|have\s+been\s+)?(?:now\s+)?noted",
    rf"\b(?:notes|takes\s+note\s+of)\s+{_N}\s+recommendations",
)
_WINDOW = 4000


@dataclass(frozen=True)
class AddendumTotals:
    """Counts stated by the addendum; None where the text does not state one."""

    received: int | None
    supported_at_review: int | None
    remaining: int | None
    supported: int | None
    noted: int | None
    partially_supported: int | None
    text: str

    @property
    def answered_here(self) -> int | None:
        """How many recommendations this document should give a position for."""
        if self.remaining is not None:
            return self.remaining
        if self.received is not None and self.supported_at_review is not None:
            return self.received - self.supported_at_review
        parts = [n for n in (self.supported, self.noted, self.partially_supported) if n is not None]
        return sum(parts) if parts else self.received

    def inconsistencies(self) -> list[str]:
        """Arithmetic the stated numbers fail (supported + noted = what is answered here)."""
        problems: list[str] = []
        answered = self.answered_here
        parts = [n for n in (self.supported, self.noted, self.partially_supported) if n is not None]
        if parts and answered is not None and sum(parts) != answered:
            problems.append(f"stated supported/noted/partial {parts} do not add up to {answered}")
        received, at_review, remaining = self.received, self.supported_at_review, self.remaining
        if (
            received is not None
            and at_review is not None
            and remaining is not None
            and at_review + remaining != received
        ):
            problems.append(f"{at_review} + {remaining} != {received} received")
        return problems


def parse_addendum_totals(text: str) -> AddendumTotals | None:
    """Read the totals from the introduction (the first paragraphs); None when none is stated."""
    window = " ".join(text[:_WINDOW].split())
    taken: list[tuple[int, int]] = []
    received = _first(_RECEIVED, window, taken)
    at_review = _first(_AT_REVIEW, window, taken)
    remaining = _first(_REMAINING, window, taken)
    partial = _first(_PARTIAL, window, taken)
    supported = _first(_SUPPORTED, window, taken)
    noted = _first(_NOTED, window, taken)
    if all(n is None for n in (received, at_review, remaining, partial, supported, noted)):
        return None
    start = min(s for s, _ in taken)
    end = max(e for _, e in taken)
    return AddendumTotals(
        received, at_review, remaining, supported, noted, partial, window[start:end]
    )


def _first(
    patterns: tuple[re.Pattern[str], ...], text: str, taken: list[tuple[int, int]]
) -> int | None:
    """First match of any pattern not overlapping a span already read (so "58 were immediately
    supported" is not read again as the supported count)."""
    best: re.Match[str] | None = None
    for pattern in patterns:
        for match in pattern.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            if best is None or match.start() < best.start():
                best = match
            break
    if best is None:
        return None
    taken.append(best.span())
    return int(best.group(1))
