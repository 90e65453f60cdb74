"""Reading pages: the overview, one state, the sources, one document."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from scrapers import countries
from scrapers.records import Mechanism
from service.dashboard import queries as q
from service.dashboard.charts import Segment, TrendPoint
from service.dashboard.web import PageDep
from service.documents import repository as documents
from service.models import Recommendation, RunOutcome
from service.runs import repository as runs_repo
from service.states import repository as state_repo

router = APIRouter(include_in_schema=False)


STATUS_BAR = (("Implemented", "implemented", "st-impl"),
              ("Partially implemented", "partially_implemented", "st-partimpl"),
              ("Accepted", "accepted", "st-acc"), ("Pending", "pending", "st-pend"),
              ("Rejected (noted)", "rejected", "st-rej"))
POSITION_BAR = (("Supported", "supported", "st-acc"), ("Partially supported", "partially_supported", "st-partimpl"),
                ("Pending", "pending", "st-pend"), ("Noted", "noted", "st-rej"))
IMPLEMENTATION_BAR = (("Implemented", "implemented", "st-impl"),
                      ("Partially implemented", "partially_implemented", "st-partimpl"),
                      ("Not implemented", "not_implemented", "st-rej"), ("Not assessed", "unknown", "st-pend"))


def _bar(counts: Mapping[str, int], spec: tuple[tuple[str, str, str], ...]) -> list[Segment]:
    """Bar segments in the spec's order: the order a reader expects (done, half-done, yes, pending, no)."""
    return [Segment(label, counts.get(key, 0), css) for label, key, css in spec]


def status_segments(tally: q.Tally) -> list[Segment]:
    return _bar(tally.status, STATUS_BAR)


def position_segments(tally: q.Tally) -> list[Segment]:
    return _bar(tally.position, POSITION_BAR)


def implementation_segments(tally: q.Tally) -> list[Segment]:
    return _bar(tally.implementation, IMPLEMENTATION_BAR)


@router.get("/", response_class=HTMLResponse)
def overview(page: PageDep) -> HTMLResponse:
    data = q.overview_cached(page.session)
    shown = data.headline
    codes = set(shown.by_state) | set(data.sample.by_state)
    names = state_repo.names(page.session, codes)
    states = sorted(shown.by_state.items(), key=lambda kv: (-kv[1].total, kv[0]))
    sample_states = [(iso3, _plain_name(names.get(iso3) or iso3), t)
                     for iso3, t in sorted(data.sample.by_state.items())]
    changes = q.latest_changes(page.session)
    first_import = not changes and data.demo_only
    if first_import:  # nothing changed yet: show what loading the sample recorded, labelled
        changes = q.latest_changes(page.session, baseline=True)
    health = runs_repo.source_health(page.session, _next_runs(page))
    return page.render("overview.html", data=data, shown=shown, demo=data.demo_only, states=states,
                       names=names, sample_states=sample_states, first_import=first_import,
                       mechanisms=[m.value for m in Mechanism], changes=changes,
                       health=health, status_segments=status_segments)


def _plain_name(name: str) -> str:
    """"Sampleland (fictional sample data)" → "Sampleland": the page says it is fictional once,
    in a sentence, rather than inside every mention of the name."""
    return name.split(" (", 1)[0] or name


def _next_runs(page: PageDep) -> dict:
    next_runs = getattr(page.request.app.state, "next_runs", None)
    return next_runs() if callable(next_runs) else {}


@router.get("/states/{iso3}", response_class=HTMLResponse)
def state_page(iso3: str, page: PageDep) -> Response:
    session = page.session
    code = iso3.upper() if len(iso3) == 3 else (countries.to_iso3(iso3) or "")  # names redirect too
    state = state_repo.by_code(session, code) if code else None
    if state is None:
        return page.not_found(f"No state with the code “{iso3}”. Use an ISO 3166 alpha-3 code such as AZE.")
    if iso3 != state.iso3:
        return page.redirect(f"/states/{state.iso3}")
    reviews = state_repo.reviews(session, state.iso3, by_date=True)
    tallies = q.review_tallies(session, state.iso3)
    total = q.Tally.combine(tallies.values())
    upr = [r for r in reviews if r.mechanism == Mechanism.UPR]
    trend = [TrendPoint(f"Cycle {r.cycle}" if r.cycle else r.ref, tallies[r.id].accepted_share,
                        tallies[r.id].implemented_share) for r in upr if tallies[r.id].total]
    pace = q.mechanism_items(session, state.iso3, Mechanism.PACE)
    cases = q.mechanism_items(session, state.iso3, Mechanism.COE_EXEC)
    by_review: dict[int, list[Recommendation]] = {}
    for rec in pace:
        by_review.setdefault(rec.review_id, []).append(rec)
    return page.render(
        "state.html", state=state, reviews=reviews, tallies=tallies, total=total, upr=upr,
        trend=trend, pace_reviews=[r for r in reviews if r.mechanism == Mechanism.PACE],
        pace=by_review, cases=cases, case_links=q.link_counts(session, [c.id for c in cases]),
        themes=q.top_themes(session, state.iso3), recommenders=q.top_recommenders(session, state.iso3),
        recurring=q.recurring(session, state.iso3),
        changes=q.latest_changes(session, state=state.iso3, limit=10),
        status_segments=status_segments, position_segments=position_segments,
        implementation_segments=implementation_segments)


@router.get("/sources", response_class=HTMLResponse)
def sources(page: PageDep, source: str | None = None, outcome: str | None = None,
            before: int | None = None) -> HTMLResponse:
    outcome_value = outcome if outcome in [o.value for o in RunOutcome] else None
    health = runs_repo.source_health(page.session, _next_runs(page))
    limit = 30
    runs, total = runs_repo.list_runs(page.session, source=source or None, outcome=outcome_value,
                                      limit=limit + 1, before_id=before)
    more = runs[limit - 1].id if len(runs) > limit else None
    return page.render("sources.html", health=health, runs=runs[:limit], total=total, more=more,
                       source=source or "", outcome=outcome_value or "",
                       outcomes=[o.value for o in RunOutcome])


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(document_id: str, page: PageDep) -> HTMLResponse:
    doc = documents.get(page.session, int(document_id)) if document_id.isdigit() else None
    if doc is None:
        return page.not_found(f"No document {document_id}.")
    count = documents.recommendation_counts(page.session, [doc.id]).get(doc.id, 0)
    review = documents.review_of(page.session, doc)
    return page.render("document.html", doc=doc, count=count, review=review)
