"""The API's lean reads (service/recommendations/reads.py, detail.py) answer exactly what the
response models make of the same rows: same fields, same values, same date and time formats; and the
detail, which the API and the dashboard both read, runs one statement."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select
from sqlmodel import Session

from scrapers import countries
from scrapers.records import Position
from service.ingest.importer import import_parsed
from service.models import (
    Document,
    ExternalRef,
    ImplementationEvidence,
    PositionConflict,
    Recommendation,
    RecommendationLink,
    RecommendationTheme,
    RelatedRecommendation,
    Review,
    StatusEvent,
    Theme,
)
from service.pagination import Page
from service.recommendations import detail as recommendation_detail
from service.recommendations import repository as repo
from service.recommendations.routes import conflict_out, document_ref, related_out
from service.recommendations.schemas import (
    EvidenceProposalOut,
    ExternalRefOut,
    LinkOut,
    RecommendationDetail,
    RecommendationItem,
    RecommendingStateOut,
    ReviewRef,
    StatusEventOut,
    ThemeOut,
    derive_status,
)
from service.states.seed import seed_states
from tests.service.helpers import report, sample_report, scraped_rec


@pytest.fixture
def rich(engine) -> list[int]:
    """Two cycles, and every kind of detail row on the cycle-3 recommendations."""
    with Session(engine) as s:
        seed_states(s)
        import_parsed(s, sample_report(), recorded_by="test")
        import_parsed(s, report(b"%PDF c3", [
            scraped_rec("120.1", "Ratify the Optional Protocol to the Convention against Torture", ["BRA", "Holy See"],
                        Position.SUPPORTED, cycle=3, symbol="A/HRC/120/1"),
            scraped_rec("120.2", "Release journalists", ["NOR"], Position.NOTED, cycle=3, symbol="A/HRC/120/1")],
            cycle=3, symbol="A/HRC/120/1", published_on=date(2018, 3, 1)), recorded_by="test")
        s.commit()
        recs = {r.paragraph: r for r in repo.list_page(s, repo.RecommendationFilter(), sort="id", limit=50,
                                                         cursor=None)[0]}
        rec, old = recs["120.1"], recs["109.1"]
        themes = [Theme(kind="theme", name="Torture"), Theme(kind="sdg", name="16 - PEACE")]
        s.add_all(themes)
        s.flush()
        s.add_all([RecommendationTheme(recommendation_id=rec.id, theme_id=t.id, source="ohchr") for t in themes])
        # Floats SQLite's JSON would shorten to 15 digits, and a whole one.
        s.add(RelatedRecommendation(recommendation_id=rec.id, related_id=old.id, similarity=0.1 + 0.7))
        s.add(RelatedRecommendation(recommendation_id=rec.id, related_id=recs["109.2"].id, similarity=1.0))
        s.add(ExternalRef(recommendation_id=rec.id, source="upr_info", external_id="X-1", url=None,
                          match_method="similarity", match_confidence=0.1 + 0.2))
        s.add(PositionConflict(recommendation_id=rec.id, current_position="supported", current_source="addendum",
                               claimed_position="noted", claimed_source="upr_info",
                               claimed_document_id=rec.source_document_id, claimed_wording="Noted"))
        s.add(PositionConflict(recommendation_id=rec.id, current_position="supported", current_source="addendum",
                               claimed_position="pending", claimed_source="upr_info",
                               claimed_document_id=old.source_document_id, detected_at=datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)))
        s.add(RecommendationLink(recommendation_id=rec.id, role="action_plan", title="Plan", reference="DH-DD(2019)1",
                                 effective_on=date(2019, 1, 2), url="https://example.org/plan"))
        s.add(ImplementationEvidence(recommendation_id=rec.id, implementation="implemented", wording="Done",
                                     evidence="para. 3", effective_on=date(2020, 5, 6),
                                     document_id=rec.source_document_id))
        s.commit()
        return [r.id for r in recs.values()]


def _reference_detail(session: Session, recommendation_id: int) -> dict:
    """The detail as the response models build it from ORM objects, one query per part."""
    rec = session.get(Recommendation, recommendation_id)
    review = session.get(Review, rec.review_id)
    states = repo.recommending_states_for(session, [rec.id])[rec.id]
    events = list(session.execute(
        select(StatusEvent, Document).outerjoin(Document, StatusEvent.document_id == Document.id)
        .where(StatusEvent.recommendation_id == rec.id)
        .order_by(StatusEvent.effective_on.is_(None).desc(), StatusEvent.effective_on, StatusEvent.id)))
    refs = session.execute(select(ExternalRef).where(ExternalRef.recommendation_id == rec.id)
                           .order_by(ExternalRef.id)).scalars()
    source = session.get(Document, rec.source_document_id) if rec.source_document_id else None
    themes = session.execute(
        select(Theme, RecommendationTheme.source).join(RecommendationTheme, RecommendationTheme.theme_id == Theme.id)
        .where(RecommendationTheme.recommendation_id == rec.id).order_by(Theme.kind, Theme.name))
    links = session.execute(select(RecommendationLink).where(RecommendationLink.recommendation_id == rec.id)
                            .order_by(RecommendationLink.effective_on, RecommendationLink.id)).scalars()
    evidence = session.execute(select(ImplementationEvidence).where(
        ImplementationEvidence.recommendation_id == rec.id).order_by(ImplementationEvidence.id)).scalars()
    conflicts = repo.conflicts_for(session, rec.id)
    related = repo.related_for(session, rec.id)
    item = RecommendationItem(
        id=rec.id, key=rec.key, mechanism=rec.mechanism, state=rec.state, cycle=rec.cycle,
        paragraph=rec.paragraph, text=rec.text, recommending_states=[s.state for s in states],
        position=rec.position, implementation=rec.implementation,
        status=derive_status(rec.position, rec.implementation), updated_at=rec.updated_at, is_sample=rec.is_sample)
    return RecommendationDetail(
        **item.model_dump(), position_wording=rec.position_wording,
        recommending_state_details=[RecommendingStateOut(
            state=s.state, name=s.name_raw, iso3=s.state if countries.state_by_iso3(s.state) else None)
            for s in states],
        review=ReviewRef(id=review.id, mechanism=review.mechanism, ref=review.ref, cycle=review.cycle,
                         session=review.session, title=review.title),
        source_document=document_ref(source),
        history=[StatusEventOut(
            id=e.id, axis=e.axis, old=e.old, new=e.new, wording=e.wording, effective_on=e.effective_on,
            recorded_at=e.recorded_at, recorded_by=e.recorded_by, evidence=e.evidence, evidence_url=e.evidence_url,
            document=document_ref(doc), note=e.note) for e, doc in events],
        external_refs=[ExternalRefOut(source=r.source, external_id=r.external_id, url=r.url,
                                      match_method=r.match_method, match_confidence=r.match_confidence)
                       for r in refs],
        themes=[ThemeOut(kind=t.kind, name=t.name, source=src) for t, src in themes],
        conflicts=[conflict_out(c, d) for c, d in conflicts],
        related=[related_out(r, sim) for r, sim in related],
        links=[LinkOut.model_validate(link, from_attributes=True) for link in links],
        implementation_evidence=[EvidenceProposalOut.model_validate(e, from_attributes=True) for e in evidence],
        action_category=rec.action_category, addressee=rec.addressee, context=rec.context,
        attributes=rec.attributes or {}, first_seen_at=rec.first_seen_at).model_dump(mode="json")


def test_detail_equals_what_the_models_make(client, engine, rich):
    with Session(engine) as s:
        for rec_id in rich:
            expected = _reference_detail(s, rec_id)
            assert client.get(f"/api/v1/recommendations/{rec_id}").json() == expected, rec_id
    full = client.get(f"/api/v1/recommendations/{max(rich) - 1}").json()
    assert full["themes"] and full["conflicts"] and full["related"] and full["links"] and full["history"]
    assert full["external_refs"][-1]["match_confidence"] == 0.1 + 0.2
    assert [r["similarity"] for r in full["related"]] == [1.0, 0.1 + 0.7]
    assert full["conflicts"][1]["detected_at"] == "2024-05-06T07:08:09Z"
    assert full["implementation_evidence"] and full["recommending_state_details"][1]["iso3"] is None
    bare = client.get(f"/api/v1/recommendations/{max(rich)}").json()
    assert not any(bare[k] for k in ("themes", "conflicts", "related", "links", "implementation_evidence"))


def test_detail_is_one_statement(engine, rich):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    with Session(engine) as s:
        recommendation_detail.detail(s, rich[0])  # connects, so only the detail's own statements count
        event.listen(engine, "before_cursor_execute", count)
        try:
            for rec_id in rich:
                before = len(statements)
                assert recommendation_detail.detail(s, rec_id, sample_flags=True) is not None
                assert len(statements) - before <= 2, statements[before:]
            before = len(statements)
            assert recommendation_detail.detail(s, 10**9) is None
            assert len(statements) - before == 1
        finally:
            event.remove(engine, "before_cursor_execute", count)


def _without_report_extras(rec: dict) -> dict:
    for event_ in rec["history"]:
        del event_["source_kind"]
        if event_["document"] is not None:
            del event_["document"]["language"], event_["document"]["mechanism"]
    for theme in rec["themes"]:
        del theme["attached"]
    return rec


def test_many_details_in_one_statement_equal_each_detail(engine, rich):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    with Session(engine) as s:
        event.listen(engine, "before_cursor_execute", count)
        try:
            many = list(recommendation_detail.details(s, [*reversed(rich), 10**9]))
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert len(statements) == 1
        assert [d["id"] for d in many] == sorted(rich)  # id order; an unknown id is simply absent
        full = next(d for d in many if d["id"] == max(rich) - 1)
        # the theme was attached before the SDG, though the detail lists kinds alphabetically
        assert [t["kind"] for t in sorted(full["themes"], key=lambda t: t["attached"])] == ["theme", "sdg"]
        assert {e["source_kind"] for e in full["history"]} <= {"wg_report", "addendum", "sample"}
        assert all(e["document"]["language"] for e in full["history"] if e["document"])
        for d in many:
            assert _without_report_extras(d) == recommendation_detail.detail(s, d["id"], sample_flags=True)


def test_conflicts_are_capped_at_500(client, engine, rich):
    rec_id = max(rich) - 1
    with Session(engine) as s:
        docs = [Document(mechanism="upr", kind="wg_report", sha256=f"{n:064x}", content_type="application/pdf",
                         size=1) for n in range(505)]
        s.add_all(docs)
        s.flush()
        s.add_all([PositionConflict(recommendation_id=rec_id, current_position="supported", current_source="a",
                                    claimed_position="noted", claimed_source="b", claimed_document_id=d.id)
                   for d in docs])
        s.commit()
        expected = _reference_detail(s, rec_id)
    body = client.get(f"/api/v1/recommendations/{rec_id}").json()
    assert len(body["conflicts"]) == 500 and body == expected


@pytest.mark.parametrize("params", [
    {}, {"state": "AZE", "position": "noted"}, {"q": "torture"}, {"q": "torture", "sort": "-id"},
    {"q": "the", "limit": 1}, {"q": "torture", "cycle": 3}, {"sort": "-updated_at", "limit": 2},
    {"sort": "key", "limit": 2}, {"recommending_state": "NOR"}, {"theme": "Torture"}, {"sdg": "16"},
    {"status": "accepted"},
])
def test_list_pages_equal_what_the_models_make(client, engine, rich, params):
    cursor, pages = None, 0
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/recommendations", params=query).json()
        flt = repo.RecommendationFilter(state=params.get("state"), position=params.get("position"),
                                        q=params.get("q"), cycle=params.get("cycle"), theme=params.get("theme"),
                                        sdg=params.get("sdg"), status=params.get("status"),
                                        recommending_state=params.get("recommending_state"))
        with Session(engine) as s:
            rows, next_cursor = repo.list_page(s, flt, sort=params.get("sort", "id"), limit=params.get("limit", 50),
                                               cursor=cursor)
            states = repo.recommending_states_for(s, [r.id for r in rows])
            expected = Page[RecommendationItem](items=[RecommendationItem(
                id=r.id, key=r.key, mechanism=r.mechanism, state=r.state, cycle=r.cycle, paragraph=r.paragraph,
                text=r.text, recommending_states=[x.state for x in states[r.id]], position=r.position,
                implementation=r.implementation, status=derive_status(r.position, r.implementation),
                updated_at=r.updated_at, is_sample=r.is_sample) for r in rows],
                total=repo.count(s, flt), next=next_cursor).model_dump(mode="json")
        assert body == expected, query
        pages += 1
        cursor = body["next"]
        if not cursor:
            break
    assert pages >= 1


@pytest.mark.parametrize("q", ["torture", "the", "journalists OR torture", "torture -optional", "zzz", "***"])
def test_text_counts_from_the_index_equal_counts_over_the_table(engine, rich, q):
    from sqlalchemy import func, select

    from service.search import text_match

    with Session(engine) as s:
        over_table = s.execute(select(func.count()).select_from(repo.R.id.table)
                               .where(text_match(engine.dialect.name, q))).scalar_one()
        assert repo.count(s, repo.RecommendationFilter(q=q)) == over_table


def test_the_dashboard_page_shows_every_part_of_the_detail(client, rich):
    """The recommendation page reads the same model: each list of the detail appears on it."""
    rec_id = max(rich) - 1
    page = client.get(f"/recommendations/{rec_id}")
    assert page.status_code == 200
    html = page.text
    source_id = client.get(f"/api/v1/recommendations/{rec_id}").json()["source_document"]["id"]
    for shown in ("Torture", "16 - PEACE", "Sources disagree", "upr_info says", "similarity 80 %",
                  "similarity 100 %", "Plan", "DH-DD(2019)1", "<q>Done</q>", "X-1", "matched by similarity, 30 %",
                  ">BRA</a>", "Holy See", f'href="/api/v1/documents/{source_id}/raw"'):
        assert shown in html, shown
    assert client.get(f"/recommendations/{max(rich)}").status_code == 200
    assert client.get("/recommendations/999999999").status_code == 404
