"""The head of a PACE page: type and number, title, version, origin, adoption, CM reply, vote.

Patterns follow SOURCES.md §6.2 and run on whitespace-collapsed blocks; both sites and both
renderings of the current site print the same words in the same order, only their markup
differs. An anchor the page must have raises LayoutChanged naming it.

The type line identifies the text; when it is not recognisable (its wording edited, the title
merged into it) the page is refused with the closest block, never identified from something else
on the page: side panels list other texts' type lines ("Report | Doc. 15020 | ...") as links,
and reading one of those as the page's own silently turned a Resolution into a report.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

from scrapers.errors import LayoutChanged

__all__ = ["TEXT_REF", "Header", "parse_date", "read_header"]

_MONTH_DATE = r"\d{1,2} [A-Z][a-z]+ \d{4}"
_SITTING = r"(?: \((\d+)(?:st|nd|rd|th) [Ss]itting\))?"
TEXT_REF = re.compile(r"\b(Resolution|Recommendation|Opinion) (\d{3,4}) \((\d{4})\)")
_TEXT_LINE = re.compile(
    r"^(Resolution|Recommendation|Opinion) (\d{3,4}) \((\d{4})\)"
    r"(?=$|\s*\||\s+(?:Provisional|Final) version\b)"
)
_DOC_LINE = re.compile(
    r"^(?P<type>[^|]{3,80}?) \| Doc\. ?(?P<doc>\d{4,5}) \| (?P<date>[^|]+?)"
    r"(?: \| (?P<version>Provisional|Final) version)?$"
)
_NEAR_TYPE = re.compile(
    r"^(?:R[ée]solution|Recommendation|Opinion|Avis)\b.{0,40}?\d{3,4}|\|\s*Doc\b", re.IGNORECASE
)
_VERSION = re.compile(r"\b(Provisional|Final) version\b")
_ADOPTED = re.compile(
    rf"Text adopted by the (Assembly|Standing Committee[^.]*?) on ({_MONTH_DATE}){_SITTING}"
)
_DEBATE = re.compile(rf"Assembly debate on ({_MONTH_DATE}){_SITTING}")
_DOC_REF = re.compile(r"\bDoc\. ?(\d{4,5})\b")
_COMMITTEE = re.compile(r"\breport of the ((?:[A-Z][\w']*\s)?Committee(?: on [^,;()]+)?)")
_RAPPORTEUR = re.compile(r"\b(?:co-)?rapporteurs?\s?:\s?([^();]+?)(?:\)|;|\. |$)", re.IGNORECASE)
_REPLY_TO = re.compile(r"Reply to Recommendation\s*:?\s*(Recommendation \d{3,4} \(\d{4}\))")
_DEPUTIES = re.compile(
    r"Adopted at the (\d{3,4})(?:st|nd|rd|th) meeting of the Ministers['\u2019] "
    rf"Deputies \(({_MONTH_DATE})\)"
)
_REJECTED = re.compile(
    r"\bdraft (?:resolution|recommendation)\b[^.]{0,160}?\b(?:was|were) (?:rejected|not adopted)\b"
    r"|\bdid not obtain the (?:required|necessary)(?: two-thirds)? majority\b"
    r"|\brejected by the (?:Assembly|Standing Committee)\b",
    re.IGNORECASE,
)
_VOTE = (
    re.compile(
        r"(\d+) (?:votes )?(?:for|in favour)[,;]? (\d+) against[,;]?(?: (?:and|with) (\d+) "
        r"abstentions?)?",
        re.IGNORECASE,
    ),
    re.compile(r"\bfor:? (\d+)[,;] against:? (\d+)(?:[,;] abstentions?:? (\d+))?", re.IGNORECASE),
)
# Blocks that sit next to the type line and are never the title.
_FURNITURE = re.compile(
    r"^(?:Print|See related documents|Logo \w+|Parliamentary Assembly|"
    r"Author\(s\):?.*|Origin\b.*|(?:Provisional|Final) version|Home|Documents|"
    r"Adopted texts?|Working documents?|Reply to Recommendation\b.*|:.*)$"
)


@dataclass
class Header:
    """Metadata printed before the paragraphs."""

    kind: str  # "text" (adopted text), "reply" (CM reply), "report", "document"
    reference: str  # "Resolution 2322 (2020)" or "Doc. 15149"
    type_index: int  # block index of the type line
    title: str
    text_type: str | None = None  # Resolution / Recommendation / Opinion
    number: int | None = None
    year: int | None = None
    doc_type: str | None = None  # "Reply to Recommendation", "Report", ...
    doc_date: date | None = None
    version: str | None = None
    adopted_on: date | None = None
    adopted_by: str | None = None
    sitting: str | None = None
    debate_on: date | None = None
    committee: str | None = None
    rapporteur: str | None = None
    origin_docs: list[str] = field(default_factory=list)
    answers: str | None = None  # the Recommendation a CM reply answers
    deputies_meeting: str | None = None
    deputies_on: date | None = None
    outcome: str | None = None
    vote: str | None = None


def parse_date(raw: str) -> date | None:
    """ "30 January 2020" or "12/10/2023" (day first, as PACE prints it); None if neither."""
    for fmt in ("%d %B %Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


def read_header(blocks: list[str], *, url: str, linked: Collection[str] = ()) -> Header:
    """Find the type line and read everything the head of the page says. `linked`: blocks that
    are only a link to another page; they name other texts and are never this page's type line."""
    header = _type_line(blocks, linked, url=url)
    text = " ".join(blocks)
    version = _VERSION.search(" ".join(blocks[: header.type_index + 8]))
    header.version = version.group(1).lower() if version else None
    _origin(header, text)
    if header.kind == "text":
        _adoption(header, text, url=url)
    elif header.kind == "reply":
        _reply(header, text, url=url)
    if header.kind != "text":  # an adopted text was, by definition, not rejected
        _vote(header, text)
    return header


