"""The API's lean reads (service/recommendations/reads.py) answer exactly what the response models
make of the same rows: same fields, same values, same date and time formats."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from scrapers import countries
from scrapers.records import Position
from service.ingest.importer import import_parsed
from service.models import (
    ImplementationEvidence,
    PositionConflict,
    RecommendationLink,
    RecommendationTheme,
    RelatedRecommendation,
    Theme,
)
from service.pagination import Page
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
        s.add(RelatedRecommendation(recommendation_id=rec.id, related_id=old.id, similarity=0.8125))
        s.add(PositionConflict(recommendation_id=rec.id, current_position="supported", current_source="addendum",
                               claimed_position="noted", claimed_source="upr_info",
                               claimed_document_id=rec.source_document_id, claimed_wording="Noted"))
        s.add(RecommendationLink(recommendation_id=rec.id, role="action_plan", title="Plan", reference="DH-DD(2019)1",
                                 effective_on=date(2019, 1, 2), url="https://example.org/plan"))
        s.add(ImplementationEvidence(recommendation_id=rec.id, implementation="implemented", wording="Done",
                                     evidence="para. 3", effective_on=date(2020, 5, 6),
                                     document_id=rec.source_document_id))
        s.commit()
        return [r.id for r in recs.values()]


def _reference_detail(session: Session, recommendation_id: int) -> dict:
    """The detail as the response models build it from the ORM bundle (the former route code)."""
    b = repo.get_bundle(session, recommendation_id)
    rec, review = b.recommendation, b.review
    item = RecommendationItem(
        id=rec.id, key=rec.key, mechanism=rec.mechanism, state=rec.state, cycle=rec.cycle,
        paragraph=rec.paragraph, text=rec.text, recommending_states=[s.state for s in b.states],
        position=rec.position, implementation=rec.implementation,
        status=derive_status(rec.position, rec.implementation), updated_at=rec.updated_at, is_sample=rec.is_sample)
    return RecommendationDetail(
        **item.model_dump(), position_wording=rec.position_wording,
        recommending_state_details=[RecommendingStateOut(
            state=s.state, name=s.name_raw, iso3=s.state if countries.state_by_iso3(s.state) else None)
            for s in b.states],
        review=ReviewRef(id=review.id, mechanism=review.mechanism, ref=review.ref, cycle=review.cycle,
                         session=review.session, title=review.title),
        source_document=document_ref(b.source_document),
        history=[StatusEventOut(
            id=e.id, axis=e.axis, old=e.old, new=e.new, wording=e.wording, effective_on=e.effective_on,
            recorded_at=e.recorded_at, recorded_by=e.recorded_by, evidence=e.evidence, evidence_url=e.evidence_url,
            document=document_ref(doc), note=e.note) for e, doc in b.events],
        external_refs=[ExternalRefOut(source=r.source, external_id=r.external_id, url=r.url,
                                      match_method=r.match_method, match_confidence=r.match_confidence)
                       for r in b.external_refs],
        themes=[ThemeOut(kind=t.kind, name=t.name, source=src) for t, src in b.themes],
        conflicts=[conflict_out(c, d) for c, d in b.conflicts],
        related=[related_out(r, sim) for r, sim in b.related],
        links=[LinkOut.model_validate(link, from_attributes=True) for link in b.links],
        implementation_evidence=[EvidenceProposalOut.model_validate(e, from_attributes=True) for e in b.evidence],
        action_category=rec.action_category, addressee=rec.addressee, context=rec.context,
        attributes=rec.attributes or {}, first_seen_at=rec.first_seen_at).model_dump(mode="json")


def test_detail_equals_what_the_models_make(client, engine, rich):
    with Session(engine) as s:
        for rec_id in rich:
            expected = _reference_detail(s, rec_id)
            assert client.get(f"/api/v1/recommendations/{rec_id}").json() == expected, rec_id
    full = client.get(f"/api/v1/recommendations/{max(rich) - 1}").json()
    assert full["themes"] and full["conflicts"] and full["related"] and full["links"]
    assert full["implementation_evidence"] and full["recommending_state_details"][1]["iso3"] is None


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
