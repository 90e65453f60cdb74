"""Find the "Conclusions and/or recommendations" section and cut it into lead-ins and items.

Works on cleaned text lines (see scrapers.text). A block is one numbered lead-in paragraph with
the items printed under it. Item numbers must increase under their lead-in, which is what tells
a real item start ("109.3", "1.") from a number that merely begins a wrapped line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapers.errors import LayoutChanged

_HEADING = re.compile(
    r"^[ \t]*(?:[IVX]{1,4}\.?\s+)?conclusions\s+and(?:/or)?\s+recommendations"
    r"(?:\d{1,2}|\s*[*\u2217]{1,3})?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_END_ANCHOR = re.compile(
    r"^\d{1,3}\.\s*All\s+(?:the\s+)?conclusions\s+and(?:/or)?\s+recommendations\b",
    re.IGNORECASE | re.MULTILINE,
)
_AFTER_SECTION = re.compile(r"^(?:Annex\b|[IVX]{1,4}\.\s+[A-Z])", re.MULTILINE)
_NEXT_CHAPTER = re.compile(r"^[IVX]{1,4}\.\s+[A-Z][a-z]", re.MULTILINE)  # "III. Voluntary pledges"
_DOTTED = re.compile(r"^(\d{1,3})\.\s?(\d{1,3})(?!\d)\.?\s*")
_BARE = re.compile(r"^(\d{1,3})\.(?![\d.])\s*")
_LIST_INTRO = re.compile(r":\s*$|\bbelow\b|\bfollowing\b|\brecommendations\b", re.IGNORECASE)
_LIST_INTRO_END = re.compile(r":\s*$|\bfollowing\b|\bbelow\b", re.IGNORECASE)
_LEAD_IN_WORDS = re.compile(r"recommendation|all conclusions", re.IGNORECASE)
_TERMINATED = re.compile(r"[;.):]\s*$")
_ITEM_START = re.compile(r"[A-Z][a-z]")
MAX_GAP = 3  # a larger jump in item numbers is a number inside text, not an item
MAX_PARA_SKIP = 3  # a misnumbered lead-in paragraph is still recognised by its wording
MISPRINT_SPAN = 2  # "112.3" printed under lead-in 111 (A/HRC/23/6) is read as 111.3


@dataclass(slots=True)
class Item:
    """One printed item: its paragraph, its number under it, and its lines as printed."""

    para: int
    number: int
    printed: str
    lines: list[str] = field(default_factory=list)

    @property
    def paragraph(self) -> str:
        return f"{self.para}.{self.number}"


@dataclass(slots=True)
class Block:
    """A numbered paragraph of the section and the items printed under it."""

    number: int
    lead_lines: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    style: str | None = None  # "dotted" (109.3) or "bare" (1., under para 69)
    continues_from: int = 0  # last bare item number of the block before (numbering may run on)
    # Numbered paragraphs printed inside this block's list (its items go on after them): a
    # recommendation printed as a paragraph of its own, a note. This block's lead-in governs them.
    interjections: list[Block] = field(default_factory=list)

    @property
    def lead_in(self) -> str:
        return " ".join(self.lead_lines)

    @property
    def last(self) -> int:
        return self.items[-1].number if self.items else 0


def in_order(blocks: list[Block]) -> list[tuple[Block, Block | None]]:
    """Blocks in reading order, each with the block whose list it interrupts (or None)."""
    out: list[tuple[Block, Block | None]] = []
    for block in blocks:
        out.append((block, None))
        out.extend((inner, block) for inner in block.interjections)
    return out


def section_start_page(pages: list[str]) -> int:
    """Index of the page carrying the conclusions heading: only the pages from there on are
    cleaned and scanned (keeps parsing cheap next to text extraction). The last match wins, so
    a table of contents printed without dot leaders is never taken for the heading."""
    for index in range(len(pages) - 1, -1, -1):
        if _HEADING.search(pages[index]):
            return index
    raise LayoutChanged("no 'Conclusions and/or recommendations' heading: not a WG report?")


def find_section(text: str, warnings: list[str]) -> str:
    """Text between the conclusions heading and the closing "All conclusions ..." paragraph, or
    the next chapter ("III. Voluntary pledges and commitments") when that comes first."""
    headings = list(_HEADING.finditer(text))
    heading = headings[-1] if headings else None
    if heading is None:
        raise LayoutChanged("no 'Conclusions and/or recommendations' heading: not a WG report?")
    body = text[heading.end() :]
    end = _END_ANCHOR.search(body)
    if end is None:
        after = _AFTER_SECTION.search(body)
        warnings.append("closing 'All conclusions and/or recommendations ...' paragraph not found")
        return body[: after.start()] if after else body
    chapter = _NEXT_CHAPTER.search(body, 0, end.start())
    return body[: chapter.start() if chapter else end.start()]


def scan_blocks(section: str, warnings: list[str]) -> list[Block]:
    """Cut section lines into blocks and items, then repair items merged onto one line."""
    blocks: list[Block] = []
    lines = section.split("\n")
    for line, upcoming in zip(lines, _upcoming_numbers(lines), strict=True):
        if not blocks:
            bare = _BARE.match(line)
            if bare:
                blocks.append(Block(int(bare.group(1)), [line[bare.end() :]]))
            continue
        _feed(blocks, line, upcoming, warnings)
    for block in blocks:
        _split_merged_items(block, warnings)
        _report_gaps(block, warnings)
    return blocks


def _upcoming_numbers(lines: list[str]) -> list[tuple[int, ...] | None]:
    """For each line, the number that opens the next numbered line: (P, N) for "P.N", (K,) for
    "K.". It tells a paragraph "91." from item 91 of a long cycle-1 list (A/HRC/14/12 has 123
    items under para 90): a paragraph is followed by its first item, an item by the next item."""
    upcoming: list[tuple[int, ...] | None] = [None] * len(lines)
    following: tuple[int, ...] | None = None
    for index in range(len(lines) - 1, -1, -1):
        upcoming[index] = following
        dotted = _DOTTED.match(lines[index])
        bare = None if dotted else _BARE.match(lines[index])
        if dotted:
            following = (int(dotted.group(1)), int(dotted.group(2)))
        elif bare:
            following = (int(bare.group(1)),)
    return upcoming


def _feed(
    blocks: list[Block], line: str, upcoming: tuple[int, ...] | None, warnings: list[str]
) -> None:
    """Route one line: new item, new lead-in paragraph, or continuation of the current text."""
    block = blocks[-1]
    dotted = _DOTTED.match(line)
    if dotted and block.style != "bare":
        para, value = int(dotted.group(1)), int(dotted.group(2))
        if _resumes(blocks, para, value, line[dotted.end() :], "dotted"):
            block = blocks[-1]
        number = _dotted_number(block, para, value, warnings)
        if number is None and _lead_in_lost(block, para, value, line[dotted.end() :]):
            warnings.append(f"item {para}.1 printed before any lead-in paragraph {para}")
            block = Block(para)
            blocks.append(block)
            number = 1
        if number is not None:
            _start_item(block, number, dotted.group(0).strip(), line[dotted.end() :], "dotted")
            return
    bare = _BARE.match(line) if dotted is None or block.style != "dotted" else None
    if bare:
        value, rest = int(bare.group(1)), line[bare.end() :]
        item_ok = block.style != "dotted" and _next_ok(block, value)
        if _is_next_para(block, value, rest, item_ok, upcoming):
            carried = block.last if block.style == "bare" else 0
            blocks.append(Block(value, [rest], continues_from=carried))
            return
        if not item_ok and _resumes(blocks, None, value, rest, "bare"):
            block, item_ok = blocks[-1], True
        if item_ok:
            _start_item(block, value, bare.group(0).strip(), rest, "bare")
            return
    if (dotted or bare) and block.items:
        _warn_out_of_sequence(block, line, warnings)
    (block.items[-1].lines if block.items else block.lead_lines).append(line)


def _resumes(blocks: list[Block], para: int | None, number: int, rest: str, style: str) -> bool:
    """True (and the blocks rearranged) when an item continues the list of the block before the
    current one: the current block, finished and announcing no list, was a paragraph printed
    inside that list, so it becomes one of its interjections."""
    if len(blocks) < 2 or not _ITEM_START.match(rest):
        return False
    current, previous = blocks[-1], blocks[-2]
    if current.items or current.interjections or previous.style != style:
        return False
    if _LIST_INTRO_END.search(current.lead_in) or not _TERMINATED.search(current.lead_in):
        return False
    if para is not None and para != previous.number:
        return False
    if not previous.items or number != previous.last + 1:
        return False
    blocks.pop()
    item = previous.items[-1]
    if _TERMINATED.search(item.lines[-1] if item.lines else "") and _ITEM_START.match(
        current.lead_in
    ):
        previous.interjections.append(current)
    else:  # a wrapped line of the item that happened to start with a number
        item.lines += [f"{current.number}. {current.lead_lines[0]}", *current.lead_lines[1:]]
    return True


def _lead_in_lost(block: Block, para: int, number: int, rest: str) -> bool:
    """True for "P.1 <Text>" after a finished item of the paragraph before P: the first item of
    a list whose lead-in paragraph P was not printed (or not extracted)."""
    if para != block.number + 1 or number != 1 or not _ITEM_START.match(rest):
        return False
    previous = block.items[-1].lines if block.items else block.lead_lines
    return bool(previous) and bool(_TERMINATED.search(previous[-1]))


def _warn_out_of_sequence(block: Block, line: str, warnings: list[str]) -> None:
    """A numbered line that reads like an item start but breaks the numbering: kept as text of
    the item before it, and reported, since it may be a real item after a misprint."""
    previous = block.items[-1].lines[-1] if block.items[-1].lines else ""
    number = (_DOTTED.match(line) or _BARE.match(line)).group(0)  # type: ignore[union-attr]
    if _TERMINATED.search(previous) and _ITEM_START.match(line[len(number) :]):
        warnings.append(
            f"para {block.number}: {line[:40]!r} breaks the item numbering after "
            f"{block.number}.{block.last}; kept as text of that item"
        )


def _is_next_para(
    block: Block, value: int, rest: str, item_ok: bool, upcoming: tuple[int, ...] | None
) -> bool:
    """A bare number starts the next paragraph when it follows the block's number. When it could
    also be the next item, what follows decides (its first item, or the next item), then the
    wording; the wording also excuses a skipped paragraph number."""
    if not block.number < value <= block.number + MAX_PARA_SKIP:
        return False
    if upcoming in ((1,), (value, 1)):
        return True
    if item_ok:
        if upcoming == (value + 1,):
            return False
        return value == block.number + 1 and bool(_LEAD_IN_WORDS.search(rest))
    return value == block.number + 1 or bool(_LEAD_IN_WORDS.search(rest))


def _dotted_number(block: Block, para: int, number: int, warnings: list[str]) -> int | None:
    """Item number for a "P.N" line under ``block``, or None when it is not an item start."""
    if para == block.number:
        return number if _next_ok(block, number) else None
    if abs(para - block.number) <= MISPRINT_SPAN and block.items and number == block.last + 1:
        warnings.append(
            f"item printed as {para}.{number} under lead-in {block.number}: "
            f"read as {block.number}.{number}"
        )
        return number
    return None


def _next_ok(block: Block, number: int) -> bool:
    """True when ``number`` continues the item sequence of ``block`` (small gaps allowed).

    The first item must follow a lead-in that introduces a list (colon, "below", "following"),
    so a number opening a wrapped line of commentary paragraphs is not read as an item. Some
    cycle-1 reports number on from the previous list ("51." opens the second lead-in's list).
    """
    if not block.items and not _LIST_INTRO.search(block.lead_in):
        return False
    if number == block.last + 1:
        return True
    if not block.items and block.continues_from and number == block.continues_from + 1:
        return True
    if not block.last < number <= block.last + MAX_GAP:
        return False
    previous = block.items[-1].lines[-1] if block.items else block.lead_lines[-1]
    return bool(_TERMINATED.search(previous))


def _start_item(block: Block, number: int, printed: str, rest: str, style: str) -> None:
    block.style = block.style or style
    block.items.append(Item(block.number, number, printed, [rest] if rest else []))


def _split_merged_items(block: Block, warnings: list[str]) -> None:
    """Split items whose successor's number sits mid-line ("...(Chile); 109.4 Ratify ...")."""
    index = 0
    while index < len(block.items):
        item = block.items[index]
        following = block.items[index + 1].number if index + 1 < len(block.items) else None
        if following == item.number + 1 or (following is None and block.style != "dotted"):
            index += 1
            continue
        wanted = item.number + 1
        prefix = rf"{block.number}\.{wanted}\.?" if block.style == "dotted" else rf"{wanted}\."
        text = " ".join(item.lines)
        match = re.search(rf"(?<=[;.)])\s*({prefix})\s*(?=[A-Z\u201c\"])", text)
        if match is None:
            index += 1
            continue
        item.lines = [text[: match.start()]]
        block.items.insert(
            index + 1, Item(block.number, wanted, match.group(1), [text[match.end() :]])
        )
        warnings.append(f"item {block.number}.{wanted} found inside the text of the item before it")
        index += 1


def _report_gaps(block: Block, warnings: list[str]) -> None:
    """Warn about missing item numbers: the count must match the addendum later."""
    numbers = [item.number for item in block.items]
    first = numbers[0] if numbers and numbers[0] > 1 else 1
    missing = sorted(set(range(first, (max(numbers) if numbers else 0) + 1)) - set(numbers))
    if missing:
        shown = ", ".join(f"{block.number}.{n}" for n in missing[:10])
        warnings.append(f"para {block.number}: item numbers missing: {shown}")