def _type_line(blocks: list[str], linked: Collection[str], *, url: str) -> Header:
    for index, block in enumerate(blocks):
        if block in linked:
            continue
        if match := _TEXT_LINE.match(block):
            kind, number, year = match.group(1), int(match.group(2)), int(match.group(3))
            return Header(
                kind="text",
                reference=f"{kind} {number} ({year})",
                type_index=index,
                title=_title(blocks, index, legacy=bool(_VERSION.search(block)), url=url),
                text_type=kind,
                number=number,
                year=year,
            )
        if match := _DOC_LINE.match(block):
            doc_type = match.group("type").strip()
            kind = (
                "reply"
                if doc_type.startswith("Reply to Recommendation")
                else "report"
                if doc_type.lower().startswith("report")
                else "document"
            )
            return Header(
                kind=kind,
                reference=f"Doc. {match.group('doc')}",
                type_index=index,
                title=_title(blocks, index, legacy=bool(match.group("version")), url=url),
                doc_type=doc_type,
                doc_date=parse_date(match.group("date")),
            )
    near = _near_miss(blocks, linked)
    raise LayoutChanged(
        "PACE page without a type line ('Resolution NNNN (YYYY)' or "
        "'<type> | Doc. NNNNN | <date>')"
        + (f"; closest block: {near[:100]!r} — its heading was edited or the layout changed: "
           "refused rather than guessed" if near else ""),
        url=url,
    )


def _near_miss(blocks: list[str], linked: Collection[str]) -> str | None:
    """The head block that looks most like a type line (for the reason), before paragraph 1."""
    for block in blocks:
        if re.match(r"^1\.\s", block):
            return None
        if block not in linked and _NEAR_TYPE.search(block):
            return block
    return None


def _title(blocks: list[str], index: int, *, legacy: bool, url: str) -> str:
    """Current site: the title precedes the type line; legacy: it follows ("... Final version")."""
    before = next((b for b in reversed(blocks[:index]) if not _FURNITURE.match(b)), None)
    after = next((b for b in blocks[index + 1 :] if not _FURNITURE.match(b)), None)
    title = after if legacy or before is None else before
    if not title or re.match(r"^\d+\.\s", title) or any(
            p.match(title) for p in (_DEBATE, _ADOPTED, _DEPUTIES)):  # the origin, not a title
        raise LayoutChanged("PACE page without a title next to its type line", url=url)
    if _TEXT_LINE.match(title) or _DOC_LINE.match(title):  # two type lines, no title: edited
        raise LayoutChanged(f"PACE page without a title next to its type line (found another "
                            f"type line {title[:80]!r} instead)", url=url)
    return title


def _origin(header: Header, text: str) -> None:
    if debate := _DEBATE.search(text):
        header.debate_on = parse_date(debate.group(1))
        header.sitting = debate.group(2)
    head = text[: (debate.end() + 600) if debate else 1500]
    if committee := _COMMITTEE.search(head):
        header.committee = committee.group(1).strip()
    if rapporteur := _RAPPORTEUR.search(head):
        header.rapporteur = rapporteur.group(1).strip()
    origin = head[debate.start() :] if debate else ""
    header.origin_docs = list(dict.fromkeys(f"Doc. {n}" for n in _DOC_REF.findall(origin)))


def _adoption(header: Header, text: str, *, url: str) -> None:
    adopted = _ADOPTED.search(text)
    if adopted is None:
        raise LayoutChanged(
            f"{header.reference}: adoption line 'Text adopted by the ... on <date>' not found",
            url=url,
        )
    header.adopted_by = adopted.group(1)
    header.adopted_on = parse_date(adopted.group(2))
    header.sitting = adopted.group(3) or header.sitting
    header.outcome = "adopted"
    if header.adopted_on is None:
        raise LayoutChanged(
            f"{header.reference}: unreadable adoption date {adopted.group(2)!r}", url=url
        )


def _reply(header: Header, text: str, *, url: str) -> None:
    answers = _REPLY_TO.search(text) or re.search(r"Recommendation \d{3,4} \(\d{4}\)", text)
    if answers is None:
        raise LayoutChanged(
            f"{header.reference}: the Recommendation this reply answers is not named", url=url
        )
    header.answers = answers.group(answers.lastindex or 0)
    deputies = _DEPUTIES.search(text)
    if deputies is None:
        raise LayoutChanged(
            f"{header.reference}: 'Adopted at the NNNNth meeting of the Ministers' "
            "Deputies (date)' not found",
            url=url,
        )
    header.deputies_meeting, header.deputies_on = deputies.group(1), parse_date(deputies.group(2))


def _vote(header: Header, text: str) -> None:
    """A draft the Assembly rejected says so (and usually prints the vote)."""
    if not _REJECTED.search(text):
        return
    header.outcome = "rejected"
    for pattern in _VOTE:
        if vote := pattern.search(text):
            for_, against, abstain = vote.groups()
            header.vote = f"for {for_}, against {against}" + (
                f", abstentions {abstain}" if abstain else ""
            )
            break
