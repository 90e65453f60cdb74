"""Document metadata printed on a WG report: symbol, State under review, date, WG session, cycle.

Each function reads one cue; ``_identity`` weighs them against each other. A State name is read
as the longest run of words that names a State, so whatever follows it on the page (a footnote
mark, "was held at the 8th meeting") never has to be anticipated.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from scrapers.countries import state_by_iso3, to_iso3

_SYMBOL = re.compile(
    r"\bA\s?/\s?HRC\s?/\s?(?:WG\.6\s?/\s?)?\d{1,2}\s?/\s?(?:L\.)?\d{1,3}(?:\s?/\s?Add\.\d)?\b"
)
_TITLE = re.compile(
    r"Report\s+of\s+the\s+Working\s+Group\s+on\s+the\s+Universal\s+Periodic\s+Review"
    r"[\s*\u2217\d:\u2013\u2014-]*",
    re.IGNORECASE,
)
_INCLUDING = re.compile(r"\(\s*(?:including|incl\.|together with)\b[^()]*\)?", re.IGNORECASE)
_MARK_WORD = re.compile(r"^[*\u2217\d.,:;]+$")
_TRAILING_MARK = re.compile(r"(?<=[A-Za-z\u00c0-\u024f)])[*\u2217\d]{1,3}$")
MAX_NAME_WORDS = 12  # "the United Kingdom of Great Britain and Northern Ireland" + marks
_INTRO_CUE = re.compile(
    r"\b(?:the review of|adopted the report on|the delegation of|facilitate the review of)\s+",
    re.IGNORECASE,
)
_LEAD_IN_CUE = re.compile(
    r"\b(?:examined by|support of|were made to|(?:the )?responses? of|rejected by|accepted by"
    r"|noted by)\s+",
    re.IGNORECASE,
)
_NATIONAL_SYMBOL = re.compile(
    r"A\s?/\s?HRC\s?/\s?WG\.6\s?/\s?(\d{1,2})\s?/\s?(?:([A-Z]{3})\s?/|L\.)"
)
_COVER_SESSION = re.compile(
    r"Human\s+Rights\s+Council\s+([a-z]+(?:-[a-z]+)?)\s+session", re.IGNORECASE
)
_DEADLINE = re.compile(
    r"no\s+later\s+than\s+(?:the\s+)?([a-z]+(?:-[a-z]+)?|\d{1,2}(?:st|nd|rd|th))\s+session\s+of"
    r"\s+the\s+(?:Human\s+Rights\s+)?Council",
    re.IGNORECASE,
)
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


def name_at(text: str) -> tuple[str | None, str | None]:
    """(ISO3, printed name) of the State named at the start of ``text``: the longest run of
    words that resolves, so "Kenya * Previously issued ..." gives Kenya, "the Plurinational State
    of Bolivia was held" gives Bolivia. "(including A and B)" after a name is not part of it."""
    words = _INCLUDING.sub(" ", text[:400]).split()
    while words and _MARK_WORD.match(words[0]):
        words.pop(0)
    words = words[:MAX_NAME_WORDS]
    for count in range(len(words), 0, -1):
        name = _TRAILING_MARK.sub("", " ".join(words[:count]).strip(" .,;:*\u2217"))
        code = to_iso3(name) if name and name[0].isalpha() else None
        if code:
            return code, name
    return None, None


def detect_state(first_page: str) -> tuple[str | None, str | None]:
    """(ISO3, printed name) of the State in the title "Report of the Working Group ... X"; when
    none resolves, (None, the first words after the title) for the error message."""
    title = _TITLE.search(first_page)
    if title is None:
        return None, None
    after = first_page[title.end() :]
    code, name = name_at(after)
    if code:
        return code, name
    lines = [ln.strip() for ln in after.split("\n") if ln.strip()]
    return None, (lines[0] if lines else None)


def intro_states(text: str) -> list[tuple[str, str]]:
    """States named by the introduction: "The review of X was held", "adopted the report on X",
    "The delegation of X was headed by", "to facilitate the review of X"."""
    return _names_after(_INTRO_CUE, text)


def lead_in_states(section: str) -> list[tuple[str, str]]:
    """States named by the conclusions' lead-ins ("examined by X and enjoy the support of X")."""
    return _names_after(_LEAD_IN_CUE, section)


def _names_after(cue: re.Pattern[str], text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for match in cue.finditer(text):
        code, name = name_at(text[match.end() : match.end() + 400])
        if code and name:
            found.append((code, name))
    return found


def symbol_states(text: str) -> list[str]:
    """States coded in the review's own document symbols ("A/HRC/WG.6/8/KEN/1" -> KEN)."""
    return [
        m.group(2)
        for m in _NATIONAL_SYMBOL.finditer(text)
        if m.group(2) and state_by_iso3(m.group(2))
    ]


def symbol_wg_sessions(text: str) -> list[int]:
    """WG sessions in the review's symbols (national report, draft report "A/HRC/WG.6/8/L.7")."""
    return [int(m.group(1)) for m in _NATIONAL_SYMBOL.finditer(text)]


def cover_hrc_session(first_page: str) -> int | None:
    """HRC session printed on the cover ("Human Rights Council / Fifteenth session")."""
    match = _COVER_SESSION.search(first_page)
    return ordinal_value(match.group(1)) if match else None


def deadline_hrc_session(section: str) -> int | None:
    """HRC session named as the deadline for responses ("no later than the twenty-fourth
    session of the Human Rights Council"): the session that adopts the report."""
    match = _DEADLINE.search(section)
    return ordinal_value(match.group(1)) if match else None


def detect_date(first_page: str, *, anywhere: bool = True) -> date | None:
    """Issue date: the first full date after "Distr." (cycle-3 covers print session dates first);
    with ``anywhere``, else the first full date of the page."""
    anchor = first_page.find("Distr")
    for text in (first_page[anchor:] if anchor >= 0 else "", first_page if anywhere else ""):
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
