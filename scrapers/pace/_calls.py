"""Calls to act: which paragraphs of a PACE text ask someone to do something, and whom.

A paragraph is a call when an operative verb ("calls on", "urges", "invites", ...) has the
Assembly as its subject, or opens a sub-paragraph under a neutral lead-in ("..., the
Parliamentary Assembly:" / "1.1 calls on the Committee of Ministers to"), and governs an
addressee (SOURCES.md §6.2 "Calls to act", [unverified]). Preambular verbs ("recalls",
"notes", "welcomes", "deplores", "condemns", "regrets") never make a call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.pace._states import states_named

__all__ = ["PREAMBULAR", "Call", "find_call", "first_word", "leaf_call"]

_VERBS = r"calls (?:up)?on|urges|exhorts|invites|asks|recommends(?: that)?|encourages"
_ADVERBS = (r"(?:(?:therefore|also|further|furthermore|again|once again|once more|strongly|"
            r"urgently|thus|consequently|accordingly|in particular|hence|moreover|finally|firmly|"
            r"earnestly|equally|likewise|in this context|in this respect|in conclusion)[ ,]+)*")
# Subject of the main clause: "the (Parliamentary) Assembly", "it", or a coordinated verb.
_GOVERNED = re.compile(rf"(?:\bAssembly|\bit|\band|;)[ ,]+{_ADVERBS}({_VERBS})\b(.*)",
                       re.IGNORECASE | re.DOTALL)
_OPENING = re.compile(rf"^{_ADVERBS}({_VERBS})\b(.*)", re.IGNORECASE | re.DOTALL)
_ADDRESSEE_END = re.compile(r"\s+to\b|:|;|,|\s+that\b|\s+in order\b|$")
PREAMBULAR = frozenset({
    "recalls", "notes", "welcomes", "deplores", "condemns", "regrets", "considers", "reiterates",
    "acknowledges", "takes", "expresses", "remains", "stresses", "underlines", "emphasises",
    "emphasizes", "believes", "reaffirms", "recognises", "recognizes", "observes", "salutes",
    "commends", "appreciates", "refers", "resolves", "decides", "agrees", "fears", "is", "has",
    "denounces", "supports", "affirms", "insists", "pays", "declares", "finds", "concludes",
    "shares", "deeply", "strongly", "also", "further", "therefore", "referring", "bearing",
    "having", "noting", "recalling", "considering", "welcoming", "aware", "convinced",
    "concerned",
})


@dataclass(frozen=True)
class Call:
    """An operative verb and what it governs."""

    verb: str  # "calls on", "urges", ...
    addressee_raw: str  # as printed: "the Azerbaijani authorities"
    addressee: str | None  # category, None when not one we track
    states: tuple[str, ...]  # States named in the addressee

    @property
    def wording(self) -> str:
        """The operative verb phrase, e.g. "calls on the Azerbaijani authorities"."""
        return f"{self.verb} {self.addressee_raw}".strip()


def find_call(text: str) -> Call | None:
    """The call of a paragraph or lead-in whose subject is the Assembly."""
    match = _GOVERNED.search(text)
    if match is None:
        return None
    call = _call(match.group(1), match.group(2))
    if call.addressee == "them":  # "Noting that the authorities ..., the Assembly calls on them"
        before = text[: match.start(1)]
        antecedent = classify_addressee(before) if "them" not in before else None
        if antecedent not in (None, "them", "state"):
            return Call(call.verb, call.addressee_raw, antecedent, tuple(states_named(before)))
    return call


def leaf_call(text: str) -> Call | None:
    """The call of a sub-paragraph that opens with its verb ("calls on the ... to")."""
    match = _OPENING.match(text)
    return _call(match.group(1), match.group(2)) if match else None


def first_word(text: str) -> str:
    """First word of a sub-paragraph, lower case (to report verbs we do not know)."""
    match = re.match(r"\W*([A-Za-z]+)", text)
    return match.group(1).lower() if match else ""


def _call(verb: str, rest: str) -> Call:
    verb = " ".join(verb.lower().split())
    rest = rest.strip()
    end = _ADDRESSEE_END.search(rest)
    raw = rest[: end.start()].strip() if end else rest[:200]
    return Call(verb=verb, addressee_raw=raw[:200], addressee=classify_addressee(raw),
                states=tuple(states_named(raw)))


def classify_addressee(raw: str) -> str | None:
    """Category of an addressee; None for anyone we do not track (the EU, NGOs, ...)."""
    low = " ".join(raw.lower().split())
    if low in ("them", "it", "they"):
        return "them"
    rules = (
        ("committee_of_ministers", r"\bcommittee of ministers\b"),
        ("member_states", r"\bmember states\b|\bstates parties\b"),
        ("assembly", (r"^(?:its|the assembly'?s?)\b.*\b(?:committee|bureau|president|delegations?|"
                     r"members)\b|^(?:its own|itself)\b")),
        ("government", r"\bgovernments?\b"),
        ("parliament", r"\bparliament\b|\bmilli majlis\b|\blegislat"),
        ("authorities", r"\bauthorities\b|\bprosecut|\bjudiciary\b|\bcourts?\b|\bpresident of\b"),
    )
    for category, pattern in rules:
        if re.search(pattern, low):
            return category
    named = states_named(raw)
    if named and re.fullmatch(r"(?:the )?[\w\s'\u2019-]+", low) and len(low.split()) <= 4:
        return "state"
    return None
