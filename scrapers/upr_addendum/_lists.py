"""Cycles 2-4: numbered paragraphs that list the numbers given one position, under headings.

``3. The Government accepts the following recommendations 122.1, 122.12, 122.17-18, ...`` under
``Accepted recommendations``; per-item notes follow (``122.14– 15``, ``Rec. 18``, ``Recs. 6–13``,
``140.82-85, 87``) and only add explanations: a note never changes a position. The position comes
from the wording before the list, else from the section heading; "already implemented" from either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapers.records import Position
from scrapers.upr_addendum._numbers import NumberList, scan_number_list

__all__ = ["Heading", "ListEntry", "Note", "Paragraph", "classify_clause", "read_list_layout"]

_F = re.IGNORECASE
_HEADING = re.compile(
    r"^(?:[IVX]{1,5}\.|[A-H]\.)?\s*(?P<body>(?:(?:Partially|Partly)\s+)?(?:Accepted|Supported|Noted|"
    r"Rejected|Not\s+(?:accepted|supported)|Recommendations?)\b[^.;:\d]{0,160})$"
)
_ROMAN_ALONE = re.compile(r"^\s*[IVX]{1,5}\.\s*$")
_ENDNOTES = re.compile(r"^\s*(?:End)?notes\s*$", _F)
_PARA = re.compile(r"^(\d{1,2})\.(?:\s+(?=\S)|\s*$)")  # "3. The ..." or "3." alone (number column)
_TRIGGER = re.compile(r"(?:\brecommendations?\b(?:\s+(?:nos?\.|numbers?))?|:)\s*(?=\d)", _F)
_NOTE_PREFIX = re.compile(r"^(?:(?:Recs?\.?|Recommendations?)\s*)?(?=\d)", _F)
_FULL_START = re.compile(r"^\d{1,3}\.\d{1,3}(?!\d)")
_PROSE_START = re.compile(r"^[A-Z\u201c\"'(\u2018]")
_LIST_OPEN = re.compile(
    r"(?:[,\-\u2013\u2014]|\band|\brecommendations?|\bRecs?\.?|\bsee(?: also)?)\s*$", _F
)
_SENTENCE = re.compile(r"(?<![A-Z][a-z])(?<!\b[A-Z])(?<!\bNo)\.\s+(?=[A-Z\u201c\"])")

_RULES: tuple[tuple[Position, re.Pattern[str]], ...] = tuple(
    (position, re.compile(pattern, _F))
    for position, pattern in (
        (Position.PARTIALLY_SUPPORTED, r"\b(?:partially|partly|in\s+part)\b"),
        (
            Position.NOTED,
            (
                r"\b(?:cannot|can\s?not|does\s+not|do\s+not|did\s+not|is\s+unable\s+to)\s+"
                r"(?:accept|support)|\bnot\s+(?:accepted|supported)\b|\breject(?:s|ed)?\b"
            ),
        ),
        (Position.NOTED, r"\b(?:notes?|noted|takes?\s+note|took\s+note)\b"),
        (
            Position.SUPPORTED,
            r"\b(?:accepts?|accepted|supports?|supported|enjoys?\s+(?:the\s+)?support)\b",
        ),
        (
            Position.PENDING,
            r"\bwill\s+(?:be\s+)?(?:examined|considered|examine|consider)\b|\bpending\b",
        ),
    )
)
_IMPLEMENTED = re.compile(
    r"already\s+(?:been\s+)?implemented|in\s+(?:the\s+)?process\s+of\s+implementation|"
    r"considers?\b[^.]{0,60}\bimplemented|being\s+implemented",
    _F,
)


def classify_clause(clause: str) -> tuple[Position | None, bool]:
    """Position a clause states ("The Government accepts the following recommendations") and
    whether it calls them already implemented; (None, False) when it states none."""
    flat = " ".join(clause.split())
    implemented = bool(_IMPLEMENTED.search(flat))
    for position, pattern in _RULES:
        if pattern.search(flat):
            return position, implemented and position is Position.SUPPORTED
    return None, False


@dataclass(frozen=True)
class Heading:
    text: str
    position: Position | None
    implemented: bool


@dataclass
class Paragraph:
    number: int
    lines: list[str]
    heading: Heading | None


@dataclass(frozen=True)
class Note:
    numbers: list[str]
    printed: str
    text: str


@dataclass
class ListEntry:
    """One number list with the position its paragraph gives it."""

    paragraph: int
    numbers: list[str]
    position: Position
    wording: str
    implemented: bool
    explanation: str = ""
    notes: list[Note] = field(default_factory=list)


def read_list_layout(
    text: str, parent: int | None, warnings: list[str]
) -> tuple[list[ListEntry], list[Note], list[str]]:
    """All position lists and notes of the document, plus bare numbers lacking a parent."""
    entries: list[ListEntry] = []
    notes: list[Note] = []
    orphans: list[str] = []
    for paragraph in _paragraphs(text.split("\n")):
        found, rest_notes, missing = _read_paragraph(paragraph, parent, warnings)
        entries.extend(found)
        notes.extend(rest_notes)
        orphans.extend(missing)
    return entries, notes, orphans


def _paragraphs(lines: list[str]) -> list[Paragraph]:
    """Numbered paragraphs (numbering must run 1, 2, 3 ...) with the heading above each."""
    out: list[Paragraph] = []
    heading: Heading | None = None
    heading_lines: list[str] = []
    expected = 1
    for line in lines:
        if _ENDNOTES.match(line):
            break  # the endnotes block closes the document
        if _ROMAN_ALONE.match(line):
            continue  # a heading number in its own column ("III." / "Noted recommendations")
        para = _PARA.match(line)
        if para and int(para.group(1)) == expected:
            heading = _heading(heading_lines) if heading_lines else heading
            heading_lines = []
            out.append(Paragraph(expected, [line[para.end() :]], heading))
            expected += 1
        elif _HEADING.match(line) and "recommendation" in line.lower():
            heading_lines = [line]
        elif (
            heading_lines
            and len(heading_lines) < 3
            and line[:1].islower()
            and not re.search(r"\d", line)
        ):
            heading_lines.append(line)
        elif heading_lines:
            if out:  # prose after a heading-like line: it was prose too
                out[-1].lines.extend([*heading_lines, line])
            heading_lines = []
        elif out:
            out[-1].lines.append(line)
    return out


def _heading(lines: list[str]) -> Heading:
    text = " ".join(" ".join(lines).split())
    body = _HEADING.match(lines[0])
    label = text[body.start("body") :] if body else text
    position, implemented = classify_clause(label)
    return Heading(
        label,
        position,
        implemented or (position is Position.SUPPORTED and "implement" in label.lower()),
    )


def _read_paragraph(
    para: Paragraph, parent: int | None, warnings: list[str]
) -> tuple[list[ListEntry], list[Note], list[str]]:
    """Lists at the head of a paragraph, then the notes in the rest of it."""
    text = "\n".join(para.lines)
    entries: list[ListEntry] = []
    orphans: list[str] = []
    pos = 0
    while True:
        trigger = _TRIGGER.search(text, pos)
        first_note = _first_note_offset(text, pos, parent)
        if trigger is None or (first_note is not None and first_note < trigger.start()):
            break
        numbers = scan_number_list(text, trigger.end(), parent=parent)
        entry = _entry(para, _clause(text, pos, trigger.end()), numbers, warnings)
        if entry is None and not numbers.needs_parent:
            break  # numbers without a position ("see recommendations 12-14", a note heading)
        orphans.extend(numbers.needs_parent)
        pos = max(numbers.end, trigger.end())
        if entry is not None:
            entries.append(entry)
    if not entries:
        return [], [], orphans
    explanation, notes = _split_rest(text[pos:], parent, warnings)
    _explained(entries[-1], explanation)
    return entries, notes, orphans


def _explained(entry: ListEntry, explanation: str) -> None:
    """Attach the sentences after a list; "X considers that they are already implemented" counts."""
    entry.explanation = explanation
    first = _SENTENCE.split(explanation, maxsplit=1)[0] if explanation else ""
    if (
        entry.position is Position.SUPPORTED
        and not entry.implemented
        and _IMPLEMENTED.search(first)
    ):
        entry.implemented = True
        entry.wording = f"{entry.wording} [...] {first.rstrip('.')}."


def _clause(text: str, start: int, end: int) -> str:
    """The sentence that leads into a list: from the last sentence end before it."""
    head = text[start:end]
    cut = 0
    for boundary in _SENTENCE.finditer(head):
        cut = boundary.end()
    return " ".join(head[cut:].split()).strip(" :,;")


def _entry(
    para: Paragraph, clause: str, numbers: NumberList, warnings: list[str]
) -> ListEntry | None:
    """Position of one list from its clause, falling back on the section heading."""
    position, implemented = classify_clause(clause)
    heading = para.heading
    wording = clause
    if (
        position is None
        and heading is not None
        and heading.position is not None
        and "recommendation" in clause.lower()
    ):
        position, wording = heading.position, f"{heading.text}: {clause}"
    if position is None:
        return None  # "see recommendations 12-14", "three categories: 1. ..." - no position stated
    if heading is not None and heading.position not in (None, position):
        warnings.append(
            f"para {para.number}: wording says {position} but heading says {heading.position}: "
            f"{heading.text!r}"
        )
    if (
        position is Position.SUPPORTED
        and heading is not None
        and heading.implemented
        and not implemented
    ):
        implemented, wording = True, f"{heading.text}: {clause}"
    warnings.extend(f"para {para.number}: {w}" for w in numbers.warnings)
    if not numbers.numbers:
        return None
    return ListEntry(para.number, numbers.numbers, position, wording, implemented)


def _first_note_offset(text: str, start: int, parent: int | None) -> int | None:
    """Offset of the first note heading line at or after ``start`` (None when there is none)."""
    offset = 0
    previous = ""
    for line in text.split("\n"):
        line_end = offset + len(line) + 1
        if offset >= start and _note_head(line, previous, parent) is not None:
            return offset
        previous, offset = line, line_end
    return None


def _note_head(line: str, previous: str, parent: int | None) -> tuple[NumberList, str] | None:
    """(numbers, rest of line) when ``line`` starts a note: ``122.14– 15``, ``Rec. 18 We ...``."""
    prefix = _NOTE_PREFIX.match(line)
    if prefix is None or _LIST_OPEN.search(previous):
        return None
    if not prefix.group(0) and not _FULL_START.match(line):
        return None  # a bare "18" at a line start is prose, not a note heading
    numbers = scan_number_list(line, prefix.end(), parent=parent)
    rest = line[numbers.end :].strip()
    if not numbers.numbers or re.match(r"^[,\-\u2013]", rest):
        return None
    if rest and not _PROSE_START.match(rest.lstrip(". ")):
        return None
    return numbers, rest.lstrip(". ")


def _split_rest(rest: str, parent: int | None, warnings: list[str]) -> tuple[str, list[Note]]:
    """Text after the last list: the explanation sentences, then one Note per note heading."""
    explanation: list[str] = []
    notes: list[tuple[NumberList, str, list[str]]] = []
    previous = ""
    for line in rest.split("\n"):
        head = _note_head(line, previous, parent) if line.strip() else None
        if head is not None:
            numbers, first = head
            notes.append(
                (numbers, line[: len(line) - len(first)].strip(), [first] if first else [])
            )
            warnings.extend(numbers.warnings)
        elif notes:
            notes[-1][2].append(line)
        else:
            explanation.append(line)
        previous = line
    built = [
        Note(n.numbers, printed, " ".join(" ".join(body).split())) for n, printed, body in notes
    ]
    return " ".join(" ".join(explanation).split()).lstrip(".;:, "), built
