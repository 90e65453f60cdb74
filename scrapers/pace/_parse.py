"""`parse_pace_page`: one PACE page (either site, either rendering) -> ParsedDocument."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace
from urllib.parse import urljoin

from scrapers.challenge import challenge_markers
from scrapers.countries import state_by_iso3, to_iso3
from scrapers.errors import LayoutChanged, NotADocument, ScrapeError, SourceBlocked
from scrapers.pace._calls import PREAMBULAR, Call, find_call, first_word, leaf_call
from scrapers.pace._complete import (
    CALLING_TYPES,
    check_closed,
    check_last_paragraph,
    no_operative_paragraph,
)
from scrapers.pace._followup import follow_ups
from scrapers.pace._header import Header, read_header
from scrapers.pace._html import Page, read_page
from scrapers.pace._paragraphs import Para, read_paragraphs
from scrapers.pace._refs import cm_refs, doc_refs, slug, text_refs
from scrapers.pace._states import states_named
from scrapers.records import (
    DocumentKind,
    Mechanism,
    ParsedDocument,
    Position,
    ScrapedDocument,
    ScrapedLink,
    ScrapedRecommendation,
    recommendation_key,
)
from scrapers.text import sniff_format

__all__ = [
    "FILEID", "PARSER_NAME", "PARSER_VERSION", "check_page", "document_key", "parse_pace_page",
]

PARSER_NAME = "pace"
PARSER_VERSION = "1.0.0"
FILEID = re.compile(r"/files/(\d{3,6})(?:/|$|\?)|[?&]fileid=(\d{3,6})", re.IGNORECASE)


def document_key(iso3: str, ref_slug: str) -> str:
    """Text-level key (no paragraph): "pace/AZE/res-2322-2020"."""
    return f"pace/{iso3}/{ref_slug}"


def parse_pace_page(html: bytes, *, url: str, state: str | None = None,
                    answered: ParsedDocument | None = None) -> ParsedDocument:
    """Parse a PACE adopted text, CM reply or report page.

    `state` (ISO3 or name) overrides the State read from the title and addressees. For a CM
    reply, `answered` (the parsed Recommendation it answers) turns its text-level link into
    one link per recommendation of that text. Raises SourceBlocked for a bot challenge page,
    LayoutChanged when an anchor is missing or the adopted text is incomplete (cut short, no
    operative paragraph), NotADocument for non-HTML bytes. Rejected drafts, CM replies and
    working documents legitimately yield no recommendation.
    """
    kind = sniff_format(html)
    if kind not in ("html", "unknown"):
        raise NotADocument(f"expected a PACE HTML page, got {kind}", url=url)
    page = read_page(html)
    header = check_page(page, html, url=url)
    warnings: list[str] = []
    paras: list[Para] = []
    if header.kind == "text":
        paras = read_paragraphs(page.blocks, start=header.type_index + 1, url=url,
                                label=header.reference)
        check_last_paragraph(paras, header.reference, url=url)
    iso3 = _state(state, header, paras, warnings, url=url)
    parsed = ParsedDocument(document=_document(html, header, page, iso3, url=url))
    if header.kind == "text":
        parsed.recommendations, calls = _recommendations(header, paras, iso3, warnings, url=url)
        if not calls and header.text_type in CALLING_TYPES:
            raise no_operative_paragraph(header.reference, url=url)
        if not calls:
            warnings.append(f"{header.reference}: no paragraph calls on anybody; nothing to track")
        if iso3:
            parsed.implementations, parsed.links = follow_ups(header, paras, iso3, url=url)
    elif header.kind == "reply":
        parsed.links = _reply_links(header, iso3, answered, warnings, url=url)
    elif header.outcome == "rejected":
        warnings.append(f"{header.reference}: the draft was rejected by the Assembly"
                        f"{f' ({header.vote})' if header.vote else ''}; its paragraphs are not "
                        "recommendations")
    else:
        warnings.append(f"{header.reference} ({header.doc_type}): draft or working texts are not "
                        "recommendations; parse the adopted text")
    if iso3:
        parsed.links += _related(page, document_key(iso3, _slug(header)), url=url)
    parsed.warnings = warnings
    return parsed


def check_page(page: Page, html: bytes, *, url: str) -> Header:
    """Real, whole page or challenge: a challenge has its markers and none of the page's
    anchors; a real page has its type line and its closing tags (else it was cut)."""
    markers = challenge_markers(html)
    try:
        header = read_header(page.blocks, url=url, linked=_link_only(page, url))
    except LayoutChanged:
        if markers:
            raise SourceBlocked(f"PACE bot challenge page ({', '.join(markers)})",
                                url=url) from None
        raise
    check_closed(html, header.reference, url=url)
    return header


def _link_only(page: Page, url: str) -> frozenset[str]:
    """Blocks that are nothing but the text of links to other files (related-documents lists):
    a block is one only when the page has no more blocks of that text than such links."""
    own = _fileid(url)
    anchors = Counter(anchor for href, anchor in page.links if _fileid(href) != own or own is None)
    blocks = Counter(page.blocks)
    return frozenset(text for text, n in anchors.items() if 0 < blocks[text] <= n)


def _slug(header: Header) -> str:
    if header.text_type and header.number and header.year:
        return slug(header.text_type, header.number, header.year)
    return "doc-" + header.reference.removeprefix("Doc. ")


def _state(override: str | None, header: Header, paras: list[Para], warnings: list[str], *,
           url: str) -> str | None:
    """The State the text is about: override, else the title, else the addressees of calls."""
    if override:
        iso3 = to_iso3(override.strip()) or to_iso3(override.strip().upper())
        if iso3 is None:
            raise ScrapeError(f"unknown state {override!r}", url=url)
        return iso3
    named = states_named(header.title)
    if len(named) == 1:
        return named[0]
    addressed = list(dict.fromkeys(
        s for p in _all(paras) for c in _calls_in(p.text) for s in c.states))
    if named:  # "Armenia and Azerbaijan": the one its calls address, if only one
        addressed = [s for s in addressed if s in named]
    if len(addressed) == 1:
        return addressed[0]
    named = named or addressed
    warnings.append(f"{header.reference}: State not determined "
                    f"(named: {', '.join(named) or 'none'});"
                    " pass state= to key its recommendations")
    return None


def _all(paras: list[Para]) -> list[Para]:
    return [node for root in paras for node in [root, *_all(root.children)]]


def _calls_in(text: str) -> list[Call]:
    return [c for c in (leaf_call(text), find_call(text)) if c is not None]


def _document(html: bytes, header: Header, page: Page, iso3: str | None, *,
              url: str) -> ScrapedDocument:
    return ScrapedDocument(
        mechanism=Mechanism.PACE, kind=DocumentKind.PACE_TEXT, symbol=header.reference,
        title=header.title, state_under_review=iso3,
        published_on=header.adopted_on or header.doc_date, source_url=url,
        content_type="text/html", sha256=hashlib.sha256(html).hexdigest(), size=len(html),
        parser=PARSER_NAME, parser_version=PARSER_VERSION, reference=header.reference,
        version=header.version, outcome=header.outcome, vote=header.vote,
        cites=_cites(header, page.text))


def _cites(header: Header, text: str) -> list[str]:
    """Other texts this page names: origin documents, resolutions, CM references."""
    cites = [*header.origin_docs, *([header.answers] if header.answers else []),
             *doc_refs(text), *(r.label for r in text_refs(text)), *cm_refs(text)]
    return [c for c in dict.fromkeys(cites) if c != header.reference]


def _recommendations(header: Header, paras: list[Para], iso3: str | None, warnings: list[str], *,
                     url: str) -> tuple[list[ScrapedRecommendation], int]:
    """One record per operative leaf paragraph addressed to someone we track, and how many
    leaves make a call at all (tracked or not: zero means no operative part was found)."""
    recs: list[ScrapedRecommendation] = []
    last: Call | None = None
    calls = 0
    for leaf in (leaf for root in paras for leaf in root.leaves()):
        call = _governing_call(leaf, header, warnings)
        if call is None:
            continue
        calls += 1
        if call.addressee == "them" and last is not None:  # "calls on them to": the last addressee
            call = replace(call, addressee=last.addressee, states=last.states)
        if call.addressee is not None:
            last = call
        if _tracked(call, header, leaf, iso3, warnings) and iso3:
            recs.append(_record(header, leaf, call, iso3, url=url))
    return recs, calls


def _governing_call(leaf: Para, header: Header, warnings: list[str]) -> Call | None:
    """The leaf's own opening verb, else the nearest lead-in above it that makes a call."""
    chain = leaf.ancestors()
    own = leaf_call(leaf.text) if chain else find_call(leaf.text)
    if own is not None:
        return own
    for lead_in in reversed(chain):
        if calls := _calls_in(lead_in.text):
            return calls[0]
    word = first_word(leaf.text)
    if chain and word.endswith("s") and word not in PREAMBULAR:
        warnings.append(f"{header.reference} para. {leaf.number}: opening verb {word!r} is neither "
                        "operative nor preambular vocabulary; not tracked")
    return None


