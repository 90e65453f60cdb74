"""The single importer: rows, status events and change events, idempotent on re-import."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from scrapers.records import Position
from service.ingest.importer import import_parsed
from service.models import ChangeEvent, Document, Recommendation, RecommendingState, StatusEvent
from tests.service.helpers import report, sample_report, scraped_rec


def _count(session: Session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def _import(engine, parsed, baseline=False):
    with Session(engine) as session:
        result = import_parsed(session, parsed, recorded_by="test", baseline=baseline)
        session.commit()
        return result


def test_first_import_creates_rows_events_and_status_history(engine):
    result = _import(engine, sample_report())
    assert (result.inserted, result.updated, result.unchanged) == (3, 0, 0)
    with Session(engine) as s:
        assert _count(s, Recommendation) == 3
        assert _count(s, Document) == 1
        rec = s.execute(select(Recommendation).where(Recommendation.key == "upr/AZE/2/109.1")).scalar_one()
        assert rec.position == "pending"
        states = s.execute(select(RecommendingState.state).where(
            RecommendingState.recommendation_id == rec.id).order_by(RecommendingState.position)).scalars().all()
        assert states == ["BRA", "CHL"]
        events = s.execute(select(StatusEvent).where(StatusEvent.recommendation_id == rec.id)).scalars().all()
        assert [(e.old, e.new, e.evidence) for e in events] == [(None, "pending", "A/HRC/99/1 para. 109")]
        types = s.execute(select(ChangeEvent.type).order_by(ChangeEvent.id)).scalars().all()
        assert types.count("recommendation.created") == 3
        assert types.count("document.published") == 1


def test_same_document_twice_changes_nothing(engine):
    _import(engine, sample_report())
    with Session(engine) as s:
        before = (_count(s, ChangeEvent), _count(s, StatusEvent),
                  s.execute(select(Recommendation.key, Recommendation.updated_at)
                            .order_by(Recommendation.id)).all())
    result = _import(engine, sample_report())
    assert (result.inserted, result.updated, result.unchanged, result.events) == (0, 0, 3, 0)
    with Session(engine) as s:
        after = (_count(s, ChangeEvent), _count(s, StatusEvent),
                 s.execute(select(Recommendation.key, Recommendation.updated_at)
                           .order_by(Recommendation.id)).all())
    assert before == after


def test_new_document_with_new_position_appends_event_and_announces_it(engine):
    from datetime import date

    _import(engine, sample_report())
    later = report(b"%PDF-1.4 addendum", [
        scraped_rec("109.1", "Ratify the Optional Protocol to the Convention against Torture",
                    ["BRA", "CHL"], Position.SUPPORTED, symbol="A/HRC/99/1/Add.1")],
        symbol="A/HRC/99/1/Add.1", published_on=date(2013, 9, 20))
    result = _import(engine, later)
    assert result.updated == 1
    with Session(engine) as s:
        rec = s.execute(select(Recommendation).where(Recommendation.key == "upr/AZE/2/109.1")).scalar_one()
        assert rec.position == "supported"
        history = s.execute(select(StatusEvent.old, StatusEvent.new).where(
            StatusEvent.recommendation_id == rec.id).order_by(StatusEvent.id)).all()
        assert history == [(None, "pending"), ("pending", "supported")]
        changed = s.execute(select(ChangeEvent).where(
            ChangeEvent.type == "recommendation.position_changed")).scalars().all()
        assert len(changed) == 1
        assert (changed[0].payload["old"], changed[0].payload["new"]) == ("pending", "supported")
        assert changed[0].payload["evidence"]["symbol"] == "A/HRC/99/1/Add.1"
    assert _import(engine, later).events == 0


def test_reworded_text_emits_text_changed_and_keeps_one_record(engine):
    _import(engine, sample_report())
    corrected = report(b"%PDF-1.4 corrigendum", [
        scraped_rec("109.2", "Release all persons detained for exercising their rights to freedom "
                    "of expression and assembly", ["NOR", "SWE"], Position.PENDING)])
    result = _import(engine, corrected)
    assert result.updated == 1
    with Session(engine) as s:
        assert _count(s, Recommendation) == 3
        rec = s.execute(select(Recommendation).where(Recommendation.key == "upr/AZE/2/109.2")).scalar_one()
        assert "assembly" in rec.text
        states = s.execute(select(RecommendingState.state).where(
            RecommendingState.recommendation_id == rec.id)).scalars().all()
        assert sorted(states) == ["NOR", "SWE"]
        ev = s.execute(select(ChangeEvent).where(ChangeEvent.type == "recommendation.text_changed")).scalar_one()
        assert "assembly" in ev.payload["new"] and "assembly" not in ev.payload["old"]


def test_reflowed_whitespace_is_not_a_text_change(engine):
    _import(engine, sample_report())
    reflowed = report(b"%PDF-1.4 other bytes", [
        scraped_rec("109.1", "Ratify the  Optional Protocol\nto the Convention against Torture",
                    ["BRA", "CHL"], Position.PENDING)])
    assert _import(engine, reflowed).unchanged == 1


def test_baseline_import_marks_its_events(engine):
    _import(engine, sample_report(), baseline=True)
    with Session(engine) as s:
        flags = set(s.execute(select(ChangeEvent.baseline)).scalars().all())
    assert flags == {True}
