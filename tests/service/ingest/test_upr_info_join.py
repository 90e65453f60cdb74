"""UPR Info entries joined to UN recommendations: by text, with confidence, never a duplicate."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from service.ingest import pipeline
from service.models import ExternalRef, PositionConflict, Recommendation
from tests.conftest import corpus_file
from tests.service.dbdump import dump


def _entity(shared_id: str, text: str, response: str | None, states: list[str]) -> dict:
    metadata = {
        "recommendation": [{"value": text}],
        "state_under_review": [{"value": "st-svn", "label": "Slovenia"}],
        "recommending_state": [{"value": f"st-{i}", "label": s} for i, s in enumerate(states)],
        "issues": [{"value": "5c3e1f52-0000-4000-8000-000000000001", "label": "Women's rights"}],
        "session": [{"value": "5c3e1f52-0000-4000-8000-000000000002", "label": "34 - November 2019"}],
        "action_category": [{"value": "5c3e1f52-0000-4000-8000-000000000003", "label": "5 - Specific action"}],
    }
    if response:
        metadata["response"] = [{"value": "5c3e1f52-0000-4000-8000-000000000004", "label": response}]
    return {"_id": f"id-{shared_id}", "sharedId": shared_id, "language": "en", "title": text[:40],
            "template": "5d8ce04361cde0408222e9a8", "published": True, "creationDate": 1580000000000,
            "editDate": 1590000000000, "metadata": metadata}


@pytest.fixture
def slovenia(engine, settings):
    for name in ("slovenia2019.pdf", "slovenia2019_add1.pdf"):
        report = pipeline.import_path(engine, settings, corpus_file(name), parser=pipeline.detect_parser(engine=engine))
        assert report.ok, report.errors
    with Session(engine) as s:
        return {r.paragraph: r for r in s.execute(select(Recommendation)).scalars()}


def _export(tmp_path, entities: list[dict]):
    path = tmp_path / "upr-info-export.json"
    path.write_text(json.dumps({"rows": entities, "totalRows": len(entities)}))
    return path


def test_entries_join_by_text_and_disagreements_become_conflicts(slovenia, engine, settings, tmp_path, client):
    supported = next(r for p, r in slovenia.items() if p.startswith("122.") and r.position == "supported")
    noted = next(r for p, r in slovenia.items() if r.position == "noted")
    entities = [
        _entity("upr-a1", supported.text.rstrip(";.") + ".", "Supported", ["France"]),  # agrees
        _entity("upr-b2", noted.text.upper(), "Supported", ["Germany"]),              # disagrees
        _entity("upr-c3", "Establish a fictional commission on lighthouse keepers", "Noted", ["Chile"]),
    ]
    path = _export(tmp_path, entities)
    parser = pipeline.detect_parser(engine=engine)
    report = pipeline.import_path(engine, settings, path, parser=parser)
    assert report.ok, report.errors
    with Session(engine) as s:
        refs = {r.external_id: r for r in s.execute(select(ExternalRef).where(ExternalRef.source == "upr_info")).scalars()}
        assert refs["upr-a1"].recommendation_id == supported.id and refs["upr-a1"].match_method == "text"
        assert refs["upr-a1"].match_confidence >= 0.88
        assert refs["upr-b2"].recommendation_id == noted.id
        own = s.get(Recommendation, refs["upr-c3"].recommendation_id)
        assert own.key == "upr/SVN/3/upr-info:upr-c3" and own.paragraph is None and own.position == "noted"
        assert refs["upr-c3"].match_method == "none"
        conflict = s.execute(select(PositionConflict)).scalar_one()
        assert (conflict.recommendation_id, conflict.current_position, conflict.claimed_position) == (
            noted.id, "noted", "supported")
        assert s.get(Recommendation, noted.id).position == "noted"  # the addendum stays in force
        total = s.execute(select(func.count()).select_from(Recommendation)).scalar_one()
    assert total == 216
    conflicts = client.get("/api/v1/conflicts", params={"state": "SVN"}).json()
    assert conflicts["total"] == 1 and conflicts["items"][0]["claimed_source"] == "upr_info_entity"
    assert client.get(f"/api/v1/recommendations/{noted.id}").json()["conflicts"][0]["claimed_position"] == "supported"

    before = dump(engine)
    path.write_text(json.dumps({"rows": list(reversed(entities)), "totalRows": 3}))  # other bytes, same records
    again = pipeline.import_path(engine, settings, path, parser=parser)
    assert again.ok
    after = dump(engine)
    assert after["recommendation"] == before["recommendation"]
    assert after["external_ref"] == before["external_ref"]
    assert after["position_conflict"] == before["position_conflict"]
    assert after["change_event"][len(before["change_event"]):] == [] or all(
        row[2] == "document.published" for row in after["change_event"][len(before["change_event"]):])


def test_unexpected_shape_fails_with_the_field_named(slovenia, engine, settings, tmp_path):
    bad = _entity("upr-x", "text", "Supported", ["France"])
    bad["metadata"]["recommendation"] = "not a list"
    report = pipeline.import_path(engine, settings, _export(tmp_path, [bad]), parser=pipeline.detect_parser(engine=engine))
    assert not report.ok and "recommendation" in report.errors[0]["message"]
