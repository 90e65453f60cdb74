"""References to other texts and the follow-up wording of later resolutions.

Later resolutions cite earlier ones by number ("Resolutions 2184 (2017), 2185 (2017) and 2279
(2019)") and sometimes assess them ("has not been implemented"). An assessment is evidence for
a person to confirm, never an automatic status: the caller marks it `needs_confirmation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.records import Implementation

__all__ = ["TextRef", "assess", "cm_refs", "doc_refs", "paragraph_refs", "slug", "text_refs"]

_ITEM = r"(\d{3,4}) \((\d{4})\)"
_LIST = re.compile(
    rf"\b(Resolution|Recommendation|Opinion)s? {_ITEM}((?:(?:,| and|, and) {_ITEM})*)")
_MORE = re.compile(_ITEM)
_PARAGRAPHS = re.compile(
    r"\bparagraphs? (\d{1,3}(?:\.\d{1,3})*(?:(?:,| and|, and) \d{1,3}(?:\.\d{1,3})*)*) of "
    rf"(?:its |the Assembly['\u2019]s )?(Resolution|Recommendation|Opinion) {_ITEM}")
_CM_REF = re.compile(r"\bCM/ResDH\(\d{4}\)\d+|\bCM/Del/Dec\(\d{4}\)\d+/[\w.-]*\w"
                     r"|\bDH-DD\(\d{4}\)\d+"
                     r"|\bCM/AS\(\d{4}\)[\w-]+|\bCM\(\d{4}\)\d+")
_DOC = re.compile(r"\bDoc\. ?(\d{4,5})\b")
_PREFIX = {"Resolution": "res", "Recommendation": "rec", "Opinion": "op"}

# Order matters: partial before "not" ("not been fully implemented"), "not" before implemented.
_ASSESSMENTS: tuple[tuple[Implementation, re.Pattern[str]], ...] = tuple(
    (status, re.compile(pattern, re.IGNORECASE)) for status, pattern in (
        (Implementation.PARTIALLY_IMPLEMENTED,
         (r"\b(?:partially|partly|only in part|not (?:yet )?fully|not been fully) implemented\b"
         r"|\bwelcomes the release of\b|\b(?:some|limited) progress\b")),
        (Implementation.NOT_IMPLEMENTED,
         (r"\b(?:has|have|had) not (?:yet )?been (?:implemented|followed|complied with|heeded)\b"
         r"|\bremains? unimplemented\b|\bfailed to implement\b|\bno progress\b"
         r"|\b(?:regrets|deplores) that\b[^.]*\b(?:not|no|neither|nor|failed)\b")),
        (Implementation.IMPLEMENTED,
         (r"\bnotes with satisfaction that\b[^.]*\bimplemented\b"
         r"|\b(?:has|have) (?:now )?been (?:fully )?implemented\b")),
    )
)


@dataclass(frozen=True)
class TextRef:
    """"Resolution 2322 (2020)" as kind, number and year."""

    kind: str
    number: int
    year: int

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number} ({self.year})"

    @property
    def slug(self) -> str:
        return slug(self.kind, self.number, self.year)


def slug(kind: str, number: int, year: int) -> str:
    """Key segment of a text: "res-2322-2020", "rec-2170-2020"."""
    return f"{_PREFIX[kind]}-{number}-{year}"


def text_refs(text: str) -> list[TextRef]:
    """Every Resolution / Recommendation / Opinion named, plural lists expanded, in order."""
    found: list[TextRef] = []
    for match in _LIST.finditer(text):
        kind = match.group(1)
        items = [(match.group(2), match.group(3))] + _MORE.findall(match.group(4) or "")
        for number, year in items:
            ref = TextRef(kind, int(number), int(year))
            if ref not in found:
                found.append(ref)
    return found


def paragraph_refs(text: str) -> list[tuple[TextRef, list[str]]]:
    """"paragraph 10.1 of Resolution 2322 (2020)" -> (that text, ["10.1"])."""
    refs: list[tuple[TextRef, list[str]]] = []
    for match in _PARAGRAPHS.finditer(text):
        numbers = re.findall(r"\d{1,3}(?:\.\d{1,3})*", match.group(1))
        refs.append((TextRef(match.group(2), int(match.group(3)), int(match.group(4))), numbers))
    return refs


def doc_refs(text: str) -> list[str]:
    """"Doc. 15020" references, in order, without repeats."""
    return list(dict.fromkeys(f"Doc. {n}" for n in _DOC.findall(text)))


def cm_refs(text: str) -> list[str]:
    """Committee of Ministers references (CM/ResDH(2020)47, DH-DD(2026)381, ...)."""
    return list(dict.fromkeys(_CM_REF.findall(text)))


def assess(text: str) -> tuple[Implementation, str] | None:
    """What a sentence says about implementation, and the words that say it."""
    for status, pattern in _ASSESSMENTS:
        if match := pattern.search(text):
            return status, match.group(0)
    return None
