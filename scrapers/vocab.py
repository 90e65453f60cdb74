"""Position vocabularies, in one place: how documents word a State's position on recommendations.

Two entry points: ``classify_lead_in`` reads the lead-in paragraph of a WG report block
("The following recommendations enjoy the support of X:"), ``normalise_position`` maps short
labels from thematic lists, UPR Info and UHRI ("Supported", "Noted", "Supported/Noted").
"""

from __future__ import annotations

import re

from scrapers.errors import LayoutChanged
from scrapers.records import Position

__all__ = ["classify_lead_in", "is_neutral_lead_in", "normalise_position"]

_P = Position

# Order matters, each step for a reason found in real lead-ins:
# 1. "the response of X ... will be included in the outcome report" / "will provide responses":
#    the position is deferred even when the paragraph previews it ("there are some that enjoy the
#    support of Nigeria ... others which do not enjoy the support", A/HRC/11/26);
# 2. negative wordings before "enjoy"/"accept", which they contain ("did not enjoy the support");
# 3. partial before plain support;
# 4. "already implemented" before a bare "noted" ("The following recommendations are noted and
#    China indicated that they ... had already been implemented" is coded as supported);
# 5. other "noted" wordings, then support;
# 6. "will be examined" last, because supported and noted lead-ins also say "have been examined".
_LEAD_IN_RULES: tuple[tuple[Position, re.Pattern[str]], ...] = tuple(
    (position, re.compile(pattern, re.IGNORECASE))
    for position, pattern in (
        (_P.PENDING, r"\bresponses?\b.{0,120}\bwill be included in the outcome report\b"),
        (_P.PENDING, r"\bwill provide (?:its |the |their )?responses?\b|\bwill respond in due\b"),
        (_P.NOTED, r"\b(?:did|do|does) not (?:enjoy|have|receive|obtain) (?:the |its )?support"),
        (_P.NOTED, r"\b(?:not|cannot|never) (?:be )?(?:support|accept)(?:s|ed)?\b"),
        (_P.NOTED, r"\b(?:not in a position|unable) to (?:support|accept)\b|\bdeclined?\b"),
        (_P.NOTED, r"\b(?:were|was|are|is|been) rejected\b|\brejects?\b"),
        (_P.NOTED, r"\bdo(?:es)? not reflect the (?:current|actual) situation\b"),
        (_P.PARTIALLY_SUPPORTED, r"\b(?:partially|partly) (?:supported|accepted)\b"),
        (_P.PARTIALLY_SUPPORTED, r"\b(?:support|accept)s? (?:in part|partially)\b"),
        (
            _P.PARTIALLY_SUPPORTED,
            r"\benjoys? (?:the |its )?(?:partial )?support\b[^.:]{0,60}\bin part\b",
        ),
        (
            _P.SUPPORTED,
            (
                r"\balready (?:being |been )?implemented\b|\bin the process of (?:being )?implement"
                r"|\b(?:have|has) been implemented\b|\b(?:are|is) (?:currently )?being implemented\b"
            ),
        ),
        (_P.NOTED, r"\b(?:will|shall) (?:thus |therefore )?be noted\b"),
        (_P.NOTED, r"\b(?:examined by .{1,80}? and|(?:were|was|are|is|been)) noted\b"),
        (_P.NOTED, r"\btakes? note of\b|\btook note of\b|\bnoted the following\b"),
        (_P.SUPPORTED, r"\benjoys? (?:the |its )?support\b"),
        (_P.SUPPORTED, r"\b(?:were|was|are|is|been) (?:accepted|supported)\b"),
        (_P.SUPPORTED, r"\b(?:accepts?|supports)\b"),
        (_P.SUPPORTED, r"\bagrees? to (?:follow up|implement)"),
        (_P.PENDING, r"\bwill be (?:further )?(?:examined|considered|studied)\b"),
        (
            _P.PENDING,
            r"\bresponses?\b.{0,80}\bwill be provided\b|\bwill be provided in due course\b",
        ),
        (_P.PENDING, r"\bwill (?:examine|consider|study)\b.{0,80}\brecommendations?\b"),
    )
)

