"""Dashboard SQL: aggregates are computed by the database (GROUP BY over indexed columns), and
every page runs a fixed number of queries whatever the size of the data (no N+1).

Statuses are derived in Python from (position, implementation) groups with the same rule the
API uses (`derive_status`), so a count here always matches a filtered list there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlmodel import Session

from scrapers.records import Position
from service.aggregates import AGGREGATES
from service.dashboard.labels import LABELS
from service.ingest.health import BAD, GOOD
from service.models import (
    ChangeEvent,
    Document,
    Recommendation,
    RecommendationLink,
    RecommendationTheme,
    RecommendingState,
    RelatedRecommendation,
    Review,
    RunOutcome,
    ScrapeRun,
    State,
    Theme,
)
from service.models._common import UTCDateTime
from service.recommendations.schemas import derive_status

STATUS_ORDER = ("accepted", "rejected", "pending", "partially_implemented", "implemented")
R = Recommendation


@dataclass
class Tally:
    """Counts by status, position and implementation of one group of recommendations."""

    total: int = 0
    status: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STATUS_ORDER})
    position: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    implementation: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, position: str, implementation: str, n: int) -> None:
        self.total += n
        self.status[derive_status(position, implementation).value] += n
        self.position[position] += n
        self.implementation[implementation] += n

    @classmethod
    def combine(cls, tallies: Iterable[Tally]) -> Tally:
        out = cls()
        for t in tallies:
            out.total += t.total
            for mine, theirs in ((out.status, t.status), (out.position, t.position),
                                 (out.implementation, t.implementation)):
                for k, v in theirs.items():
                    mine[k] = mine.get(k, 0) + v
        return out

    @property
    def accepted_share(self) -> float | None:
        """Supported or partially supported, over all: what the state said yes to."""
        yes = self.position.get(Position.SUPPORTED, 0) + self.position.get(Position.PARTIALLY_SUPPORTED, 0)
        return yes / self.total if self.total else None

    @property
    def implemented_share(self) -> float | None:
        done = self.status["implemented"] + self.status["partially_implemented"]
        return done / self.total if self.total else None


# --- freshness -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Freshness:
    """What every page says about how fresh its data is."""

    last_success_at: datetime | None
    failing: list[str]
    sources: int


def freshness(session: Session) -> Freshness:
    """Newest successful run of any source, and the sources whose latest run failed (2 queries)."""
    rows = session.execute(
        select(ScrapeRun.source,
               type_coerce(func.max(case((ScrapeRun.outcome.in_(GOOD), ScrapeRun.finished_at))),
                           UTCDateTime()),
               func.max(case((ScrapeRun.outcome != RunOutcome.RUNNING, ScrapeRun.id))))
        .group_by(ScrapeRun.source)).all()
    last_ids = [r[2] for r in rows if r[2] is not None]
    outcomes = dict(session.execute(select(ScrapeRun.id, ScrapeRun.outcome)
                                    .where(ScrapeRun.id.in_(last_ids))).all()) if last_ids else {}
    failing = sorted(r[0] for r in rows if outcomes.get(r[2]) in BAD)
    newest = max((r[1] for r in rows if r[1] is not None), default=None)
    return Freshness(last_success_at=newest, failing=failing, sources=len(rows))


# --- overview ------------------------------------------------------------------------------

@dataclass
class Counts:
    """Totals by status, mechanism and state of one kind of rows, real or fictional: kept apart
    so that the sample can never inflate the real numbers."""

    total: Tally = field(default_factory=Tally)
    by_mechanism: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_state: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def add(self, state: str, mechanism: str, position: str, implementation: str, n: int) -> None:
        self.total.add(position, implementation, n)
        self.by_mechanism[mechanism].add(position, implementation, n)
        self.by_state[state].add(position, implementation, n)


@dataclass
class Overview:
    real: Counts
    sample: Counts

    @property
    def demo_only(self) -> bool:
        """Only the fictional sample is loaded (`serve --demo` on an empty database): the page
        then counts it, labelled, instead of greeting a newcomer with zeros."""
        return not self.real.total.total and bool(self.sample.total.total)

    @property
    def headline(self) -> Counts:
        """What the page's numbers count: the real rows, or the sample when nothing else exists."""
        return self.sample if self.demo_only else self.real


