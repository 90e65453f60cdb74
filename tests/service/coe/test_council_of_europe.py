"""Council of Europe end to end: PACE texts and HUDOC-EXEC cases through the importer and API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from scrapers.coe_exec import parse_exec_results
from scrapers.http import HttpPolicy, PoliteClient, _HostLimiter
from service.ingest import pipeline
from service.ingest.pipeline import RunContext
from service.models import ChangeEvent, Recommendation, RunOutcome, StatusEvent
from service.scheduler.jobs import run_source
from tests.fakes.source_server import Scripted
from tests.service.dbdump import dump

PACE = Path(__file__).resolve().parents[2] / "fixtures" / "pace"
EXEC = Path(__file__).resolve().parents[2] / "fixtures" / "coe_exec"
OPERATIVE = {"10.1", "10.2", "10.3", "10.4.1", "10.4.2", "10.5", "11", "12", "13"}


def _import_page(engine, settings, name: str, url: str = "https://pace.coe.int/en/files/28584/html"):
    ctx = RunContext(engine, settings, "pace", trigger="manual")
    ctx.document((PACE / name).read_bytes(), url, pipeline.detect_parser(engine=engine))
    return ctx.finish()


def test_operative_sub_paragraphs_become_recommendations_with_their_lead_in(engine, settings, client):
    report = _import_page(engine, settings, "res_2322_current_early.html")
    assert report.ok, report.errors
    items = client.get("/api/v1/recommendations", params={"mechanism": "pace", "limit": 100}).json()["items"]
    assert {i["paragraph"] for i in items} == OPERATIVE
    detail = client.get(f"/api/v1/recommendations/{items[0]['id']}").json()
    assert detail["key"].startswith("pace/AZE/res-2322-2020/")
    assert detail["context"] == "The Assembly therefore calls on the Azerbaijani authorities to:"
    assert detail["source_document"]["symbol"] == "Resolution 2322 (2020)"
    docs = client.get("/api/v1/documents", params={"mechanism": "pace"}).json()["items"]
    assert docs[0]["outcome"] == "adopted" and docs[0]["reference"] == "Resolution 2322 (2020)"


def test_parse_prints_pace_pages_in_the_jsonl_contract(tmp_path):
    res = subprocess.run([sys.executable, "-m", "service", "parse", str(PACE / "res_2322_current_later.html")],
                         capture_output=True, text=True, env={"RECWATCH_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"})
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {r["paragraph"] for r in rows} == OPERATIVE
    assert all(r["mechanism"] == "pace" and r["state_under_review"] == "AZE" and r["recommending_states"] == []
               for r in rows)


def test_provisional_then_final_updates_the_text_without_duplicates(engine, settings, client):
    assert _import_page(engine, settings, "res_2322_provisional.html").ok
    with Session(engine) as s:
        before = s.execute(select(func.count()).select_from(Recommendation)).scalar_one()
    assert _import_page(engine, settings, "res_2322_current_later.html").ok
    with Session(engine) as s:
        assert s.execute(select(func.count()).select_from(Recommendation)).scalar_one() == before
        changed = s.execute(select(ChangeEvent).where(ChangeEvent.type == "recommendation.text_changed")).scalars().all()
    assert [e.payload["recommendation"]["paragraph"] for e in changed] == ["10.2"]
    assert "European Convention on Human Rights" in changed[0].payload["new"]
    versions = {d["version"] for d in client.get("/api/v1/documents", params={"mechanism": "pace"}).json()["items"]}
    assert versions == {"provisional", "final"}


def test_rejected_draft_is_recorded_without_tracked_calls(engine, settings, client):
    report = _import_page(engine, settings, "doc_13079_rejected_legacy.html",
                          url="http://assembly.coe.int/nw/xml/XRef/Xref-XML2HTML-en.asp?fileid=19150")
    assert report.ok
    doc = client.get("/api/v1/documents", params={"mechanism": "pace"}).json()["items"][0]
    assert doc["outcome"] == "rejected" and "against" in (doc["vote"] or "")
    assert client.get("/api/v1/recommendations", params={"mechanism": "pace"}).json()["total"] == 0


def test_cm_reply_is_attached_to_the_recommendation_it_answers(engine, settings, client):
    assert _import_page(engine, settings, "rec_2170_current_early.html",
                        url="https://pace.coe.int/en/files/28585/html").ok
    assert _import_page(engine, settings, "reply_2170_current_later.html",
                        url="https://pace.coe.int/en/files/28745/html").ok
    item = client.get("/api/v1/recommendations", params={"mechanism": "pace"}).json()["items"][0]
    detail = client.get(f"/api/v1/recommendations/{item['id']}").json()
    assert detail["addressee"] == "committee_of_ministers"
    assert [link["role"] for link in detail["links"]] == ["cm_reply"]


def test_case_closing_gives_one_implementation_event_citing_the_final_resolution(engine, settings, client):
    def load(name: str):
        ctx = RunContext(engine, settings, "coe-exec", trigger="manual")
        body = (EXEC / name).read_bytes()
        ctx.document(body, f"https://hudoc.exec.coe.int/app/query/results#{name}",
                     lambda data, url: parse_exec_results(data, url=url))
        return ctx.finish()

    assert load("cases_aze.json").ok
    assert load("case_closed.json").ok
    with Session(engine) as s:
        rec = s.execute(select(Recommendation).where(Recommendation.key == "coe_exec/AZE/004-34566")).scalar_one()
        events = s.execute(select(StatusEvent).where(StatusEvent.recommendation_id == rec.id,
                                                     StatusEvent.axis == "implementation")).scalars().all()
    assert rec.implementation == "implemented"
    assert len(events) == 1 and events[0].evidence.startswith("CM/ResDH(")
    before = dump(engine)
    assert load("case_closed.json").counts["skipped_unchanged"] == 1
    assert dump(engine) == before
    assert client.get("/api/v1/recommendations", params={"mechanism": "coe_exec"}).json()["total"] == 3


def test_challenged_pace_ends_blocked_with_nothing_lost_then_recovers(engine, settings, source_server):
    settings.pace_base_url = settings.pace_legacy_base_url = source_server.base_url
    settings.pace_fileids, settings.watchlist = "AZE:28584", "AZE"
    page = (PACE / "res_2322_current_later.html").read_bytes()
    source_server.route("/en/files/28584/html", Scripted(200, page, {"Content-Type": "text/html"}))
    client = PoliteClient(HttpPolicy(user_agent="t", min_interval=0, backoff_base=0.01), limiter=_HostLimiter(),
                          sleep=lambda s: None)
    assert run_source(engine, settings, "pace", client=client).outcome == RunOutcome.OK
    before = dump(engine)
    challenge = Scripted(403, (PACE / "challenge.html").read_bytes(),
                         {"cf-mitigated": "challenge", "Content-Type": "text/html"})
    source_server.routes.clear()
    source_server.route("/en/files/28584/html", challenge)
    source_server.route("/nw/xml/XRef/Xref-XML2HTML-en.asp?fileid=28584&lang=en", challenge)
    blocked = run_source(engine, settings, "pace", client=client)
    assert blocked.outcome == RunOutcome.BLOCKED and blocked.errors[0]["class"] == "SourceBlocked"
    after = dump(engine)
    assert {k: v for k, v in after.items() if k != "http_cache"} == {k: v for k, v in before.items() if k != "http_cache"}
    source_server.routes.clear()
    source_server.route("/en/files/28584/html", Scripted(200, page, {"Content-Type": "text/html"}))
    assert run_source(engine, settings, "pace", client=client).outcome == RunOutcome.OK


def test_a_page_saved_by_a_person_is_imported_under_its_source(settings, engine, client, tmp_path):
    from tests.service.test_cli import recwatch

    saved = tmp_path / "saved.html"
    saved.write_bytes((PACE / "res_2322_current_later.html").read_bytes())
    res = recwatch(settings, "import", str(saved), "--source", "pace")
    assert res.returncode == 0, res.stderr
    assert client.get("/api/v1/recommendations", params={"mechanism": "pace"}).json()["total"] == len(OPERATIVE)
    assert client.get("/api/v1/runs", params={"source": "pace"}).json()["items"][0]["outcome"] == "ok"


def test_follow_up_evidence_waits_for_an_editor_then_counts(engine, settings, client):
    from service.auth.keys import create_key
    from service.models import Role

    assert _import_page(engine, settings, "res_2322_current_later.html").ok
    assert _import_page(engine, settings, "res_2527_current_later.html",
                        url="https://pace.coe.int/en/files/33333/html").ok
    items = client.get("/api/v1/recommendations", params={"mechanism": "pace", "limit": 100}).json()["items"]
    proposals = [(i["id"], e) for i in items
                 for e in client.get(f"/api/v1/recommendations/{i['id']}").json()["implementation_evidence"]]
    assert proposals, "the later resolution's assessment is kept as evidence"
    assert all(client.get(f"/api/v1/recommendations/{rid}").json()["implementation"] == "unknown"
               for rid, _ in proposals)
    with Session(engine) as s:
        key = create_key(s, "desk", Role.EDITOR)
        s.commit()
    rid, proposal = proposals[0]
    res = client.post(f"/api/v1/evidence/{proposal['id']}/confirm", headers={"Authorization": f"Bearer {key}"})
    assert res.status_code == 200 and res.json()["status"] == "confirmed"
    detail = client.get(f"/api/v1/recommendations/{rid}").json()
    assert detail["implementation"] == proposal["implementation"]
    assert detail["history"][-1]["recorded_by"] == "desk"
    again = client.post(f"/api/v1/evidence/{proposal['id']}/dismiss", headers={"Authorization": f"Bearer {key}"})
    assert again.status_code == 409
