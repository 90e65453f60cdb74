"""Cross-cycle links, measured on Azerbaijan's real cycle-1 and cycle-2 reports."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from service.ingest import pipeline
from service.models import Recommendation, RelatedRecommendation
from tests.conftest import corpus_file
from tests.service.dbdump import dump


def _import(engine, settings, name):
    report = pipeline.import_path(engine, settings, corpus_file(name), parser=pipeline.detect_parser())
    assert report.ok, report.errors


def _linked(session, later_words: str, earlier_words: str) -> bool:
    later = session.execute(select(Recommendation.id).where(
        Recommendation.cycle == 2, Recommendation.text.contains(later_words))).scalars().all()
    earlier = session.execute(select(Recommendation.id).where(
        Recommendation.cycle == 1, Recommendation.text.contains(earlier_words))).scalars().all()
    assert later and earlier, (later_words, earlier_words)
    return session.execute(select(func.count()).select_from(RelatedRecommendation).where(
        RelatedRecommendation.recommendation_id.in_(later),
        RelatedRecommendation.related_id.in_(earlier))).scalar_one() > 0


def test_repeated_asks_are_linked_across_cycles(engine, settings, client):
    _import(engine, settings, "azerbaijan2009.pdf")
    _import(engine, settings, "azerbaijan2013.pdf")
    with Session(engine) as s:
        assert _linked(s, "Expand media freedoms", "Expand media freedoms")
        assert _linked(s, "Enforce the legislation on trafficking", "Action Plan against Trafficking")
        assert _linked(s, "Extend a standing invitation", "standing invitation")
        assert not _linked(s, "Expand media freedoms", "Action Plan against Trafficking")
        links = s.execute(select(func.count()).select_from(RelatedRecommendation)).scalar_one()
        later = s.execute(select(Recommendation.id).where(Recommendation.text.contains("Expand media freedoms"),
                                                          Recommendation.cycle == 2)).scalar_one()
    assert 10 <= links <= 120, links  # links are for repeats, not for every pair of texts
    related = client.get(f"/api/v1/recommendations/{later}/related").json()
    assert related["items"][0]["cycle"] == 1 and related["items"][0]["similarity"] >= 0.25
    detail = client.get(f"/api/v1/recommendations/{later}").json()
    assert detail["related"][0]["id"] == related["items"][0]["id"]


def test_reimport_keeps_links_unchanged(engine, settings):
    _import(engine, settings, "azerbaijan2009.pdf")
    _import(engine, settings, "azerbaijan2013.pdf")
    before = dump(engine)
    _import(engine, settings, "azerbaijan2013.pdf")
    _import(engine, settings, "azerbaijan2009.pdf")
    assert dump(engine) == before