def _tracked(call: Call, header: Header, leaf: Para, iso3: str | None,
             warnings: list[str]) -> bool:
    """Calls to the State, its organs, member States or the CoE bodies; others are reported."""
    where = f"{header.reference} para. {leaf.number}"
    if header.text_type == "Recommendation":
        return True  # a Recommendation is addressed to the Committee of Ministers
    if call.addressee in (None, "them"):
        warnings.append(f"{where}: call addressed to {call.addressee_raw!r} is not tracked")
        return False
    if call.states and iso3 not in call.states:
        warnings.append(f"{where}: call addressed to another State ({', '.join(call.states)})")
        return False
    info = state_by_iso3(iso3) if iso3 else None
    if call.addressee == "member_states" and info is not None and not info.coe_member:
        warnings.append(f"{where}: call to member States; {iso3} is not a Council of Europe member")
        return False
    return True


def _record(header: Header, leaf: Para, call: Call, iso3: str, *,
            url: str) -> ScrapedRecommendation:
    chain = leaf.ancestors()
    addressee = "committee_of_ministers" if header.text_type == "Recommendation" else call.addressee
    return ScrapedRecommendation(
        key=recommendation_key("pace", iso3, _slug(header), leaf.number), mechanism=Mechanism.PACE,
        state=iso3, paragraph=leaf.number, text=leaf.text, position=Position.PENDING,
        position_wording=call.wording, effective_on=header.adopted_on, source_url=url,
        evidence=f"{header.reference} para. {leaf.number}", addressee=addressee,
        context=" ".join(p.text for p in chain) or None, attributes=_attributes(header, url))


