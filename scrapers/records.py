"""Validated records that scrapers produce and the single importer consumes.

Scrapers are pure: bytes in, these records out. Natural keys are defined here and nowhere else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import BaseModel, Field


class Mechanism(StrEnum):
    UPR = "upr"
    PACE = "pace"
    COE_EXEC = "coe_exec"


class Position(StrEnum):
    PENDING = "pending"
    SUPPORTED = "supported"
    PARTIALLY_SUPPORTED = "partially_supported"
    NOTED = "noted"


class Implementation(StrEnum):
    UNKNOWN = "unknown"
    NOT_IMPLEMENTED = "not_implemented"
    PARTIALLY_IMPLEMENTED = "partially_implemented"
    IMPLEMENTED = "implemented"


class DocumentKind(StrEnum):
    WG_REPORT = "wg_report"
    ADDENDUM = "addendum"
    THEMATIC_LIST = "thematic_list"
    UPR_INFO_ENTITY = "upr_info_entity"
    PACE_TEXT = "pace_text"
    EXEC_RECORD = "exec_record"
    SAMPLE = "sample"


def recommendation_key(mechanism: str, state_iso3: str, review_ref: str | int, paragraph: str) -> str:
    """The natural key of a recommendation, e.g. ``upr/AZE/2/109.3``."""
    return f"{mechanism}/{state_iso3}/{review_ref}/{paragraph}"


def text_sha256(text: str) -> str:
    """Hash of whitespace-normalised text: wording changes are detected, reflowing is not."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class ScrapedDocument(BaseModel):
    """Metadata of one source document; its bytes travel beside it."""

    mechanism: Mechanism
    kind: DocumentKind
    symbol: str | None = None
    title: str | None = None
    state_under_review: str | None = None  # ISO3
    cycle: int | None = None
    wg_session: int | None = None
    published_on: date | None = None
    language: str = "en"
    source_url: str
    content_type: str
    sha256: str
    size: int
    parser: str
    parser_version: str
    is_sample: bool = False
    reference: str | None = None  # human id: "Resolution 2322 (2020)", "Doc. 15149"
    version: str | None = None  # "provisional" | "final" where a source publishes both
    outcome: str | None = None  # "adopted" | "rejected" for texts put to a vote
    vote: str | None = None  # as printed, e.g. "for 52, against 75, abstentions 11"
    cites: list[str] = Field(default_factory=list)  # references to other texts, as printed


class FileFacts(NamedTuple):
    """What a ScrapedDocument records about the bytes it was read from."""

    content_type: str
    sha256: str
    size: int

    @classmethod
    def of(cls, data: bytes, content_type: str) -> FileFacts:
        return cls(content_type, hashlib.sha256(data).hexdigest(), len(data))


@dataclass(frozen=True, slots=True)
class UprReview:
    """What a UPR document says about the review it belongs to, as its parser read it: the
    document record and every recommendation key take their State and cycle from here."""

    state: str  # ISO3
    state_name: str  # as printed, for messages and titles
    cycle: int
    symbol: str | None
    published_on: date | None
    wg_session: int | None = None

    def key(self, paragraph: str) -> str:
        return recommendation_key(Mechanism.UPR.value, self.state, self.cycle, paragraph)

    def document(
        self, kind: DocumentKind, title: str, *, source_url: str, file: FileFacts, parser: str,
        parser_version: str,
    ) -> ScrapedDocument:
        """The record of the document itself."""
        return ScrapedDocument(
            mechanism=Mechanism.UPR,
            kind=kind,
            symbol=self.symbol,
            title=title,
            state_under_review=self.state,
            cycle=self.cycle,
            wg_session=self.wg_session,
            published_on=self.published_on,
            source_url=source_url,
            content_type=file.content_type,
            sha256=file.sha256,
            size=file.size,
            parser=parser,
            parser_version=parser_version,
        )


