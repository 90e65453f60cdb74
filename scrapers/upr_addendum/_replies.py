"""Cycle 1 (and tabular addenda): a reply per item number, the position to be read from prose.

``5., 6., 7., 8., 9.   The Slovenian Government accepts these recommendations. ...``; key groups
may wrap (``40., 41., 42.,`` / ``43., 44.``), tables may print a label first (``122.3 Noted ...``).
Prose is classified conservatively: a reply that is not clearly accepted, partly accepted or
refused is never guessed; the caller reports it for human review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapers.records import Position
from scrapers.vocab import normalise_position

__all__ = ["Reply", "ReplyVerdict", "classify_reply", "read_replies"]

_F = re.IGNORECASE
_KEY = r"(?:\d{1,3}\.\d{1,3}\.?(?!\d)|\d{1,3}\.(?!\d))"
_KEY_LINE = re.compile(
    rf"^(?:(?:Recs?\.?|Recommendations?)\s*)?(?P<keys>{_KEY}(?:\s*,\s*{_KEY})*)(?P<open>\s*,)?(?:\s+(?P<rest>\S.*))?$",
    _F,
)
_PROSE_START = re.compile(r"^[A-Z\u201c\"'(\u2018]")
_LABEL = re.compile(
    r"^(?P<label>(?:Partially|Partly)\s+(?:supported|accepted)|Supported\s*/\s*Noted|Accepted\s*/\s*Noted|"
    r"Not\s+(?:supported|accepted)|Supported|Accepted|Noted|Rejected)\b[\s.:;,\-]*",
    _F,
)
_NEG = (
    r"(?:cannot|can\s?not|does\s+not|do\s+not|will\s+not|could\s+not"
    r"|is\s+(?:not\s+in\s+a\s+position|unable)\s+to)"
)
_OBJ = r"(?:\s+(?:the|this|these|all|both|such|that|those))?\s+recommendations?\b"
_REFUSE = re.compile(
    rf"\b{_NEG}\s+(?:accept|support){_OBJ}|\breject(?:s|ed)?{_OBJ}|{_OBJ}\s+(?:is|are)\s+"
    r"(?:not\s+(?:accepted|supported)|rejected)",
    _F,
)
_ACCEPT = re.compile(
    rf"(?<!not )(?<!cannot )\b(?:accepts?|supports?|agrees?\s+to\s+implement){_OBJ}", _F
)
_NOTE = re.compile(
    rf"\b(?:takes?|took)\s+note\s+of{_OBJ}|\bnotes{_OBJ}(?!\s+(?:that|on|regarding))", _F
)
_PARTIAL = re.compile(
    r"\b(?:partially|partly|in\s+part)\b[^.]{0,40}\b(?:accept|support)|"
    r"\b(?:accepts?|supports?)\b[^.]{0,60}\b(?:partially|in\s+part)\b",
    _F,
)
_UNCLEAR = re.compile(
    r"definitive\s+(?:statement|position|answer)|not\s+(?:yet\s+)?in\s+a\s+position\s+to\s+"
    r"(?:respond|decide|take)|will\s+(?:consider|examine|study)(?:\s+\w+){0,2}\s+recommendations?"
    r"|(?:is|are)\s+(?:still\s+)?(?:being\s+)?(?:considered|examined)\b",
    _F,
)
_IMPLEMENTED = re.compile(
    r"already\s+(?:been\s+)?implemented|(?:has|have)\s+already\s+implemented|"
    r"already\s+act(?:s|ed)?\s+accordingly|(?:has\s+)?always\s+acted\s+accordingly|"
    r"in\s+(?:the\s+)?process\s+of\s+implementation|(?:is|are)\s+already\s+being\s+implemented",
    _F,
)


@dataclass(frozen=True)
class ReplyVerdict:
    """How a reply reads: a position (None = needs a human), the words that say it, and why."""

    position: Position | None
    wording: str
    implemented: bool
    reason: str


@dataclass
class Reply:
    keys: list[str]
    printed: str
    lines: list[str] = field(default_factory=list)
    open: bool = False

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.lines).split())


def read_replies(text: str) -> list[Reply]:
    """Key groups and the reply text under each, in document order."""
    replies: list[Reply] = []
    seen: set[str] = set()
    for line in text.split("\n"):
        match = _KEY_LINE.match(line)
        current = replies[-1] if replies else None
        if match and _is_key_line(match, current, seen):
            keys = _keys(match.group("keys"))
            rest = match.group("rest") or ""
            if current is not None and current.open:
                current.keys.extend(keys)
                current.printed += " " + match.group("keys")
                current.lines.append(rest)
                current.open = bool(match.group("open"))
            else:
                replies.append(
                    Reply(
                        keys, match.group("keys"), [rest] if rest else [], bool(match.group("open"))
                    )
                )
            seen.update(keys)
        elif current is not None:
            current.lines.append(line)
    return replies


def _is_key_line(match: re.Match[str], current: Reply | None, seen: set[str]) -> bool:
    """A key line, not prose that happens to start with "12." (new numbers only, prose after)."""
    keys = _keys(match.group("keys"))
    if any(k in seen for k in keys):
        return False
    if any("." not in k and int(k) > 400 for k in keys):
        return False
    rest = match.group("rest")
    continuing = current is not None and current.open
    return not rest or continuing or bool(_PROSE_START.match(rest))


def _keys(printed: str) -> list[str]:
    """``"5., 6., 7."`` -> ["5", "6", "7"]; ``"122.3"`` -> ["122.3"]."""
    return [k.strip().rstrip(".") for k in printed.split(",") if k.strip()]


def classify_reply(text: str) -> ReplyVerdict:
    """Read the State's position out of a free-text reply, conservatively.

    Accepts alone -> supported; refuses / takes note alone -> noted; accepts one part and refuses
    another, or says "partially" -> partially supported; anything else (no signal, "cannot make a
    definitive statement", acceptance mixed with an open question) -> position None.
    """
    flat = " ".join(text.split())
    label = _LABEL.match(flat)
    if label:
        position = normalise_position(label.group("label"))
        if position is not None:
            return ReplyVerdict(
                position, label.group("label"), bool(_IMPLEMENTED.search(flat)), "label"
            )
    accept, refuse = _ACCEPT.search(flat), _REFUSE.search(flat) or _NOTE.search(flat)
    unclear, partial = _UNCLEAR.search(flat), _PARTIAL.search(flat)
    if partial and not unclear:
        return ReplyVerdict(
            Position.PARTIALLY_SUPPORTED, _sentence(flat, partial.start()), False, "partial"
        )
    if unclear:
        return ReplyVerdict(None, _sentence(flat, unclear.start()), False, "no definitive position")
    if accept and refuse:
        wording = f"{_sentence(flat, accept.start())} ... {_sentence(flat, refuse.start())}"
        return ReplyVerdict(
            Position.PARTIALLY_SUPPORTED, wording, False, "accepts one part, refuses another"
        )
    if accept:
        implemented = bool(_IMPLEMENTED.search(flat))
        return ReplyVerdict(
            Position.SUPPORTED, _sentence(flat, accept.start()), implemented, "accepts"
        )
    if refuse:
        return ReplyVerdict(
            Position.NOTED, _sentence(flat, refuse.start()), False, "refuses or notes"
        )
    return ReplyVerdict(None, flat[:160], False, "no accept/refuse wording")


def _sentence(flat: str, offset: int) -> str:
    """The sentence of ``flat`` around ``offset``."""
    start = max(flat.rfind(". ", 0, offset), flat.rfind("; ", 0, offset))
    end = flat.find(". ", offset)
    return flat[start + 2 if start >= 0 else 0 : end + 1 if end >= 0 else len(flat)].strip()
