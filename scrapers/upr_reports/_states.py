"""Recommending States of one printed item: bracket groups -> State names -> ISO3.

A bracket group counts as an attribution only when all of its text is made of recognised State
names (separated by commas, semicolons or "and"), so "(OP-CAT)", "(CEDAW)" or "(2010)" never
become States. Groups are found anywhere in the item, which covers cycle-1 inline attributions
("pledge (Latvia) and issue (Norway)") and bundled items ("... (Ukraine); Increase ... (Slovakia);").
Names come from scrapers.countries; this module keeps no country table of its own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from scrapers.countries import all_states, normalize_name, to_iso3
from scrapers.text import split_outside_brackets

_TRAILER_GAP = re.compile(r"^[\s/,]*$")
_BRACKET_CHARS = re.compile(r"[();]")
_END_CHARS = " \t\n;,.:"
_NAME_LIKE = re.compile(
    r"^[A-Z][\w\u2019'\-]*(?:\s+(?:of|the|and|d[\u2019']\w+|[A-Z(][\w\u2019'\-()]*))*$"
)
_ACRONYM = re.compile(r"^[A-Z]{2,4}$")
_JOINERS = frozenset({"and", "&"})
MAX_GROUP_WORDS = 60  # longer brackets are prose, not attributions
MAX_PARTS_PER_NAME = 2  # "Iran, Islamic Republic of"
MAX_WORDS_PER_NAME = 8  # "United Kingdom of Great Britain and Northern Ireland"
_NOTE_MARK = re.compile(r"([;)\u201d])\d{1,2}(?=[\s;.,]|$)")  # "(Brazil);1" footnote marks
# Similarity for misprinted names ("United States of Americas", "Libya Arab Jamahiriya"). Only
# names that resolve to nothing are tried, so real pairs such as Niger/Nigeria never reach it.
MISPRINT_CUTOFF = 0.92


@dataclass(frozen=True, slots=True)
class Group:
    """One bracketed span of the item text; ``closed`` is False for a misprinted '(' left open."""

    start: int
    end: int
    inner: str
    closed: bool = True


@dataclass(slots=True)
class Attribution:
    """What the brackets of one item say: States (ISO3 or printed name) and the cleaned text."""

    text: str
    states: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def bracket_groups(text: str) -> list[Group]:
    """Top-level bracket groups in order, tolerating one unbalanced '(' per clause.

    A ';' inside an open group means a ')' was lost ("(Paraguay (Argentina);"): the open group is
    abandoned, its head ("Paraguay") and its inner groups ("(Argentina)") become candidates.
    """
    out: list[Group] = []
    stack: list[tuple[int, list[Group]]] = []
    for match in _BRACKET_CHARS.finditer(text):
        char, index = match.group(), match.start()
        if char == "(":
            stack.append((index, []))
        elif char == ")":
            if stack:
                start, _ = stack.pop()
                group = Group(start, index + 1, text[start + 1 : index])
                (stack[-1][1] if stack else out).append(group)
        elif stack and not _semicolon_list(text, stack[-1][0], index):
            _abandon(text, stack, out, index)
    if stack:
        _abandon(text, stack, out, len(text))
    return sorted(out, key=lambda g: g.start)


def _semicolon_list(text: str, start: int, index: int) -> bool:
    """True when the ';' at ``index`` separates States inside one group: "(Mexico; Egypt)"."""
    close = text.find(")", index)
    reopen = text.find("(", index)
    if close < 0 or (0 <= reopen < close):
        return False
    return resolve_group(text[start + 1 : close]) is not None


def _abandon(text: str, stack: list[tuple[int, list[Group]]], out: list[Group], stop: int) -> None:
    """Close every open group at ``stop``: keep its head text and nested groups as candidates."""
    while stack:
        start, inner = stack.pop()
        head_end = inner[0].start if inner else stop
        head = Group(start, head_end, text[start + 1 : head_end], closed=False)
        (stack[-1][1] if stack else out).extend([head, *inner])


def resolve_group(inner: str) -> list[tuple[str, str]] | None:
    """(printed name, ISO3) pairs when the whole group names States, else None.

    Tolerates the separators seen in real reports: commas, semicolons, a final "and", a
    missing comma ("United Kingdom France") and names that contain a comma ("Iran, Islamic
    Republic of"). Every word must belong to a State name, so prose never passes.
    """
    whole = " ".join(inner.split()).strip(" .;")
    code = _state_code(whole)
    if code:
        return [(whole, code)]
    parts = [name.strip(" .") for name in split_outside_brackets(inner, ",;")]
    if not parts or sum(len(p.split()) for p in parts) > MAX_GROUP_WORDS:
        return None
    return _segment(parts, ", ", _resolve_part, MAX_PARTS_PER_NAME)


def _resolve_part(part: str) -> list[tuple[str, str]] | None:
    """One comma-separated part: a State, or several run together ("Norway and Sweden")."""
    code = _state_code(part)
    if code:
        return [(part, code)]
    words = part.split()
    return _segment(words, " ", None, MAX_WORDS_PER_NAME) if len(words) > 1 else None


def _segment(
    pieces: list[str],
    glue: str,
    single: Callable[[str], list[tuple[str, str]] | None] | None,
    longest: int,
) -> list[tuple[str, str]] | None:
    """Cover ``pieces`` with consecutive runs that each name a State, fewest names first; a
    joining "and" may stand between two names ("Italy and Germany")."""
    best: list[list[tuple[str, str]] | None] = [[]] + [None] * len(pieces)
    for start in range(len(pieces)):
        done = best[start]
        if done is None:
            continue
        if pieces[start].lower() in _JOINERS and best[start + 1] is None:
            best[start + 1] = done
        for stop in range(start + 1, min(len(pieces), start + longest) + 1):
            name = glue.join(pieces[start:stop])
            if stop == start + 1 and single is not None:
                found = single(name)
            else:
                code = _state_code(name)
                found = [(name, code)] if code else None
            current = best[stop]
            if found and (current is None or len(done) + len(found) < len(current)):
                best[stop] = done + found
    return best[-1] or None


def _state_code(name: str) -> str | None:
    """ISO3 of a printed State name. Reports never attribute by ISO code, so a bare code such as
    "(MDG)" or "(ECU)" is an acronym in the text, not Madagascar or Ecuador."""
    if not name or any(ch.isdigit() for ch in name):
        return None
    code = to_iso3(name)
    return None if code == name.strip() else code


def attribute(text: str) -> Attribution:
    """Recommending States of an item and its text without the final attribution trailer."""
    text = _NOTE_MARK.sub(r"\1", text)
    groups = bracket_groups(text)
    found: list[tuple[Group, list[tuple[str, str]]]] = []
    for group in groups:
        pairs = resolve_group(group.inner)
        if pairs:
            found.append((group, pairs))
    result = Attribution(text=_strip_trailer(text, [g for g, _ in found]))
    for _, pairs in found:
        for name, code in pairs:
            if code not in result.states:
                result.states.append(code)
                result.raw.append(name)
    if not found:
        _fallback_unresolved(text, groups, result)
    return result


def _strip_trailer(text: str, state_groups: list[Group]) -> str:
    """Remove the run of State groups that ends the item, then the closing ';' or '.'."""
    end = len(text.rstrip(_END_CHARS))
    for group in reversed(state_groups):
        if not _TRAILER_GAP.match(text[group.end : end]):
            break
        end = group.start
    return text[:end].rstrip(_END_CHARS)


def _fallback_unresolved(text: str, groups: list[Group], result: Attribution) -> None:
    """No group resolved: read a name-like final group as a misprinted State name.

    Every item has a recommending State, so a final "(United States of Americas)" is one. It is
    matched to the closest State name when that is near-identical and unambiguous, else kept as
    printed and reported.
    """
    if not groups:
        return
    last = groups[-1]
    name = " ".join(last.inner.split()).strip(" .")
    tail = text[last.end :]
    if not (_NAME_LIKE.match(name) and not _ACRONYM.match(name)):
        return
    if not _TRAILER_GAP.match(tail.rstrip(_END_CHARS)):
        return
    code = closest_state(name)
    result.states.append(code or name)
    result.raw.append(name)
    result.unresolved.append(f"{name} -> {code}" if code else name)
    result.text = text[: last.start].rstrip(_END_CHARS)


def closest_state(name: str) -> str | None:
    """ISO3 of the one State spelt near-identically to ``name`` (a misprint), else None."""
    names = _spellings()
    matches = difflib.get_close_matches(normalize_name(name), names, n=3, cutoff=MISPRINT_CUTOFF)
    codes = {names[m] for m in matches}
    return codes.pop() if len(codes) == 1 else None


@cache
def _spellings() -> dict[str, str]:
    """Normalised spelling -> ISO3 for every name the countries module knows."""
    table: dict[str, str] = {}
    for info in all_states():
        for label in (info.name, info.un_name, *info.aliases):
            table[normalize_name(label)] = info.iso3
    return table
