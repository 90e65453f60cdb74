"""The grammar of UN document symbols (SOURCES.md §2), checked wherever a symbol enters.

A symbol ends up in file names, HTTP headers and URLs: a quote or a line break in it breaks the
download (`Content-Disposition`) or worse. Real symbols are series of components between
slashes — `A/HRC/39/14/Add.1`, `A/HRC/WG.6/30/AZE/1`, `CCPR/C/AZE/CO/4`, `A/HRC/S-28/1`,
`S/RES/2231 (2015)` — so the grammar is permissive for those and refuses anything else.
"""

from __future__ import annotations

import re

from scrapers.errors import ScrapeError

MAX_LENGTH = 120
# A component: letters and digits joined by dots or hyphens (`WG.6`, `Add.1`, `ES-10`, `C.12`),
# optionally followed by a parenthesised year or note (`2231 (2015)`, `CRP.1(Part2)`).
_WORD = r"[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*\.?"
_COMPONENT = rf"{_WORD}(?: ?\({_WORD}\))?"
# The series symbol comes first and starts with a letter (A, E, S, ST, CCPR, CEDAW, HRI, ...).
SYMBOL_RE = re.compile(rf"(?=[A-Za-z]){_COMPONENT}(?:/{_COMPONENT})+")


class InvalidSymbol(ScrapeError):
    """A UN document symbol that does not follow the UN's grammar (quotes, control characters...)."""


def is_un_symbol(symbol: str) -> bool:
    """True when `symbol` (surrounding spaces ignored) is shaped like a UN document symbol."""
    text = symbol.strip(" ")
    return len(text) <= MAX_LENGTH and SYMBOL_RE.fullmatch(text) is not None


def check_symbol(symbol: str, *, what: str = "symbol", url: str | None = None) -> str:
    """`symbol` without surrounding spaces (ASCII spaces only); InvalidSymbol with a one-line reason when it is not a
    UN document symbol."""
    if not is_un_symbol(symbol):
        shown = ascii(symbol[:MAX_LENGTH]) + ("..." if len(symbol) > MAX_LENGTH else "")
        raise InvalidSymbol(f"{what} {shown} is not a UN document symbol: expected components of "
                            "letters, digits, dots, hyphens or a parenthesised year between "
                            "slashes, e.g. A/HRC/39/14/Add.1", url=url)
    return symbol.strip(" ")
