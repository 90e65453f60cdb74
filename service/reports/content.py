"""Gathers one report from the database: the recommendations in scope read through the one detail
model (service/recommendations/detail.py, one statement per 500 ids), then the summary and annex.

Sample data (`is_sample`) never enters a report unless the report is of the sample state itself:
sample recommendations and documents are filtered here, sample recurrences in rows.py, once each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from scrapers import countries
from service.errors import InvalidParameter, NotFound
from service.models import (
    Document,
    Recommendation,
    State,
)
from service.models._common import utcnow
from service.public_urls import public_document_url
from service.recommendations.detail import details
from service.reports import grouping, summary
from service.reports.model import (
    GroupBy,
    Report,
    ReportScope,
    SourceDocument,
    SourceFreshness,
)
from service.reports.rows import report_row
from service.runs.repository import source_health
from service.states.seed import SAMPLE_STATE

CHUNK = 2000  # ids per IN (...) list: far below SQLite's and PostgreSQL's parameter limits
Step = Callable[[str], None]


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def resolve_state(session: Session, value: str) -> State:
    """An ISO3 code (any case) or a state name; a state we do not know is a 404."""
    value = value.strip()
    candidates = [value.upper()] if len(value) == 3 else []
    if (code := countries.to_iso3(value)) is not None:
        candidates.append(code)
    for code in candidates:
        state = session.execute(select(State).where(State.iso3 == code)).scalar_one_or_none()
        if state is not None:
            return state
    if candidates and countries.state_by_iso3(candidates[-1]):
        raise NotFound(f"no data about {candidates[-1]} in this database")
    raise NotFound(f"unknown state {value!r}; use an ISO 3166 alpha-3 code such as AZE")


def report_scope(session: Session, state: str, *, cycle: int | None = None,
                 mechanism: str | None = None, since: date | None = None, until: date | None = None,
                 group_by: GroupBy = GroupBy.THEME) -> ReportScope:
    """A validated scope: a state we hold (else 404) and a period that runs forwards (else 422)."""
    if since and until and since > until:
        raise InvalidParameter(f"since: {since} is after until {until}")
    iso3 = resolve_state(session, state).iso3
    return ReportScope(state=iso3, mechanism=str(mechanism) if mechanism else None, cycle=cycle,
                       since=since, until=until, group_by=group_by)


def includes_sample(scope: ReportScope) -> bool:
    return scope.state == SAMPLE_STATE.iso3


def select_ids(session: Session, scope: ReportScope) -> list[int]:
    stmt = select(Recommendation.id).where(Recommendation.state == scope.state)
    if scope.mechanism:
        stmt = stmt.where(Recommendation.mechanism == scope.mechanism)
    if scope.cycle is not None:
        stmt = stmt.where(Recommendation.cycle == scope.cycle)
    if not includes_sample(scope):
        stmt = stmt.where(Recommendation.is_sample.is_(False))
    if scope.since or scope.until:
        # A period is about when a recommendation was made: its source document's date.
        stmt = stmt.join(Document, Document.id == Recommendation.source_document_id)
        if scope.since:
            stmt = stmt.where(Document.published_on >= scope.since)
        if scope.until:
            stmt = stmt.where(Document.published_on <= scope.until)
    return list(session.execute(stmt.order_by(Recommendation.id)).scalars())


def source_documents(session: Session, ids: set[int], review_ids: set[int], *,
                     include_sample: bool) -> list[SourceDocument]:
    """The annex: documents cited by a row, and every document filed under the reviews in scope
    (a thematic list that only added themes is a source too)."""
    docs: dict[int, Document] = {}
    for column, values in ((Document.id, ids), (Document.review_id, review_ids)):
        for part in chunks(sorted(values)):
            stmt = select(Document).where(column.in_(part))
            if not include_sample:
                stmt = stmt.where(Document.is_sample.is_(False))
            docs.update((d.id, d) for d in session.execute(stmt).scalars())
    ordered = sorted(docs.values(), key=lambda d: (d.published_on or date.max, d.symbol or "", d.id))
    # The public address, as `/api/v1/documents` shows it: never a server path.
    return [SourceDocument(id=d.id, symbol=d.symbol, title=d.title, kind=d.kind,
                           url=public_document_url(d.url, symbol=d.symbol, language=d.language,
                                                   mechanism=d.mechanism),
                           published_on=d.published_on, sha256=d.sha256, fetched_at=d.fetched_at)
            for d in ordered]


def freshness(session: Session) -> list[SourceFreshness]:
    return [SourceFreshness(source=r["source"], last_outcome=r["last_outcome"],
                            last_success_at=r["last_success_at"],
                            newest_document_at=r["newest_document_at"], failing=r["failing"])
            for r in source_health(session, {})]


def gather(session: Session, scope: ReportScope, *, step: Step | None = None) -> Report:
    """Everything one report shows. `step` is told the name of each stage, for progress bars."""
    tell = step or (lambda _name: None)
    state = resolve_state(session, scope.state)
    sample = includes_sample(scope)
    tell("recommendations")
    ids = select_ids(session, scope)
    tell("details")  # the one read model the API and the dashboard show too
    recs = list(details(session, ids))
    mixed = len({(r["mechanism"], r["cycle"]) for r in recs}) > 1
    rows = [report_row(r, mixed=mixed, include_sample=sample) for r in recs]
    groups = grouping.group_rows(rows, scope.group_by)
    tell("summary")
    counts = summary.summarise(session, scope, rows, include_sample=sample)
    tell("sources")
    cited = {r["source_document"]["id"] for r in recs if r["source_document"]}
    cited |= {s.document_id for row in rows for s in (row.position_source, row.implementation_source)
              if s is not None and s.document_id}
    documents = source_documents(session, cited, {r["review"]["id"] for r in recs}, include_sample=sample)
    return Report(scope=scope, state_name=state.name, generated_at=utcnow(), is_sample=sample,
                  summary=counts, groups=groups, sources=documents, freshness=freshness(session))


STEPS = 4  # calls of `step` in gather(), for a determinate progress bar
