"""The recommendation filter: one class, one spelling, used by every surface.

The list API, the bulk export (API and CLI), the Atom feed and the dashboard all filter with
`RecommendationFilter`; the HTTP surfaces take it through one FastAPI dependency
(`FilterQuery`), so a parameter has the same name, type and validation everywhere, and an
unknown state is the same 422 on every route. The SQL that reads a filter stays in
`service.recommendations.repository`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Annotated

from fastapi import Query

from scrapers import countries
from scrapers.records import Implementation, Mechanism, Position
from service.errors import InvalidParameter
from service.recommendations.schemas import Status
from service.states.seed import SAMPLE_STATE

# A field that callers inside the service set, never a query parameter.
INTERNAL = {"query": False}


@dataclass
class RecommendationFilter:
    """What to select; `None` (or an empty string) means "any". Values are already validated:
    build one with `RecommendationFilter.parse` (or the `FilterQuery` dependency) from user input."""

    state: str | None = None
    recommending_state: str | None = None
    mechanism: str | None = None
    cycle: int | None = None
    position: str | None = None
    implementation: str | None = None
    status: Status | None = None
    review_id: int | None = field(default=None, metadata=INTERNAL)
    q: str | None = None
    theme: str | None = None
    sdg: str | None = None
    affected: str | None = None
    include_sample: bool = True

    @classmethod
    def parse(cls, *, state: str | None = None, recommending_state: str | None = None,
              include_sample: bool | None = None, sample_default: bool = True,
              **values: object) -> RecommendationFilter:
        """A filter from user values: state names become ISO3 codes (unknown ones are a 422).
        `include_sample=None` takes `sample_default`, or True when the subject is the sample state."""
        iso3 = state_code(state, "state")
        if include_sample is None:
            include_sample = sample_default or iso3 == SAMPLE_STATE.iso3
        return cls(state=iso3, recommending_state=state_code(recommending_state, "recommending_state"),
                   include_sample=include_sample, **values)  # type: ignore[arg-type]


QUERY_FIELDS = tuple(f.name for f in fields(RecommendationFilter) if f.metadata.get("query", True))


def to_state_code(value: str) -> str | None:
    """ISO3 code (any case), the sample state's code, or a state name → the code; else None."""
    value = value.strip()
    if value.upper() == SAMPLE_STATE.iso3:
        return SAMPLE_STATE.iso3
    code = countries.to_iso3(value)
    if code is None and len(value) == 3:
        code = countries.to_iso3(value.upper())
    return code


def state_code(value: str | None, name: str) -> str | None:
    """Accept an ISO3 code or a state name; anything else is a clear 422."""
    if value is None or not value.strip():
        return None
    code = to_state_code(value)
    if code is None:
        raise InvalidParameter(f"{name}: unknown state {value!r}; use an ISO 3166 alpha-3 code")
    return code


# The parameters, typed once: reports that take only some of them reuse these.
StateQuery = Annotated[str | None, Query(min_length=1, max_length=60,
                                         description="State under review (ISO3 or name)")]
RecommendingStateQuery = Annotated[str | None, Query(min_length=1, max_length=60,
                                                     description="Recommending state (ISO3 or name)")]
MechanismQuery = Annotated[Mechanism | None, Query(description="Mechanism")]
CycleQuery = Annotated[int | None, Query(ge=1, le=20, description="UPR cycle")]
PositionQuery = Annotated[Position | None, Query(description="The state's position")]
ImplementationQuery = Annotated[Implementation | None, Query(description="Implementation")]
StatusQuery = Annotated[Status | None, Query(description="Derived status")]
TextQuery = Annotated[str | None, Query(min_length=1, max_length=200, description="Words in the text")]
ThemeQuery = Annotated[str | None, Query(max_length=300, description="Theme name")]
SdgQuery = Annotated[str | None, Query(max_length=300, description="SDG goal number or label")]
AffectedQuery = Annotated[str | None, Query(max_length=300, description="Affected persons")]
SampleQuery = Annotated[bool | None, Query(
    description="Include the fictional sample data (default: as the route says; always when "
                "`state` is the sample state)")]


class FilterQuery:
    """The FastAPI dependency: every filter as a query parameter, parsed into the filter.

    Surfaces differ only in whether sample data is in by default (the list and the feed: yes;
    the bulk export: only when asked for, or when the sample state is the subject). A coroutine,
    though it awaits nothing: FastAPI then parses on the event loop instead of handing every
    list request to a thread and back."""

    def __init__(self, *, sample_default: bool) -> None:
        self.sample_default = sample_default

    async def __call__(self, state: StateQuery = None, recommending_state: RecommendingStateQuery = None,
                 mechanism: MechanismQuery = None, cycle: CycleQuery = None,
                 position: PositionQuery = None, implementation: ImplementationQuery = None,
                 status: StatusQuery = None, q: TextQuery = None, theme: ThemeQuery = None,
                 sdg: SdgQuery = None, affected: AffectedQuery = None,
                 include_sample: SampleQuery = None) -> RecommendationFilter:
        return RecommendationFilter.parse(
            state=state, recommending_state=recommending_state, mechanism=mechanism, cycle=cycle,
            position=position, implementation=implementation, status=status, q=q, theme=theme,
            sdg=sdg, affected=affected, include_sample=include_sample,
            sample_default=self.sample_default)


# One instance per default, so FastAPI caches the parsed filter within a request.
WITH_SAMPLE = FilterQuery(sample_default=True)
WITHOUT_SAMPLE = FilterQuery(sample_default=False)
