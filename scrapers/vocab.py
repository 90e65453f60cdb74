"""Position vocabularies, in one place: how documents word a State's position on recommendations.

Three entry points: ``read_paragraph`` says what a numbered paragraph of a WG report's conclusions
is (a lead-in stating a position, a neutral list, the State's comments, a procedural note ...),
``classify_lead_in`` gives the position a lead-in states ("The following recommendations enjoy
the support of X:"), ``normalise_position`` maps short labels from thematic lists, UPR Info and
UHRI ("Supported", "Noted", "Supported/Noted").

Wordings are matched by meaning, not as fixed sentences: verb families (enjoy / have / receive
... support; accept / support / endorse; reject / decline; note; examine / consider) in any tense,
with or without a negation, so "enjoyed its support", "have the support of X" and "were not
accepted" need no rule of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from scrapers.errors import LayoutChanged
from scrapers.records import Position

__all__ = [
    "Reading",
    "Role",
    "classify_lead_in",
    "is_neutral_lead_in",
    "normalise_position",
    "read_paragraph",
]

_P = Position

_NEG = r"(?:not in a position to|not|never|no longer|cannot|can not|unable to)"
_HAVE = (
    r"(?:enjoy(?:s|ed|ing)?|ha(?:ve|s|d)|receive[sd]?|obtain(?:s|ed)?|gain(?:s|ed)?"
    r"|command(?:s|ed)?|garner(?:s|ed)?|(?:meet|meets|met) with)"
)
_SUPPORT = r"(?:(?:the|its|their|full|general|broad) ){0,2}support\b"
_AGREE = r"(?:support|accept|endorse)(?:s|ed)?"

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
        (
            _P.PENDING,
            (
                r"\bwill (?:provide|give|submit|present) (?:its |the |their |a )?"
                r"(?:responses?|replies|answers?)\b|\bwill (?:respond|reply)\b"
            ),
        ),
        (_P.NOTED, rf"\b{_NEG} (?:yet )?{_HAVE} {_SUPPORT}"),
        (_P.NOTED, rf"\b{_NEG} (?:be |been |being )?{_AGREE}\b|\bnot (?:acceptable|agreeable)\b"),
        (_P.NOTED, r"\breject(?:s|ed|ion)?\b|\bdecline[sd]?\b"),
        (_P.NOTED, r"\bdo(?:es)? not reflect the (?:current|actual) situation\b"),
        (_P.PARTIALLY_SUPPORTED, r"\b(?:partially|partly) (?:supported|accepted|enjoy)"),
        (_P.PARTIALLY_SUPPORTED, rf"\b{_AGREE} (?:in part|partially|partly)\b|\bpartial support\b"),
        (_P.PARTIALLY_SUPPORTED, rf"\b{_HAVE} {_SUPPORT}[^.:]{{0,60}}\bin part\b"),
        (
            _P.SUPPORTED,
            (
                r"\balready (?:being |been )?implemented\b|\bin the process of (?:being )?implement"
                r"|\b(?:have|has) been implemented\b|\b(?:are|is) (?:currently )?being implemented\b"
            ),
        ),
        (_P.NOTED, r"\b(?:will|shall) (?:thus |therefore )?be noted\b"),
        (
            _P.NOTED,
            r"\b(?:examined by .{1,80}? and|(?:were|was|are|is|been|being)) (?:duly )?noted\b",
        ),
        (
            _P.NOTED,
            (
                r"\b(?:takes?|took|taken) note of\b|\bnoted the following\b"
                r"|\bnotes? (?:the following|these|those) recommendations\b"
            ),
        ),
        (_P.SUPPORTED, rf"\b{_HAVE} {_SUPPORT}"),
        (
            _P.SUPPORTED,
            r"\b(?:were|was|are|is|been|being) (?:fully )?(?:accepted|supported|endorsed)\b",
        ),
        (_P.SUPPORTED, r"\b(?:accepts?|accepted|supports|supported|endorses|endorsed)\b"),
        (_P.SUPPORTED, r"\bagree[sd]? to (?:follow up|implement|accept|support)"),
        (
            _P.PENDING,
            r"\bwill be (?:further |carefully )?(?:examined|considered|studied|reviewed|assessed)\b",
        ),
        (
            _P.PENDING,
            r"\bresponses?\b.{0,80}\bwill be provided\b|\bwill be provided in due course\b",
        ),
        (
            _P.PENDING,
            r"\bwill (?:further )?(?:examine|consider|study|review)\b.{0,80}\brecommendations?\b",
        ),
        (
            _P.PENDING,
            r"\b(?:under|for (?:further )?)(?:consideration|examination)\b|\bto be examined\b",
        ),
    )
)

# Early cycle-1 reports only list what was said: "In the course of the discussion, the following
# recommendations were made to X:". Such a list states no position; the report defers it.
_NEUTRAL = re.compile(
    r"\b(?:recommendations|conclusions) (?:were|have been) (?:made|formulated|put forward|presented)\b"
    r"|\bin the course of the (?:interactive )?(?:discussion|dialogue)\b",
    re.IGNORECASE,
)
# What a paragraph lists when it is not recommendations: the State's comments, its voluntary
# commitments or explanations ("Kenya offered the following comments:"). Reasons are not on the
# list: "rejected ... for the following reasons:" still introduces the rejected recommendations.
_OTHER_NOUNS = (
    r"(?:comments?|(?:voluntary )?commitments?|pledges?|explanations?|observations?|remarks?"
    r"|clarifications?|replies|views|statements?|information|answers?)"
)
_OTHER_LIST = re.compile(
    rf"\bfollowing (?:[a-z\-]+ ){{0,2}}?(?P<noun>{_OTHER_NOUNS})\b"
    rf"|\b(?P<noun2>{_OTHER_NOUNS}) (?:are |were |is )?(?:listed |set out |given |presented )?below\b"
    r"|\b(?P<verb>explain|comment|clarif|elaborat|respond|repl)\w*\b[^.:;]{0,80}?\bas follows\b"
    r"|\b(?P<verb2>explained|commented|clarified|responded|replied|stated)\s*:",
    re.IGNORECASE,
)
_COMMITMENTS = re.compile(
    r"\b(?:commitments?|pledge[sd]?|committed (?:itself )?to|undert(?:ook|akes?) to)\b",
    re.IGNORECASE,
)
_REC_LIST_AFTER = re.compile(r"\bfollowing recommendations?\b", re.IGNORECASE)
# A statement by or about the State rather than a position: "Kenya indicated that ...",
# "In the view of the Delegation ...", "With regard to recommendations in paragraph 103.1 ...".
_EXPLANATION = re.compile(
    r"\bin the view of\b|\b(?:is|was|are|were) of the (?:view|opinion)\b"
    r"|\b(?:indicated|stated|explained|clarified|noted|considers?|considered|believes?|believed"
    r"|emphasi[sz]ed|stressed|underlined|reiterated|recalled|pointed out|informed|added"
    r"|affirmed|reaffirmed|highlighted|mentioned|observed|maintained|said|declared|expressed"
    r"|(?:wished|wishes|would like) to \w+)\s+(?:[\w\u2019'-]+\s+){0,3}?that\b"
    r"|(?:^|[.;]\s+)(?:with regard to|regarding|concerning|as regards|in relation to|with respect to"
    r"|as for)\s+(?:the\s+)?recommendations?\s+(?:\w+\s+){0,3}?(?:paragraphs?\s+)?\d",
    re.IGNORECASE,
)
_PROCEDURAL = re.compile(
    r"\bat the request of\b|\bfor (?:technical|procedural|editorial) reasons\b|\bput forward to\b"
    r"|\b(?:withdrawn|clustered|merged|reformulated|renumbered|annexed)\b|\bin (?:the )?annex\b"
    r"|\bthe working group (?:decided|agreed|adopted|took)\b",
    re.IGNORECASE,
)
_ANNOUNCES = re.compile(r":\s*$|\bfollowing\b|\bbelow\b", re.IGNORECASE)
_INTRODUCTION = re.compile(
    r"\b(?:are|were|is|have been|has been) (?:listed|set out|reproduced|presented|grouped)\b"
    r"|\bexamined by\b|\bformulated during\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.:;])\s+(?=[A-Z(])")


class Role(StrEnum):
    """What a numbered paragraph of the conclusions is, which decides what its items are."""

    POSITION = "position"  # states a position on recommendations (listed under it or elsewhere)
    NEUTRAL = "neutral"  # lists recommendations made, states no position (cycle 1)
    INTRODUCTION = "introduction"  # "have been examined by X and are listed below."
    NOT_RECOMMENDATIONS = "not_recommendations"  # comments, commitments, explanations, notes
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Reading:
    """The role of a paragraph; the position and its sentence when it states one; for other
    paragraphs, what they hold ("comments", "voluntary commitments", "explanations" ...)."""

    role: Role
    position: Position | None = None
    wording: str = ""
    what: str = ""


def read_paragraph(text: str) -> Reading:
    """What a numbered paragraph of the conclusions says, judged from its wording alone.

    A paragraph that lists something other than recommendations wins over any position it
    mentions ("... recommendations that did not enjoy its support, Kenya offered the following
    comments:" lists comments). A statement that announces no list and reports what the State
    said is an explanation even when it uses position words ("Kenya indicated that the public
    had rejected ..."). Otherwise the stated position decides.
    """
    flat = " ".join(text.split())
    if not flat:
        return Reading(Role.UNKNOWN)
    other = _other_list(flat)
    if other:
        return Reading(Role.NOT_RECOMMENDATIONS, what=other, wording=flat)
    statement = _statement_kind(flat)
    if statement and not _ANNOUNCES.search(flat):
        return Reading(Role.NOT_RECOMMENDATIONS, what=statement, wording=flat)
    found = _position(flat)
    if found:
        return Reading(Role.POSITION, found[0], found[1])
    if _NEUTRAL.search(flat):
        return Reading(Role.NEUTRAL, wording=flat)
    if statement:
        return Reading(Role.NOT_RECOMMENDATIONS, what=statement, wording=flat)
    if _INTRODUCTION.search(flat) and "recommendation" in flat.lower():
        return Reading(Role.INTRODUCTION, wording=flat)
    return Reading(Role.UNKNOWN, wording=flat)


def _other_list(flat: str) -> str | None:
    """Name of what the paragraph lists when that is not recommendations, else None."""
    match = None
    for match in _OTHER_LIST.finditer(flat):
        pass
    if match is not None and not _REC_LIST_AFTER.search(flat, match.end()):
        noun = match.group("noun") or match.group("noun2")
        return noun.lower() if noun else "explanations"
    if _COMMITMENTS.search(flat) and "recommendation" not in flat.lower():
        return "voluntary commitments"
    return None


def _statement_kind(flat: str) -> str | None:
    if _EXPLANATION.search(flat):
        return "explanations"
    if _PROCEDURAL.search(flat):
        return "procedural note"
    return None


def _position(flat: str) -> tuple[Position, str] | None:
    for position, pattern in _LEAD_IN_RULES:
        match = pattern.search(flat)
        if match:
            return position, _sentence_around(flat, match.start())
    return None


def classify_lead_in(text: str) -> tuple[Position, str]:
    """Position stated by a WG-report lead-in paragraph, with the sentence that states it.

    The wording is returned verbatim (whitespace collapsed), so nuances the Position enum cannot
    hold, such as "already implemented or in the process of implementation", are kept.
    A lead-in stating no position raises LayoutChanged: callers decide what that costs (the
    WG report parser reports the paragraph as a problem and reads on).
    """
    flat = " ".join(text.split())
    found = _position(flat)
    if found is None:
        raise LayoutChanged(f"unclassifiable lead-in paragraph: {flat[:160]!r}")
    return found


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
