"""Gathers one report from the database: a fixed number of queries per batch of ids, no N+1.

Sample data (`is_sample`) never enters a report unless the report is of the sample state itself:
sample recommendations, sample documents and sample recurrences are all filtered here, once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date

from sqlalchemy import Row, select
from sqlmodel import Session

from scrapers import countries
from scrapers.records import Position
from service.errors import InvalidParameter, NotFound
from service.ingest.positions import source_rank
from service.models import (
    Axis,
    Document,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    RelatedRecommendation,
    State,
    StatusEvent,
    Theme,
)
from service.models._common import utcnow
from service.public_urls import public_document_url
from service.recommendations.schemas import derive_status
from service.reports import grouping, summary
from service.reports.model import (
    GroupBy,
    Recurrence,
    Report,
    ReportRow,
    ReportScope,
    SourceDocument,
    SourceFreshness,
    StateRef,
    StatusSource,
)
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


def select_recommendations(session: Session, scope: ReportScope) -> list[Recommendation]:
    stmt = select(Recommendation).where(Recommendation.state == scope.state)
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


def _position_rank(event: Row) -> tuple:
    """Mirrors service.ingest.positions.in_force: answers beat pending, then rank, then date."""
    return (event.new != Position.PENDING, source_rank(event.source_kind),
            event.effective_on or date.min, event.id or 0)


def _implementation_rank(event: Row) -> tuple:
    """Mirrors service.ingest.assessments.latest_implementation: latest date, then latest row."""
    return (event.effective_on or date.min, event.id or 0)


_EVENT_COLUMNS = (StatusEvent.id, StatusEvent.recommendation_id, StatusEvent.axis, StatusEvent.new,
                  StatusEvent.effective_on, StatusEvent.evidence, StatusEvent.evidence_url,
                  StatusEvent.document_id, StatusEvent.wording, StatusEvent.recorded_by,
                  StatusEvent.source_kind, StatusEvent.note, Document.symbol,
                  Document.mechanism.label("doc_mechanism"), Document.language.label("doc_language"))


def status_sources(session: Session, ids: Sequence[int]
                   ) -> tuple[dict[int, StatusSource], dict[int, StatusSource]]:
    """The position and implementation events in force for each id, with their evidence."""
    best: dict[tuple[int, str], tuple[tuple, Row]] = {}
    for part in chunks(ids):
        stmt = (select(*_EVENT_COLUMNS).outerjoin(Document, Document.id == StatusEvent.document_id)
                .where(StatusEvent.recommendation_id.in_(part)))
        for event in session.execute(stmt):
            rank = (_position_rank if event.axis == Axis.POSITION else _implementation_rank)(event)
            slot = (event.recommendation_id, event.axis)
            if slot not in best or rank > best[slot][0]:
                best[slot] = (rank, event)
    positions: dict[int, StatusSource] = {}
    implementations: dict[int, StatusSource] = {}
    for (rec_id, axis), (_, event) in best.items():
        target = positions if axis == Axis.POSITION else implementations
        target[rec_id] = StatusSource(
            value=event.new, effective_on=event.effective_on, evidence=event.evidence,
            url=public_document_url(event.evidence_url, symbol=event.symbol, language=event.doc_language,
                                    mechanism=event.doc_mechanism),
            document_id=event.document_id, document_symbol=event.symbol,
            wording=event.wording, recorded_by=event.recorded_by, note=event.note)
    return positions, implementations


def recommending_states(session: Session, ids: Sequence[int]) -> dict[int, list[StateRef]]:
    out: dict[int, list[StateRef]] = defaultdict(list)
    for part in chunks(ids):
        stmt = (select(RecommendingState.recommendation_id, RecommendingState.state,
                       RecommendingState.name_raw)
                .where(RecommendingState.recommendation_id.in_(part))
                .order_by(RecommendingState.recommendation_id, RecommendingState.position))
        for rec_id, code, raw in session.execute(stmt):
            info = countries.state_by_iso3(code) if len(code) == 3 else None
            out[rec_id].append(StateRef(code=code, name=info.name if info else raw))
    return out


def tags(session: Session, ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """Themes, SDGs and affected persons per id, in the order sources attached them."""
    out: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for part in chunks(ids):
        stmt = (select(RecommendationTheme.recommendation_id, Theme.kind, Theme.name)
                .join(Theme, Theme.id == RecommendationTheme.theme_id)
                .where(RecommendationTheme.recommendation_id.in_(part))
                .order_by(RecommendationTheme.recommendation_id, RecommendationTheme.id))
        for rec_id, kind, name in session.execute(stmt):
            out[rec_id][kind].append(name)
    return out


def recurrences(session: Session, ids: Sequence[int], *, include_sample: bool
                ) -> dict[int, list[Recurrence]]:
    out: dict[int, list[Recurrence]] = defaultdict(list)
    for part in chunks(ids):
        stmt = (select(RelatedRecommendation.recommendation_id, RelatedRecommendation.similarity,
                       Recommendation.id, Recommendation.cycle, Recommendation.paragraph,
                       Recommendation.position, Recommendation.implementation)
                .join(Recommendation, Recommendation.id == RelatedRecommendation.related_id)
                .where(RelatedRecommendation.recommendation_id.in_(part))
                .order_by(RelatedRecommendation.recommendation_id, Recommendation.cycle,
                          RelatedRecommendation.similarity.desc(), Recommendation.id))
        if not include_sample:
            stmt = stmt.where(Recommendation.is_sample.is_(False))
        for rec_id, similarity, other, cycle, paragraph, position, implementation in session.execute(stmt):
            out[rec_id].append(Recurrence(other, cycle, paragraph, position, implementation,
                                          round(similarity, 3)))
    return out


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
    recs = select_recommendations(session, scope)
    ids = [r.id for r in recs]
    tell("recommending states")
    by_state = recommending_states(session, ids)
    tell("positions and implementation")
    positions, implementations = status_sources(session, ids)
    tell("themes")
    by_tag = tags(session, ids)
    tell("recurring recommendations")
    repeats = recurrences(session, ids, include_sample=sample)
    mixed = len({(r.mechanism, r.cycle) for r in recs}) > 1
    rows = [ReportRow(
        id=r.id, key=r.key, mechanism=r.mechanism, cycle=r.cycle, paragraph=r.paragraph,
        ref=grouping.reference(r.mechanism, r.cycle, r.paragraph, mixed=mixed), text=r.text,
        recommending_states=by_state.get(r.id, []), position=r.position,
        position_source=positions.get(r.id), implementation=r.implementation,
        implementation_source=implementations.get(r.id),
        status=derive_status(r.position, r.implementation).value,
        themes=by_tag.get(r.id, {}).get("theme", []), sdgs=by_tag.get(r.id, {}).get("sdg", []),
        affected=by_tag.get(r.id, {}).get("affected", []), recurrences=repeats.get(r.id, []))
        for r in recs]
    groups = grouping.group_rows(rows, scope.group_by)
    tell("summary")
    counts = summary.summarise(session, scope, rows, include_sample=sample)
    tell("sources")
    cited = {r.source_document_id for r in recs if r.source_document_id}
    cited |= {s.document_id for s in (*positions.values(), *implementations.values()) if s.document_id}
    documents = source_documents(session, cited, {r.review_id for r in recs}, include_sample=sample)
    return Report(scope=scope, state_name=state.name, generated_at=utcnow(), is_sample=sample,
                  summary=counts, groups=groups, sources=documents, freshness=freshness(session))


STEPS = 7  # calls of `step` in gather(), for a determinate progress bar