def _attributes(header: Header, url: str) -> dict[str, str]:
    values = {
        "text_reference": header.reference, "version": header.version,
        "adopted_by": header.adopted_by, "sitting": header.sitting,
        "debate_on": header.debate_on.isoformat() if header.debate_on else None,
        "committee": header.committee, "rapporteur": header.rapporteur,
        "origin_docs": "; ".join(header.origin_docs) or None, "fileid": _fileid(url),
    }
    return {k: v for k, v in values.items() if v}


def _fileid(url: str) -> str | None:
    match = FILEID.search(url)
    return (match.group(1) or match.group(2)) if match else None


def _reply_links(header: Header, iso3: str | None, answered: ParsedDocument | None,
                 warnings: list[str], *, url: str) -> list[ScrapedLink]:
    """A CM reply joins the timeline of every recommendation of the text it answers."""
    target = text_refs(header.answers or "")[0]
    if answered is not None and answered.document.reference != target.label:
        raise ScrapeError(f"{header.reference} answers {target.label}, not "
                          f"{answered.document.reference}", url=url)
    keys = [r.key for r in answered.recommendations] if answered is not None else []
    if not keys:
        if iso3 is None:
            return []
        keys = [document_key(iso3, target.slug)]
        warnings.append(f"{header.reference}: linked to {target.label} as a whole; pass the parsed "
                        "Recommendation as answered= to link each of its paragraphs")
    title = f"Reply of the Committee of Ministers to {target.label}"
    if header.deputies_meeting:
        title += f" (adopted at the {header.deputies_meeting}th meeting of the Ministers' Deputies)"
    return [ScrapedLink(key=key, role="cm_reply", title=title, reference=header.reference,
                        effective_on=header.deputies_on or header.doc_date, url=url)
            for key in keys]


def _related(page: Page, key: str, *, url: str) -> list[ScrapedLink]:
    """Hyperlinks to other PACE files: the fileid list grows from them (`discover_fileids`)."""
    own = _fileid(url)
    links: dict[str, ScrapedLink] = {}
    for href, anchor in page.links:
        match = FILEID.search(href)
        fileid = (match.group(1) or match.group(2)) if match else None
        if fileid and fileid != own and fileid not in links:
            links[fileid] = ScrapedLink(key=key, role="related",
                                        title=anchor or f"PACE file {fileid}",
                                        url=urljoin(url, href))
    return list(links.values())