# Early cycle-1 reports only list what was said: "In the course of the discussion, the following
# recommendations were made to X:". Such a list states no position; the report defers it.
_NEUTRAL = re.compile(
    r"\b(?:recommendations|conclusions) were made\b|\bin the course of the (?:interactive )?"
    r"(?:discussion|dialogue)\b",
    re.IGNORECASE,
)

_SENTENCE_END = re.compile(r"(?<=[.:;])\s+(?=[A-Z(])")


def classify_lead_in(text: str) -> tuple[Position, str]:
    """Position stated by a WG-report lead-in paragraph, with the sentence that states it.

    The wording is returned verbatim (whitespace collapsed), so nuances the Position enum cannot
    hold, such as "already implemented or in the process of implementation", are kept.
    An unclassifiable lead-in raises LayoutChanged: a new wording must be added here, not guessed.
    """
    flat = " ".join(text.split())
    for position, pattern in _LEAD_IN_RULES:
        match = pattern.search(flat)
        if match:
            return position, _sentence_around(flat, match.start())
    raise LayoutChanged(f"unclassifiable lead-in paragraph: {flat[:160]!r}")


def is_neutral_lead_in(text: str) -> bool:
    """True for a lead-in that lists recommendations made without stating any position."""
    return bool(_NEUTRAL.search(" ".join(text.split())))


def _sentence_around(flat: str, offset: int) -> str:
    """The sentence of ``flat`` that contains ``offset``, without its final colon."""
    start = 0
    for boundary in _SENTENCE_END.finditer(flat):
        if boundary.start() >= offset:
            return flat[start : boundary.start()].rstrip(" :;.")
        start = boundary.end()
    return flat[start:].rstrip(" :;.")


_LABELS: tuple[tuple[Position, re.Pattern[str]], ...] = tuple(
    (position, re.compile(pattern, re.IGNORECASE))
    for position, pattern in (
        (
            _P.PARTIALLY_SUPPORTED,
            r"^(?:supported|accepted)\s*/\s*noted$|\bin part\b|\bpartial(?:ly)?\b",
        ),
        (
            _P.NOTED,
            r"^(?:noted|not supported|not accepted|rejected|did not enjoy (?:the )?support)\b",
        ),
        (_P.SUPPORTED, r"^(?:supported|accepted|already implemented|enjoys? (?:the )?support)\b"),
        (
            _P.PENDING,
            (
                r"^(?:pending|will be examined|under consideration|consideration|considered"
                r"|examined|to be examined|deferred)$"
            ),
        ),
    )
)


def normalise_position(label: str) -> Position | None:
    """Map a source's position label to a Position; None for labels we do not know (report them)."""
    flat = " ".join(label.replace("\u2011", "-").split()).strip(" .;:").lower()
    if not flat:
        return None
    for position, pattern in _LABELS:
        if pattern.search(flat):
            return position
    return None


def cycle_for_wg_session(session: int) -> int | None:
    """UPR cycle of a Working Group session: 1–12 → 1, then 14 sessions a cycle (13–26 → 2,
    27–40 → 3, 41–54 → 4)."""
    if session < 1:
        return None
    return 1 if session <= 12 else 2 + (session - 13) // 14


def cycle_for_hrc_session(session: int) -> int | None:
    """UPR cycle of the HRC session that adopted a WG report (the n in ``A/HRC/n/..``).

    Cycle 1: WG 1–12 adopted at HRC 8–19 (Iceland, WG 12: A/HRC/19/13); cycle 2: WG 13–26, HRC
    21–34; cycle 3: WG 27–40, HRC 36–50; cycle 4: WG 41–54, from HRC 52. A postponed review can
    fall outside these: pass the cycle explicitly then.
    """
    if session < 8:
        return None
    for cycle, last in enumerate((19, 34, 50, 66), start=1):
        if session <= last:
            return cycle
    return None
