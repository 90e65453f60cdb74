"""Slovenia's third review end to end on the real documents: report, addendum, thematic list."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from service.ingest import pipeline
from service.models import PositionConflict, Recommendation, StatusEvent
from tests.conftest import corpus_file
from tests.service.dbdump import dump

FILES = ["slovenia2019.pdf", "slovenia2019_add1.pdf", "slovenia2019_thematic_list.docx"]


def _import(engine, settings, name: str):
    report = pipeline.import_path(engine, settings, corpus_file(name),
                                  parser=pipeline.detect_parser(engine=engine))
    assert report.ok, report.errors
    return report


@pytest.fixture
def slovenia(engine, settings):
    return [_import(engine, settings, name) for name in FILES]


def test_positions_after_report_addendum_and_thematic_list(slovenia, engine, client):
    with Session(engine) as s:
        counts = dict(s.execute(select(Recommendation.position, func.count()).where(
            Recommendation.state == "SVN", Recommendation.cycle == 3).group_by(Recommendation.position)).all())
    assert counts == {"supported": 182, "noted": 33}
    body = client.get("/api/v1/recommendations", params={"state": "SVN", "cycle": 3, "position": "supported"}).json()
    assert body["total"] == 182
    assert client.get("/api/v1/recommendations", params={"state": "SVN", "cycle": 3,
                                                          "position": "pending"}).json()["total"] == 0


def test_each_deferred_item_has_one_answer_citing_the_addendum(slovenia, engine):
    with Session(engine) as s:
        rows = s.execute(select(Recommendation.paragraph, StatusEvent.old, StatusEvent.new, StatusEvent.evidence)
                         .join(StatusEvent, StatusEvent.recommendation_id == Recommendation.id)
                         .where(Recommendation.paragraph.like("122.%"), StatusEvent.old == "pending")).all()
    by_paragraph: dict[str, list] = {}
    for paragraph, old, new, evidence in rows:
        by_paragraph.setdefault(paragraph, []).append((new, evidence))
    assert len(by_paragraph) == 157
    for paragraph, answers in by_paragraph.items():
        assert len(answers) == 1, paragraph
        new, evidence = answers[0]
        assert new in ("supported", "noted")
        assert evidence.startswith("A/HRC/43/15/Add.1 para. "), evidence


def test_sources_agree_so_no_conflicts_are_recorded(slovenia, engine):
    with Session(engine) as s:
        assert s.execute(select(func.count()).select_from(PositionConflict)).scalar_one() == 0


def test_themes_sdgs_and_affected_persons_are_filterable(slovenia, client):
    themed = client.get("/api/v1/recommendations", params={"state": "SVN", "theme": "violence against women"}).json()
    detail = client.get(f"/api/v1/recommendations/{themed['items'][0]['id']}").json() if themed["total"] else None
    assert themed["total"] > 0 and any(t["name"] == "Violence against women" for t in detail["themes"])
    sdg = client.get("/api/v1/recommendations", params={"state": "SVN", "sdg": "16"}).json()
    assert sdg["total"] > 0
    kinds = {t["kind"] for t in detail["themes"]}
    assert {"theme", "sdg"} <= kinds


@pytest.mark.parametrize("name", FILES)
def test_importing_any_of_them_again_changes_nothing(slovenia, engine, settings, client, name):
    before = dump(engine)
    changes = client.get("/api/v1/changes", params={"limit": 1000}).json()
    report = _import(engine, settings, name)
    assert report.counts["skipped_unchanged"] == 1
    assert dump(engine) == before
    assert client.get("/api/v1/changes", params={"limit": 1000}).json() == changes


def test_addendum_for_another_report_is_refused(engine, settings):
    _import(engine, settings, "azerbaijan2013.pdf")
    report = pipeline.import_path(engine, settings, corpus_file("slovenia2019_add1.pdf"),
                                  parser=pipeline.detect_parser(engine=engine))
    assert not report.ok
    assert "import A/HRC/43/15 first" in report.errors[0]["message"]
    with Session(engine) as s:
        assert s.execute(select(func.count()).select_from(Recommendation).where(
            Recommendation.state == "SVN")).scalar_one() == 0


def test_thematic_list_with_numbers_not_in_the_report_is_imported_with_each_mismatch_reported(
        engine, settings, tmp_path):
    from tests.scrapers.test_upr_matrix import HEADER_C3, build

    _import(engine, settings, "slovenia2019.pdf")
    rows = ["Theme: Racial discrimination",
            ["121.1 Ratify the optional protocol (Ukraine);\nSource of Position: A/HRC/43/15 - Para 121",
             "Supported", "- Racial discrimination", ""],
            ["122.999 An item the report does not have (France);\nSource of Position: A/HRC/43/15/Add.1 - Para.3",
             "Supported", "- Racial discrimination", ""]]
    path = tmp_path / "list.docx"
    path.write_bytes(build(HEADER_C3, rows, running_header="UPR of Slovenia (3rd Cycle - 34th Session)"))
    report = pipeline.import_path(engine, settings, path, parser=pipeline.detect_parser(engine=engine))
    assert report.outcome == "partial"
    mismatches = [e["message"] for e in report.errors if e["class"] == "Mismatch"]
    assert "122.999 is in the thematic list but not in the report" in mismatches
    assert "121.2 is in the report but not in the thematic list" in mismatches
    assert len(mismatches) == 1 + 214
