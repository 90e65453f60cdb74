"""Document metadata printed on a WG report: symbol, State under review, date, WG session, cycle."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from scrapers.countries import to_iso3

_SYMBOL = re.compile(
    r"\bA\s?/\s?HRC\s?/\s?(?:WG\.6\s?/\s?)?\d{1,2}\s?/\s?(?:L\.)?\d{1,3}(?:\s?/\s?Add\.\d)?\b"
)
_TITLE = re.compile(
    r"Report\s+of\s+the\s+Working\s+Group\s+on\s+the\s+Universal\s+Periodic\s+Review"
    r"[\s*\u2217\d:\u2013\u2014-]*",
    re.IGNORECASE,
)
_MARKS = re.compile(r"[\s*\u2217\d]+$")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august")
_MONTHS = {
    m: i for i, m in enumerate((*_MONTH_NAMES, "september", "october", "november", "december"), 1)
}
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_SESSION = re.compile(
    r"held\s+its\s+([a-z\-\s]{3,30}?|\d{1,2}(?:st|nd|rd|th))\s+session", re.IGNORECASE
)
_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth")
_TEENS += ("seventeenth", "eighteenth", "nineteenth")
_TENS = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50, "sixt": 60, "sevent": 70}


def detect_symbol(pages: list[str]) -> str | None:
    """The report's own symbol: the one repeated in the first pages' running headers."""
    counts: Counter[str] = Counter()
    for page in pages[:5]:
        for match in _SYMBOL.finditer(page):
            counts[re.sub(r"\s", "", match.group(0))] += 1
    return counts.most_common(1)[0][0] if counts else None


def detect_state(first_page: str) -> tuple[str | None, str | None]:
    """(ISO3, printed name) of the State in the title "Report of the Working Group ... X"."""
    title = _TITLE.search(first_page)
    if title is None:
        return None, None
    lines = [ln.strip() for ln in first_page[title.end() :].split("\n") if ln.strip()][:3]
    for count in (1, 2, 3):
        name = _MARKS.sub("", " ".join(lines[:count])).strip()
        code = to_iso3(name) if name else None
        if code:
            return code, name
    return None, (lines[0] if lines else None)


def detect_date(first_page: str) -> date | None:
    """Issue date: the first full date after "Distr." (cycle-3 covers print session dates first)."""
    anchor = first_page.find("Distr")
    for text in (first_page[anchor:] if anchor >= 0 else "", first_page):
        match = _DATE.search(text)
        if match:
            day, month, year = match.groups()
            try:
                return date(int(year), _MONTHS[month.lower()], int(day))
            except ValueError:
                continue
    return None


def detect_wg_session(text: str) -> int | None:
    """WG session from "held its fourth session from ..." (words or "16th")."""
    match = _SESSION.search(text[:20_000])
    return ordinal_value(match.group(1)) if match else None


def ordinal_value(word: str) -> int | None:
    """Value of an English ordinal ("fourth", "twenty-fourth", "16th"); None when not one."""
    word = " ".join(word.lower().replace("-", " ").split())
    digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    if digits:
        return int(digits.group(1))
    if word in _UNITS:
        return _UNITS.index(word) + 1
    if word in _TEENS:
        return _TEENS.index(word) + 10
    parts = word.split()
    for stem, tens in _TENS.items():
        if parts and parts[0] == f"{stem}ieth":
            return tens if len(parts) == 1 else None
        if len(parts) == 2 and parts[0] == f"{stem}y" and parts[1] in _UNITS:
            return tens + _UNITS.index(parts[1]) + 1
    return None


def hrc_session_of(symbol: str) -> int | None:
    """HRC session in a WG report symbol ("A/HRC/24/13" -> 24); None for other symbols."""
    match = re.fullmatch(r"A/HRC/(\d{1,2})/\d{1,3}(?:/Add\.\d)?", symbol.replace(" ", ""))
    return int(match.group(1)) if match else None


