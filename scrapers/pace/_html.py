"""PACE HTML -> text blocks, whitespace collapsed.

Raw HTML and CSS classes of both PACE sites are unverified (SOURCES.md §6.2), so nothing here
looks at classes or ids: the page becomes an ordered list of text blocks (one per block-level
element or <br>), each whitespace-collapsed, because text nodes carry hard line breaks inside
sentences. Everything downstream locates content by text anchors on these blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, PageElement, ProcessingInstruction

__all__ = ["Page", "read_page"]

_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
})
# Never content: scripts, menus, page footers and form controls.
_DROP = frozenset({"script", "style", "noscript", "template", "svg", "nav", "footer", "button",
                   "select", "option", "iframe", "head", "object"})
# A block holding only a paragraph number or a list letter belongs to the block after it
# (the number may sit in its own cell or span on one of the renderings).
_LONE_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|\([a-z]\))$")


@dataclass
class Page:
    """What the parsers need from one HTML page."""

    blocks: list[str]
    title_tag: str
    image_alts: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, anchor text)

    @property
    def text(self) -> str:
        """The whole page as one whitespace-collapsed string (for text anchors)."""
        return " ".join(self.blocks)


def collapse(text: str) -> str:
    """Collapse every run of whitespace (including no-break spaces) to one space."""
    return " ".join(text.split())


def read_page(html: bytes) -> Page:
    """Parse `html` into text blocks; image alts, <title> and links are kept apart.

    Raw hyperlinks are read before scripts and menus are dropped, so links in a side panel
    ("See related documents") still name the fileids a page points to.
    """
    soup = _soup(html)
    title = collapse(soup.title.get_text()) if soup.title else ""
    alts = [collapse(str(img.get("alt", ""))) for img in soup.find_all("img")]
    links = [(str(a.get("href")), collapse(a.get_text()))
             for a in soup.find_all("a") if a.get("href")]
    root = soup.body or soup
    pieces: list[str] = []
    blocks: list[str] = []
    _walk(root, pieces, blocks)
    _flush(pieces, blocks)
    return Page(blocks=_merge_lone_numbers(blocks), title_tag=title, image_alts=alts, links=links)


def _soup(html: bytes) -> BeautifulSoup:
    """The parsed page. lxml refuses a declared charset it cannot name (a control character in
    ``charset="utf\x028"``) with ValueError: such a page is read as UTF-8 instead."""
    try:
        return BeautifulSoup(html, "lxml")
    except (ValueError, LookupError):
        return BeautifulSoup(html.decode("utf-8", "replace"), "lxml")


def _walk(root: Tag, pieces: list[str], blocks: list[str]) -> None:
    """Depth-first text collection; block elements start and end a block. Iterative (an explicit
    stack of child iterators), so a page nested thousands deep cannot exhaust the recursion."""
    stack: list[tuple[Iterator[PageElement], bool]] = [(iter(root.children), False)]
    while stack:
        children, is_block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if is_block:
                _flush(pieces, blocks)
            continue
        if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            pieces.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _DROP:
            continue
        if child.name in _BLOCK:
            _flush(pieces, blocks)
        stack.append((iter(child.children), child.name in _BLOCK))


def _flush(pieces: list[str], blocks: list[str]) -> None:
    text = collapse("".join(pieces))
    pieces.clear()
    if text:
        blocks.append(text)


def _merge_lone_numbers(blocks: list[str]) -> list[str]:
    merged: list[str] = []
    carry = ""
    for block in blocks:
        if _LONE_NUMBER.match(block):
            carry = f"{carry} {block}".strip()
            continue
        merged.append(f"{carry} {block}".strip() if carry else block)
        carry = ""
    if carry:
        merged.append(carry)
    return merged
