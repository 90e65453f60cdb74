"""Numbered paragraphs of a PACE text as a tree: `10`, `10.1`, `10.1.1`.

Paragraphs are `N.` at the start of a block; sub-paragraphs `N.M` with or without a trailing dot
(the current site writes `1.1 recalls ...`). Numbering must run in sequence, so a footnote or a
second list restarting at `1.` ends the body instead of corrupting it, while numbering that
jumps ahead (`11.` then `13.`) means a paragraph was lost: refused, never read as the end. Unnumbered
blocks that continue a sentence or hold a letter list `(a)`-`(e)` stay in their paragraph's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapers.errors import LayoutChanged

__all__ = ["Para", "read_paragraphs"]

_TOP = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_SUB = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?\s+(\S.*)$")
_LIST_ITEM = re.compile(r"^(?:\(?[a-z]{1,4}\)|[a-z]\.\s|[\u2013\u2014\u2022\u00b7*-]\s)")
_ENDS_SENTENCE = (".", "!", "?", '."', ".\u201d", ".)")
_END_ANCHORS = re.compile(r"^(?:[B-Z]\. |Explanatory memorandum|Footnotes?$|Notes?$|See also$|"
                          r"Related documents?$)", re.IGNORECASE)


@dataclass
class Para:
    """One numbered paragraph; `text` is its own text, without its number or children."""

    number: str
    text: str
    children: list[Para] = field(default_factory=list)
    parent: Para | None = field(default=None, repr=False)

    @property
    def path(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.number.split("."))

    def leaves(self) -> list[Para]:
        """This paragraph if it has no sub-paragraphs, else the leaves below it."""
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    def ancestors(self) -> list[Para]:
        """Outermost first."""
        chain: list[Para] = []
        node = self.parent
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain


def read_paragraphs(blocks: list[str], *, start: int, url: str,
                    label: str = "text") -> list[Para]:
    """The top-level paragraphs from block `start` on. LayoutChanged if there is no `1.`, or
    when the numbering jumps ahead after the body seems to end (a paragraph went missing)."""
    first = next((i for i in range(start, len(blocks))
                  if (numbered := _numbered(blocks[i])) and numbered[0] == (1,)), None)
    if first is None:
        raise LayoutChanged(f"PACE {label} without numbered paragraphs (no block starting '1. ' "
                            "after the type line) — the page may be truncated or its layout "
                            "changed", url=url)
    roots: list[Para] = []
    current: Para | None = None
    index = first
    for index in range(first, len(blocks)):
        block = blocks[index]
        numbered = _numbered(block)
        if numbered and (current is None or numbered[0] in _next_numbers(current.path)):
            current = _attach(roots, current, *numbered)
        elif current is not None and not numbered and _continues(current.text, block):
            current.text = f"{current.text} {block}".strip()
        else:
            break
    else:
        return roots
    if current is not None:
        _check_no_gap(blocks[index:], current, label, url=url)
    return roots


def _check_no_gap(rest: list[str], last: Para, label: str, *, url: str) -> None:
    """After the body ends, the next numbered block before an end anchor must not carry on the
    numbering: `13.` after `11.` (or after an unrecognised block) is a lost paragraph. Restarts
    (footnotes, an explanatory memorandum, an appendix) number from 1 again and pass."""
    for block in rest:
        if _END_ANCHORS.match(block):
            return
        numbered = _numbered(block)
        if numbered is None:
            continue
        if numbered[0] > last.path:
            number = ".".join(map(str, numbered[0]))
            raise LayoutChanged(
                f"PACE {label}: paragraph numbering breaks after {last.number} (next numbered "
                f"block: '{number}. {numbered[1][:50]}') — a paragraph is missing or the "
                "layout changed", url=url)
        return


def _numbered(block: str) -> tuple[tuple[int, ...], str] | None:
    if match := _SUB.match(block):
        return tuple(int(p) for p in match.group(1).split(".")), match.group(2)
    if match := _TOP.match(block):
        return (int(match.group(1)),), match.group(2)
    return None


def _next_numbers(path: tuple[int, ...]) -> set[tuple[int, ...]]:
    """Numbers that may follow `path`: its first child, its next sibling, an ancestor's sibling."""
    allowed = {path + (1,)}
    for depth in range(1, len(path) + 1):
        allowed.add(path[: depth - 1] + (path[depth - 1] + 1,))
    return allowed


def _attach(roots: list[Para], current: Para | None, path: tuple[int, ...], text: str) -> Para:
    para = Para(number=".".join(str(p) for p in path), text=text)
    parent = current
    while parent is not None and len(parent.path) >= len(path):
        parent = parent.parent
    if parent is None:
        roots.append(para)
    else:
        para.parent = parent
        parent.children.append(para)
    return para


def _continues(text: str, block: str) -> bool:
    """Does `block` belong to the paragraph whose text so far is `text`?"""
    if _END_ANCHORS.match(block):
        return False
    if _LIST_ITEM.match(block) or block[:1].islower():
        return True
    return not text.rstrip().endswith(_ENDS_SENTENCE)
