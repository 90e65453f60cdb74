"""What an addendum's title block and introduction say: symbol, State, date, cycle, parent."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from scrapers.countries import to_iso3
from scrapers.vocab import cycle_for_hrc_session, cycle_for_wg_session

__all__ = [
    "cycle_for_hrc_session",
    "cycle_for_wg_session",
    "detect_date",
    "detect_parent",
    "detect_state",
    "detect_symbol",
    "hrc_session",
    "looks_like_addendum",
    "review_ordinal",
]

_ADD_SYMBOL = re.compile(
    r"\bA\s?/\s?HRC\s?/\s?(\d{1,2})\s?/\s?(\d{1,3})\s?/\s?Add\s?\.\s?(\d{1,2})\b", re.IGNORECASE
)
_SYMBOL_SESSION = re.compile(r"^A/HRC/(\d{1,2})/", re.IGNORECASE)
_TITLE = re.compile(
    r"Working\s+Group\s+on\s+the\s+Universal\s+Periodic\s+Review[\s*\u2217\d]*\n", re.IGNORECASE
)
_TITLE_END = re.compile(r"^(?:Addendum|Views\s+on)\b", re.IGNORECASE)
_MARKS = re.compile(r"[\s*\u2217\d]+$")
_VIEWS = re.compile(r"Views\s+on\s+conclusions\s+and/or\s+recommendations", re.IGNORECASE)
_ADDENDUM = re.compile(r"^\s*Addendum\s*$", re.IGNORECASE | re.MULTILINE)
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_PARENT_SAID = re.compile(
    r"\b(?:list\s+in\s+|contained\s+in\s+)?paragraphs?\s+(\d{2,3})\s+of\s+the\s+(?:present\s+)?report",
    re.IGNORECASE,
)
_PARENT_USED = re.compile(
    r"\b(?:recommendations?|Recs?\.?)\s*(?:nos?\.\s*)?(\d{2,3})\.\d{1,3}(?!\d)", re.IGNORECASE
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_REVIEW = re.compile(
    r"\b(?:(\d)\s?(?:st|nd|rd|th)|(first|second|third|fourth|fifth))\s+(?:Universal\s+Periodic\s+Review|"
    r"UPR|cycle)\b",
    re.IGNORECASE,
)


def detect_symbol(raw: str) -> str | None:
    """The addendum's own symbol: the ``A/HRC/n/m/Add.k`` printed most often (running headers)."""
    counts: Counter[str] = Counter()
    for match in _ADD_SYMBOL.finditer(raw):
        counts["A/HRC/{}/{}/Add.{}".format(*match.groups())] += 1
    return counts.most_common(1)[0][0] if counts else None


def hrc_session(symbol: str | None) -> int | None:
    """HRC session of a report symbol (``A/HRC/43/15/Add.1`` -> 43)."""
    match = _SYMBOL_SESSION.match(symbol or "")
    return int(match.group(1)) if match else None


def detect_state(first_page: str) -> tuple[str | None, str | None]:
    """(ISO3, printed name) from the title block "... Universal Periodic Review* / X / Addendum"."""
    title = _TITLE.search(first_page)
    if title is None:
        return None, None
    lines = [ln.strip() for ln in first_page[title.end() :].split("\n") if ln.strip()][:4]
    name_lines: list[str] = []
    for line in lines:
        if _TITLE_END.match(line):
            break
        name_lines.append(line)
    for count in range(1, len(name_lines) + 1):
        name = _MARKS.sub("", " ".join(name_lines[:count])).strip()
        code = to_iso3(name) if name else None
        if code:
            return code, name
    return None, (name_lines[0] if name_lines else None)


def detect_date(first_page: str) -> date | None:
    """Issue date: the first full date after "Distr." (session dates come earlier on covers)."""
    anchor = first_page.find("Distr")
    for text in (first_page[anchor:] if anchor >= 0 else "", first_page):
        for match in _DATE.finditer(text):
            day, month, year = match.groups()
            try:
                return date(int(year), _MONTHS.index(month.lower()) + 1, int(day))
            except ValueError:
                continue
    return None


def looks_like_addendum(first_page: str, symbol: str | None) -> bool:
    """The title block says "Addendum" / "Views on conclusions and/or recommendations", or the
    symbol is an ``/Add.`` symbol."""
    if symbol and "/add." in symbol.lower():
        return True
    return bool(_VIEWS.search(first_page) or _ADDENDUM.search(first_page))


def detect_parent(text: str) -> int | None:
    """The WG report paragraph that bare item numbers refer to, when the text says it.

    Either stated ("follow the list in paragraph 115 of the Report") or used ("recommendations
    115.3 and ...", the most frequent prefix).
    """
    said = _PARENT_SAID.search(text)
    if said:
        return int(said.group(1))
    used = Counter(int(m.group(1)) for m in _PARENT_USED.finditer(text))
    return used.most_common(1)[0][0] if used else None


def review_ordinal(text: str) -> int | None:
    """The cycle the introduction names ("the 3rd Universal Periodic Review", "4 th ...")."""
    match = _REVIEW.search(text[:4000])
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else _ORDINALS[match.group(2).lower()]