def upr_recommendation(
    state: str, cycle: int, paragraph: str, **fields: Any
) -> ScrapedRecommendation:
    """A UPR recommendation keyed by State under review, cycle and printed item number."""
    return ScrapedRecommendation(
        key=recommendation_key(Mechanism.UPR.value, state, cycle, paragraph),
        mechanism=Mechanism.UPR,
        state=state,
        cycle=cycle,
        paragraph=paragraph,
        **fields,
    )


class ExternalId(BaseModel):
    """An identifier of the same recommendation elsewhere (UPR Info sharedId, HUDOC-EXEC id...)."""

    source: str
    external_id: str
    url: str | None = None
    match_method: str | None = None  # how the record was joined: paragraph, text, none
    match_confidence: float | None = None


class ScrapedRecommendation(BaseModel):
    """One recommendation as a document states it, with the position that document gives."""

    key: str
    mechanism: Mechanism
    state: str  # ISO3 of the state under review
    cycle: int | None = None
    paragraph: str | None  # None when the source numbers nothing (UPR Info entries of their own)
    text: str
    recommending_states: list[str] = Field(default_factory=list)  # ISO3 where known, else as printed
    recommending_states_raw: list[str] = Field(default_factory=list)
    position: Position
    position_wording: str
    effective_on: date | None = None
    source_url: str
    evidence: str | None = None  # e.g. "A/HRC/24/13 para. 109"
    themes: list[str] = Field(default_factory=list)
    sdgs: list[str] = Field(default_factory=list)
    affected_persons: list[str] = Field(default_factory=list)
    action_category: str | None = None
    external_ids: list[ExternalId] = Field(default_factory=list)
    addressee: str | None = None  # who must act: "authorities", "committee_of_ministers", ...
    context: str | None = None  # the lead-in that governs the text ("calls on the authorities to:")
    attributes: dict[str, str] = Field(default_factory=dict)  # source codes kept raw


class ScrapedPosition(BaseModel):
    """A state's answer to a recommendation it received earlier (addendum, later restatement).

    `paragraph` is the full item number in the WG report (`122.17`), `key` its natural key.
    """

    key: str
    paragraph: str
    position: Position
    wording: str  # the document's own words for this position
    response_text: str | None = None  # a free-text reply or the explanation of a partial support
    considered_implemented: bool = False  # "supported and considered already implemented"
    evidence: str  # e.g. "A/HRC/43/15/Add.1 para. 3"
    effective_on: date | None = None
    source_url: str


class ScrapedImplementation(BaseModel):
    """Evidence of what happened to a recommendation (a case closed, a later text's assessment)."""

    key: str
    implementation: Implementation
    wording: str
    evidence: str | None = None
    evidence_url: str | None = None
    effective_on: date | None = None
    source_url: str
    needs_confirmation: bool = False  # a human must confirm before it counts


class ScrapedLink(BaseModel):
    """A dated document in a recommendation's timeline: action plan, CM decision, CM reply."""

    key: str
    role: str
    title: str
    reference: str | None = None
    effective_on: date | None = None
    url: str | None = None


class ParsedDocument(BaseModel):
    """What a parse function returns: the document and the recommendations it states, with
    informational ``warnings`` and ``problems`` (unread parts that make the import partial)."""

    document: ScrapedDocument
    recommendations: list[ScrapedRecommendation] = Field(default_factory=list)
    positions: list[ScrapedPosition] = Field(default_factory=list)
    implementations: list[ScrapedImplementation] = Field(default_factory=list)
    links: list[ScrapedLink] = Field(default_factory=list)
    # Informational notes: the import is complete, a person may want to look (a misprinted item
    # number read back into sequence, a State name matched despite a misprint).
    warnings: list[str] = Field(default_factory=list)
    # Parts of the document the parser could not read, each with where it is ("para 110: ...;
    # it begins '...'"): everything else was extracted, but the import is partial and a person
    # must look. Empty for a complete parse; parsers that never report problems leave it so.
    problems: list[str] = Field(default_factory=list)
