"""Lists of recommendation numbers as addenda print them (SOURCES.md §3.2, number-list traps).

``122.1, 122.12, 122.17-18``, ``1–5, 14–\n16``, ``140.35. 140.36``, ``122.141-144,122.146``,
``140.82-85, 87``: en dashes and hyphens mark ranges, the right side may be shortened, spaces and
line breaks may sit inside ranges, periods may replace commas, and a bare number means the item
of the current parent paragraph (the last full number of the list, else the report's paragraph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["MAX_RANGE", "NumberList", "scan_number_list"]

MAX_RANGE = 400  # no WG report has more items than this under one paragraph
_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_TOKEN = r"\d{1,3}\.\d{1,3}(?!\d)|\d{1,3}(?![\d]|\.\d)"
_ITEM = re.compile(rf"(?P<a>{_TOKEN})(?:[ \t\r\n]*[{_DASH}][ \t\r\n]*(?P<b>{_TOKEN}))?")
_SEP = re.compile(
    r"(?:[ \t\r\n]*[,;][ \t\r\n]*|\.[ \t\r\n]*|[ \t\r\n]+)(?:(?:and|&)[ \t\r\n]+)?"
    r"|[ \t\r\n]+(?:and|&)[ \t\r\n]+"
)
_DIGITS_AHEAD = re.compile(r"[\s,;.]*\d")


@dataclass
class NumberList:
    """Expanded numbers (``"122.17"``) in printed order, where the list ended, and what was odd.

    ``needs_parent`` holds bare numbers that no parent paragraph could be found for.
    """

    numbers: list[str] = field(default_factory=list)
    end: int = 0
    warnings: list[str] = field(default_factory=list)
    needs_parent: list[str] = field(default_factory=list)
    used_short: bool = False


def scan_number_list(text: str, start: int = 0, *, parent: int | None = None) -> NumberList:
    """Read the number list that starts at ``text[start]``; stop at the first non-number.

    ``parent`` is the WG report paragraph that bare numbers refer to when the list itself has
    no full number before them (cycle 2: ``1–5`` = ``115.1``–``115.5``).
    """
    out = NumberList(end=start)
    current: int | None = None
    pos = start
    while True:
        match = _ITEM.match(text, pos)
        if match is None:
            break
        current = _expand(match.group("a"), match.group("b"), current, parent, out)
        out.end = match.end()
        sep = _SEP.match(text, out.end)
        following = _ITEM.match(text, sep.end()) if sep else None
        if sep is None or following is None:
            _check_stop(text, out)
            break
        if _restarts(out, following, sep.group(0), current):
            break
        pos = sep.end()
    return out


def _restarts(out: NumberList, following: re.Match[str], sep: str, current: int | None) -> bool:
    """A number already listed, on a new line, starts a note heading ("140.252.\n140.11-14")."""
    if "\n" not in sep:
        return False
    head, first = _split(following.group("a"))
    return f"{head if head is not None else current}.{first}" in out.numbers


def _expand(
    a: str, b: str | None, current: int | None, parent: int | None, out: NumberList
) -> int | None:
    """Append the numbers of one item (single number or range); return the parent now in force."""
    head, first = _split(a)
    if head is None:
        head = current if current is not None else parent
        out.used_short = True
    if head is None:
        out.needs_parent.append(a if b is None else f"{a}-{b}")
        return current
    if b is None:
        out.numbers.append(f"{head}.{first}")
        return head
    last = _range_end(head, first, b, out)
    if last is not None:
        out.numbers.extend(f"{head}.{n}" for n in range(first, last + 1))
    else:
        out.numbers.append(f"{head}.{first}")
    return head


def _split(token: str) -> tuple[int | None, int]:
    """``"122.17"`` -> (122, 17); a bare ``"17"`` -> (None, 17)."""
    if "." in token:
        head, tail = token.split(".")
        return int(head), int(tail)
    return None, int(token)


def _range_end(head: int, first: int, b: str, out: NumberList) -> int | None:
    """Last item of ``head.first``–``b``; a shortened right side keeps the left's leading digits."""
    other, last = _split(b)
    if other is not None and other != head:
        out.warnings.append(
            f"range {head}.{first}-{b} spans two paragraphs: only {head}.{first} kept"
        )
        return None
    if last <= first and other is None and len(str(last)) < len(str(first)):
        widened = int(str(first)[: len(str(first)) - len(str(last))] + str(last))
        if widened > first:
            out.warnings.append(f"range {head}.{first}-{b} read as {head}.{first}-{head}.{widened}")
            last = widened
    if last < first or last - first > MAX_RANGE:
        out.warnings.append(f"implausible range {head}.{first}-{b}: only {head}.{first} kept")
        return None
    return last


def _check_stop(text: str, out: NumberList) -> None:
    """A list that stops right before more digits lost a separator (``122.6266``): say so."""
    ahead = text[out.end : out.end + 12]
    if out.numbers and _DIGITS_AHEAD.match(ahead) and not re.match(r"\.\s+\d{4}", ahead):
        out.warnings.append(f"number list stops before {ahead.strip()[:10]!r}: numbers may be lost")