def overview(session: Session) -> Overview:
    """Totals by status, mechanism and state in one scan; sample data is counted apart."""
    out = Overview(Counts(), Counts())
    rows = session.execute(select(R.state, R.mechanism, R.position, R.implementation, R.is_sample,
                                  func.count()).group_by(R.state, R.mechanism, R.position,
                                                         R.implementation, R.is_sample))
    for state, mechanism, position, implementation, is_sample, n in rows:
        (out.sample if is_sample else out.real).add(state, mechanism, position, implementation, n)
    return out


def overview_cached(session: Session) -> Overview:
    """`overview`, reused while the data is unchanged: it scans every recommendation (~0.2 s for
    200,000 on SQLite), and every write that changes counts also writes a change event."""
    return AGGREGATES.get(session, ("dashboard-overview",), lambda: overview(session))


@dataclass(frozen=True)
class Change:
    event: ChangeEvent
    is_sample: bool


def latest_changes(session: Session, *, state: str | None = None, limit: int = 12,
                   baseline: bool = False) -> list[Change]:
    """Newest change events that are real changes (a source's first import is a baseline);
    `baseline=True` lists first imports too, for a database where nothing has changed yet.
    Document events are marked as sample from their document (2 queries)."""
    stmt = select(ChangeEvent, R.is_sample).outerjoin(R, R.id == ChangeEvent.recommendation_id)
    if not baseline:
        stmt = stmt.where(ChangeEvent.baseline.is_(False))
    if state:
        stmt = stmt.where(ChangeEvent.state == state)
    rows = session.execute(stmt.order_by(ChangeEvent.id.desc()).limit(limit)).all()
    doc_ids = {_document_id(e) for e, _ in rows} - {None}
    sample_docs = set(session.execute(select(Document.id).where(
        Document.id.in_(doc_ids), Document.is_sample.is_(True))).scalars()) if doc_ids else set()
    return [Change(e, bool(is_sample) or _document_id(e) in sample_docs) for e, is_sample in rows]


def _document_id(event: ChangeEvent) -> int | None:
    """The document a document event is about (its payload names it; the row has no column)."""
    if event.recommendation_id is not None:
        return None
    doc = event.payload.get("document") if isinstance(event.payload, dict) else None
    doc_id = doc.get("id") if isinstance(doc, dict) else None
    return doc_id if isinstance(doc_id, int) else None


def tracked_states(session: Session) -> list[State]:
    """States with at least one recommendation (an index probe per state, not a scan)."""
    has = select(R.id).where(R.state == State.iso3).exists()
    return list(session.execute(select(State).where(has).order_by(State.name)).scalars())


def theme_options(session: Session) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for kind, name in session.execute(select(Theme.kind, Theme.name).order_by(Theme.kind, Theme.name)):
        out[kind].append(name)
    return out


def cycles(session: Session) -> list[int]:
    return list(session.execute(select(Review.cycle).where(Review.cycle.is_not(None))
                                .distinct().order_by(Review.cycle)).scalars())


# --- one state -----------------------------------------------------------------------------

def review_tallies(session: Session, iso3: str) -> dict[int, Tally]:
    """Per review of the state, its counts (one GROUP BY over the state's rows)."""
    out: dict[int, Tally] = defaultdict(Tally)
    for review_id, position, implementation, n in session.execute(
            select(R.review_id, R.position, R.implementation, func.count()).where(R.state == iso3)
            .group_by(R.review_id, R.position, R.implementation)):
        out[review_id].add(position, implementation, n)
    return out


def top_themes(session: Session, iso3: str, per_kind: int = 8) -> dict[str, list[tuple[str, int]]]:
    rows = session.execute(
        select(Theme.kind, Theme.name, func.count().label("n"))
        .join(RecommendationTheme, RecommendationTheme.theme_id == Theme.id)
        .join(R, R.id == RecommendationTheme.recommendation_id).where(R.state == iso3)
        .group_by(Theme.kind, Theme.name).order_by(func.count().desc(), Theme.name))
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for kind, name, n in rows:
        if len(out[kind]) < per_kind:
            out[kind].append((name, n))
    return out


