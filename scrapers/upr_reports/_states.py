"""Recommending States of one printed item: bracket groups -> State names -> ISO3.

A bracket group counts as an attribution only when every comma-separated part is a recognised
State, so "(OP-CAT)", "(CEDAW)" or "(2010)" never become States. Groups are found anywhere in the
item, which covers cycle-1 inline attributions ("pledge (Latvia) and issue (Norway)") and
bundled items ("... (Ukraine); Increase efforts ... (Slovakia);").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapers.countries import to_iso3

_TRAILER_GAP = re.compile(r"^[\s/,]*$")
_END_PUNCT = re.compile(r"[\s;,.:]+$")
_NAME_LIKE = re.compile(
    r"^[A-Z][\w\u2019'\-]*(?:\s+(?:of|the|and|d[\u2019']\w+|[A-Z(][\w\u2019'\-()]*))*$"
)
_ACRONYM = re.compile(r"^[A-Z]{2,4}$")


@dataclass(frozen=True, slots=True)
class Group:
    """One parenthesised span of the item text; ``closed`` is False for a misprinted '(' left open."""

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
    for index, char in enumerate(text):
        if char == "(":
            stack.append((index, []))
        elif char == ")" and stack:
            start, inner = stack.pop()
            group = Group(start, index + 1, text[start + 1 : index])
            (stack[-1][1] if stack else out).append(group)
        elif char == ";" and stack:
            _abandon(text, stack, out, index)
    if stack:
        _abandon(text, stack, out, len(text))
    return sorted(out, key=lambda g: g.start)


def _abandon(text: str, stack: list[tuple[int, list[Group]]], out: list[Group], stop: int) -> None:
    """Close every open group at ``stop``: keep its head text and nested groups as candidates."""
    while stack:
        start, inner = stack.pop()
        head_end = inner[0].start if inner else stop
        head = Group(start, head_end, text[start + 1 : head_end], closed=False)
        (stack[-1][1] if stack else out).extend([head, *inner])


def split_names(inner: str) -> list[str]:
    """Split a group's content on commas outside inner brackets; whitespace collapsed."""
    parts: list[str] = []
    depth, current = 0, []
    for char in inner:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [" ".join(p.split()) for p in parts if p.strip()]


def resolve_group(inner: str) -> list[tuple[str, str]] | None:
    """(printed name, ISO3) pairs when the whole group names States, else None."""
    whole = " ".join(inner.split()).strip(" .;")
    code = _state_code(whole)
    if code:
        return [(whole, code)]
    names = split_names(inner)
    pairs = [(name.strip(" ."), _state_code(name.strip(" ."))) for name in names]
    if not pairs or any(code is None for _, code in pairs):
        return None
    return [(name, code) for name, code in pairs if code]


def _state_code(name: str) -> str | None:
    """ISO3 of a printed State name; bare acronyms are never States here ("CAT", "CAN")."""
    if not name or _ACRONYM.match(name) or any(ch.isdigit() for ch in name):
        return None
    return to_iso3(name)


def attribute(text: str) -> Attribution:
    """Recommending States of an item and its text without the final attribution trailer."""
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
    end = len(_END_PUNCT.sub("", text))
    for group in reversed(state_groups):
        if not _TRAILER_GAP.match(text[group.end : end]):
            break
        end = group.start
    return _END_PUNCT.sub("", text[:end])


def _fallback_unresolved(text: str, groups: list[Group], result: Attribution) -> None:
    """No group resolved: take a name-like final group as an unresolved State (misprints)."""
    if not groups:
        return
    last = groups[-1]
    name = " ".join(last.inner.split()).strip(" .")
    tail = text[last.end :]
    if _NAME_LIKE.match(name) and not _ACRONYM.match(name) and _TRAILER_GAP.match(_END_PUNCT.sub("", tail)):
        result.states.append(name)
        result.raw.append(name)
        result.unresolved.append(name)
        result.text = _END_PUNCT.sub("", text[: last.start])
