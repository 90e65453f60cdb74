"""What a status report holds, independent of its format: every renderer reads only these objects,
so the DOCX, XLSX, CSV, HTML and JSON of one report cannot disagree."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

POSITION_LABELS = {"supported": "Supported", "partially_supported": "Partially supported",
                   "noted": "Noted", "pending": "Pending"}
IMPLEMENTATION_LABELS = {"implemented": "Implemented", "partially_implemented": "Partially implemented",
                         "not_implemented": "Not implemented", "unknown": "Not assessed"}
STATUS_LABELS = {"implemented": "Implemented", "partially_implemented": "Partially implemented",
                 "accepted": "Accepted", "rejected": "Rejected (noted)", "pending": "Pending"}
MECHANISM_LABELS = {"upr": "UPR", "pace": "PACE",
                    "coe_exec": "Council of Europe: execution of judgments"}
NO_THEME = "No theme assigned"
# Told how many rows a renderer has written since the last call: drives progress bars.
Tick = Callable[[int], None]


class GroupBy(StrEnum):
    THEME = "theme"
    MECHANISM = "mechanism"
    PARAGRAPH = "paragraph"


def label(labels: dict[str, str], value: str | None) -> str:
    """A human label; unknown values pass through so new enum members never crash a report."""
    return labels.get(value or "", value or "")


@dataclass(frozen=True)
class ReportScope:
    """Which recommendations a report covers: one state, optionally one mechanism, cycle or
    period (by the publication date of the document that made the recommendation)."""

    state: str
    mechanism: str | None = None
    cycle: int | None = None
    since: date | None = None
    until: date | None = None
    group_by: GroupBy = GroupBy.THEME

    def describe(self) -> str:
        what = label(MECHANISM_LABELS, self.mechanism) if self.mechanism else (
            "UPR" if self.cycle is not None else "all mechanisms")
        if self.cycle is not None:
            what += f" cycle {self.cycle}"
        if self.since or self.until:
            what += f", published {self.since or '…'} to {self.until or '…'}"
        return what

    def slug(self) -> str:
        """The scope part of a file name: `upr2`, `pace`, `all`, plus dates when given."""
        if self.cycle is not None:
            part = f"{self.mechanism or 'upr'}{self.cycle}"
        else:
            part = self.mechanism or "all"
        for day in (self.since, self.until):
            if day:
                part += f"-{day.isoformat()}"
        return part.replace("_", "-")


@dataclass(frozen=True)
class StateRef:
    code: str  # ISO3 when known, else the name as printed
    name: str


@dataclass(frozen=True)
class StatusSource:
    """The status event in force, and the document passage that says so."""

    value: str
    effective_on: date | None
    evidence: str | None  # e.g. "A/HRC/43/15/Add.1 para. 3"
    url: str | None
    document_id: int | None
    document_symbol: str | None
    wording: str | None
    recorded_by: str
    note: str | None

    def cite(self) -> str:
        """"A/HRC/24/13 para. 109, 2013-07-05": what an author pastes as the footnote."""
        where = self.evidence or self.document_symbol or self.url or f"recorded by {self.recorded_by}"
        return f"{where}, {self.effective_on.isoformat()}" if self.effective_on else where


@dataclass(frozen=True)
class Recurrence:
    """A similar recommendation to the same state in an earlier cycle."""

    recommendation_id: int
    cycle: int | None
    paragraph: str | None
    position: str
    implementation: str
    similarity: float

    def describe(self) -> str:
        text = (f"also recommended in cycle {self.cycle} ({self.paragraph or 'no paragraph'}), "
                f"{label(POSITION_LABELS, self.position).lower()}")
        if self.implementation != "unknown":
            text += f", {label(IMPLEMENTATION_LABELS, self.implementation).lower()}"
        return text


@dataclass
class ReportRow:
    id: int
    key: str
    mechanism: str
    cycle: int | None
    paragraph: str | None
    ref: str  # what the table's first column shows: the paragraph, with cycle when mixed
    text: str
    recommending_states: list[StateRef]
    position: str
    position_source: StatusSource | None
    implementation: str
    implementation_source: StatusSource | None
    status: str
    themes: list[str]  # primary (first attached) theme first
    sdgs: list[str]
    affected: list[str]
    recurrences: list[Recurrence]
    group: str = ""

    @property
    def other_themes(self) -> list[str]:
        return [t for t in self.themes if t != self.group]

    @property
    def states_text(self) -> str:
        return ", ".join(s.name for s in self.recommending_states)

    @property
    def recurrence_text(self) -> str:
        return "; ".join(r.describe() for r in self.recurrences)


@dataclass
class ReportGroup:
    title: str
    rows: list[ReportRow]


@dataclass(frozen=True)
class ThemeCount:
    name: str
    listed: int  # rows shown under this theme (its primary theme): these add up to the total
    tagged: int  # recommendations carrying the theme at all


@dataclass
class Comparison:
    """This review against the previous one of the same mechanism."""

    previous: str
    previous_total: int
    current_total: int
    previous_by_position: dict[str, int]
    current_by_position: dict[str, int]
    recurring: int  # recommendations of this review that repeat one of the previous review
    recurring_noted_before: int


@dataclass
class Summary:
    total: int
    by_position: dict[str, int]
    by_implementation: dict[str, int]
    by_status: dict[str, int]
    by_theme: list[ThemeCount]
    comparison: Comparison | None


@dataclass(frozen=True)
class SourceDocument:
    id: int
    symbol: str | None
    title: str | None
    kind: str
    url: str | None
    published_on: date | None
    sha256: str
    fetched_at: datetime


@dataclass(frozen=True)
class SourceFreshness:
    source: str
    last_outcome: str | None
    last_success_at: datetime | None
    newest_document_at: datetime | None
    failing: bool


@dataclass
class Report:
    scope: ReportScope
    state_name: str
    generated_at: datetime
    is_sample: bool
    summary: Summary
    groups: list[ReportGroup]
    sources: list[SourceDocument]
    freshness: list[SourceFreshness] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.state_name}: implementation of recommendations, {self.scope.describe()}"

    @property
    def data_as_of(self) -> datetime | None:
        """The newest successful run of any source: nothing in the report is newer than this."""
        times = [f.last_success_at for f in self.freshness if f.last_success_at]
        return max(times) if times else None

    def rows(self) -> Iterator[ReportRow]:
        for group in self.groups:
            yield from group.rows

    def file_name(self, extension: str) -> str:
        """`azerbaijan-upr2.docx`: ASCII only, safe in a Content-Disposition header."""
        folded = unicodedata.normalize("NFKD", self.state_name).encode("ascii", "ignore").decode()
        stem = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or self.scope.state.lower()
        return f"{stem}-{self.scope.slug()}.{extension}"