@dataclass(frozen=True)
class Recommender:
    state: str
    name: str
    total: int
    noted: int
    accepted: int


def top_recommenders(session: Session, iso3: str, limit: int = 10) -> list[Recommender]:
    accepted = [Position.SUPPORTED.value, Position.PARTIALLY_SUPPORTED.value]
    rows = session.execute(
        select(RecommendingState.state, func.max(RecommendingState.name_raw), func.count(),
               func.sum(case((R.position == Position.NOTED.value, 1), else_=0)),
               func.sum(case((R.position.in_(accepted), 1), else_=0)))
        .join(R, R.id == RecommendingState.recommendation_id).where(R.state == iso3)
        .group_by(RecommendingState.state).order_by(func.count().desc(), RecommendingState.state)
        .limit(limit))
    return [Recommender(s, raw, n, int(noted or 0), int(acc or 0)) for s, raw, n, noted, acc in rows]


def mechanism_items(session: Session, iso3: str, mechanism: str, limit: int = 400
                    ) -> list[Recommendation]:
    """PACE calls or execution cases of the state, in review and paragraph order."""
    return list(session.execute(
        select(R).where(R.state == iso3, R.mechanism == mechanism)
        .order_by(R.review_id, R.paragraph, R.id).limit(limit)).scalars())


def link_counts(session: Session, ids: Iterable[int]) -> dict[int, tuple[int, object]]:
    """Per recommendation: how many timeline documents, and the date of the latest."""
    ids = list(ids)
    if not ids:
        return {}
    rows = session.execute(
        select(RecommendationLink.recommendation_id, func.count(), func.max(RecommendationLink.effective_on))
        .where(RecommendationLink.recommendation_id.in_(ids)).group_by(RecommendationLink.recommendation_id))
    return {rid: (n, last) for rid, n, last in rows}


@dataclass
class Recurring:
    """A recommendation and its similar predecessors from earlier cycles."""

    head: Recommendation
    earlier: list[tuple[int, int | None, str, str, float]]  # id, cycle, position, implementation, sim

    @property
    def cycles(self) -> int:
        return 1 + len({c for _, c, *_ in self.earlier})

    @property
    def verdict(self) -> str:
        positions = {self.head.position} | {p for _, _, p, _, _ in self.earlier}
        if len(positions) == 1:
            return f"{LABELS.get(self.head.position, self.head.position).lower()} each time"
        if positions <= {Position.SUPPORTED.value, Position.PARTIALLY_SUPPORTED.value}:
            return "supported each time"
        return "positions differ"


def recurring(session: Session, iso3: str, limit: int = 12) -> list[Recurring]:
    """Recommendations made again in later cycles ("recommended in 3 cycles, noted each time"),
    from the cross-cycle links; only the newest of each chain is listed (2 queries)."""
    Rel = aliased(Recommendation)
    pairs = session.execute(
        select(RelatedRecommendation.recommendation_id, Rel.id, Rel.cycle, Rel.position,
               Rel.implementation, RelatedRecommendation.similarity)
        .join(R, and_(R.id == RelatedRecommendation.recommendation_id, R.state == iso3))
        .join(Rel, Rel.id == RelatedRecommendation.related_id)).all()
    earlier: dict[int, dict[int | None, tuple]] = defaultdict(dict)
    related_ids = set()
    for head, rid, cycle, position, implementation, sim in pairs:
        related_ids.add(rid)
        best = earlier[head].get(cycle)
        if best is None or sim > best[4]:  # the closest match of each earlier cycle
            earlier[head][cycle] = (rid, cycle, position, implementation, sim)
    heads = [h for h in earlier if h not in related_ids]
    if not heads:
        return []
    recs = {r.id: r for r in session.execute(select(R).where(R.id.in_(heads))).scalars()}
    items = [Recurring(recs[h], sorted(earlier[h].values(), key=lambda e: (e[1] or 0)))
             for h in heads if h in recs]
    # Most cycles first; among them the ones noted every time (the advocacy headline).
    items.sort(key=lambda r: (-r.cycles, r.verdict != "noted each time", -max(e[4] for e in r.earlier),
                              r.head.id))
    return items[:limit]
