"""The `recwatch` command as a user runs it: a real process, real files, a real database."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from service.models import Recommendation, RunOutcome, ScrapeRun
from tests.conftest import corpus_file
from tests.fakes.source_server import Scripted
from tests.service.dbdump import dump

CONTRACT_KEYS = {"source", "paragraph", "text", "recommending_states", "position",
                 "position_wording", "state_under_review"}


def recwatch(settings, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = os.environ | {"RECWATCH_DATA_DIR": str(settings.data_dir),
                             "RECWATCH_DATABASE_URL": settings.effective_database_url} | (env or {})
    return subprocess.run([sys.executable, "-m", "service", *args], capture_output=True, text=True,
                          env=full_env, timeout=300)


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    """Inputs that are not WG reports, each failing for its own reason."""
    pdf = corpus_file("azerbaijan2013.pdf").read_bytes()
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    files = {"empty.pdf": b"", "truncated.pdf": pdf[: len(pdf) // 3], "word.pdf": docx.getvalue(),
             "page.pdf": b"<!DOCTYPE html><html><body>Document not found</body></html>"}
    out = {}
    for name, data in files.items():
        out[name] = tmp_path / name
        out[name].write_bytes(data)
    return out


def test_parse_prints_the_jsonl_contract(settings):
    path = corpus_file("azerbaijan2013.pdf")
    res = recwatch(settings, "parse", str(path))
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len({r["paragraph"] for r in rows}) == 162
    assert all(CONTRACT_KEYS <= set(r) for r in rows)
    first = next(r for r in rows if r["paragraph"] == "109.1")
    assert first["state_under_review"] == "AZE" and first["position"] == "pending"
    assert not (settings.data_dir / "recwatch.sqlite3").exists()  # parse never touches the database


def test_parse_reports_each_bad_file_in_one_line_and_goes_on(settings, bad_files):
    good = corpus_file("azerbaijan2009.pdf")
    res = recwatch(settings, "parse", *map(str, bad_files.values()), str(good))
    assert res.returncode != 0
    assert res.stdout.strip(), "the good file is still parsed"
    lines = [l for l in res.stderr.splitlines() if l.strip() and ": warning: " not in l]
    assert len(lines) == len(bad_files), res.stderr
    for name in bad_files:
        assert any(line.startswith(str(bad_files[name])) for line in lines), name


def test_import_twice_changes_nothing(settings, engine, client):
    path = corpus_file("azerbaijan2013.pdf")
    first = recwatch(settings, "import", str(path))
    assert first.returncode == 0, first.stderr
    assert "162 inserted" in first.stderr
    before, changes = dump(engine), client.get("/api/v1/changes", params={"limit": 1000}).json()
    second = recwatch(settings, "import", str(path))
    assert second.returncode == 0 and "0 inserted" in second.stderr and "1 already imported" in second.stderr
    assert dump(engine) == before
    assert client.get("/api/v1/changes", params={"limit": 1000}).json() == changes
    body = client.get("/api/v1/recommendations", params={"state": "AZE", "cycle": 2}).json()
    assert body["total"] == 162


def test_bad_import_fails_with_reason_and_keeps_what_is_stored(settings, engine, bad_files):
    assert recwatch(settings, "import", str(corpus_file("azerbaijan2009.pdf"))).returncode == 0
    before = dump(engine)
    for path in bad_files.values():
        res = recwatch(settings, "import", str(path))
        assert res.returncode != 0
        assert len(res.stderr.strip().splitlines()) == 1 and str(path) in res.stderr, res.stderr
    assert dump(engine) == before
    with Session(engine) as s:
        outcomes = s.execute(select(ScrapeRun.outcome).order_by(ScrapeRun.id)).scalars().all()
    assert outcomes == [RunOutcome.OK] + [RunOutcome.FAILED] * len(bad_files)


def test_scrape_fetches_by_symbol_from_the_un_document_system(settings, engine, source_server):
    pdf = corpus_file("azerbaijan2013.pdf").read_bytes()
    source_server.route("/api/symbol/access?s=A/HRC/24/13&l=en&t=pdf",
                        Scripted(302, headers={"Location": "/doc/undoc/gen/g13/150/00/pdf/g1315000.pdf"}))
    source_server.route("/doc/undoc/gen/g13/150/00/pdf/g1315000.pdf",
                        Scripted(200, pdf, {"Content-Type": "application/pdf"}))
    res = recwatch(settings, "scrape", "upr-reports", "--symbol", "A/HRC/24/13",
                   env={"RECWATCH_ODS_BASE_URL": source_server.base_url})
    assert res.returncode == 0, res.stderr
    with Session(engine) as s:
        keys = s.execute(select(Recommendation.key)).scalars().all()
        run = s.execute(select(ScrapeRun)).scalar_one()
    assert len(keys) == 162 and "upr/AZE/2/109.1" in keys
    assert (run.source, run.outcome, run.fetched, run.inserted) == ("upr-reports", "ok", 1, 162)


def test_scrape_without_internet_fails_clearly_and_records_the_run(settings, engine):
    unreachable = {"RECWATCH_ODS_BASE_URL": "http://127.0.0.1:9", "RECWATCH_DOCS_UN_BASE_URL": "http://127.0.0.1:9",
                   "RECWATCH_HTTP_CONNECT_TIMEOUT": "1"}
    res = recwatch(settings, "scrape", "upr-reports", "--symbol", "A/HRC/39/14", env=unreachable)
    assert res.returncode != 0
    assert res.stderr.count("A/HRC/39/14 could not be fetched") == 1, res.stderr  # said once
    with Session(engine) as s:
        run = s.execute(select(ScrapeRun)).scalar_one()
    assert run.outcome == "failed" and "could not be fetched" in run.errors[0]["message"]


NOTHING_CONFIGURED = {"RECWATCH_WATCHLIST": "", "RECWATCH_UPR_CALENDAR": "", "RECWATCH_PACE_FILEIDS": ""}


def test_scrape_with_nothing_configured_says_so_in_one_line_and_claims_no_success(settings, engine, client):
    res = recwatch(settings, "scrape", "pace", "--state", "AZE", env=NOTHING_CONFIGURED)
    assert res.returncode == 0, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pace: nothing to do — no PACE file ids for AZE"), res.stderr
    assert "RECWATCH_PACE_FILEIDS=AZE:" in lines[0] and "recwatch import --source pace" in lines[0]
    assert "failed" not in res.stderr and "ok" not in res.stderr.split()
    pace = next(s for s in client.get("/api/v1/sources").json()["items"] if s["source"] == "pace")
    assert pace["last_success_at"] is None and pace["last_outcome"] == "skipped" and not pace["failing"]
    assert pace["newest_document_at"] is None and "RECWATCH_PACE_FILEIDS" in pace["skip_reason"]
    table = recwatch(settings, "sources")
    assert table.returncode == 0 and "skipped" in table.stdout and "NotConfigured" in table.stdout
    page = client.get("/sources").text
    assert "Skipped: nothing to do" in page and "RECWATCH_PACE_FILEIDS=AZE:" in page
    assert "source failing" not in page and "No source has run successfully yet." in page


@pytest.mark.parametrize(("args", "names"), [
    (("upr-reports", "--state", "AZE"), "--symbol"),
    (("upr-info",), "--state"),
    (("coe-exec", "--state", "USA"), "member state"),
    (("nope",), "upr-reports, upr-info, pace, coe-exec"),
    (("coe-exec", "--state", "AZE", "--since", "31/01/2024"), "YYYY-MM-DD"),
    (("pace", "--state", "AZE", "--symbol", "A/HRC/39/14"), "--symbol is for upr-reports only"),
    (("upr-reports", "--state", "AZE", "--symbol", 'A/HRC/39/14"\r\nX: 1'), "not a UN document symbol"),
])
def test_scrape_arguments_that_cannot_make_a_run_are_a_usage_error_recorded_nowhere(settings, engine, args,
                                                                                    names):
    res = recwatch(settings, "scrape", *args, env=NOTHING_CONFIGURED)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and names in lines[0], res.stderr
    assert res.stdout == ""
    with Session(engine) as s:
        assert s.execute(select(ScrapeRun)).first() is None, "a usage error is no run of the source"


def test_demo_loads_labelled_sample_once(settings, client):
    assert recwatch(settings, "demo").returncode == 0
    again = recwatch(settings, "demo")
    assert again.returncode == 0 and "0 inserted" in again.stderr and "1 already imported" in again.stderr
    body = client.get("/api/v1/recommendations", params={"state": "XSA"}).json()
    assert body["total"] == 10 and all(item["is_sample"] for item in body["items"])
    assert {i["position"] for i in body["items"]} == {"supported", "pending", "noted"}
    state = client.get("/api/v1/states/XSA").json()
    assert "fictional" in state["name"].lower()


def test_apikey_create_prints_the_key_alone_and_stores_only_a_hash(settings, engine, client):
    res = recwatch(settings, "apikey", "create", "Amnesty desk", "--role", "editor")
    assert res.returncode == 0, res.stderr
    key = res.stdout.strip()
    assert res.stdout == key + "\n" and key.startswith("rw_") and len(key) > 30
    from service.models import ApiKey
    with Session(engine) as s:
        row = s.execute(select(ApiKey)).scalar_one()
    assert row.name == "Amnesty desk" and key not in (row.key_hash, row.prefix)
    assert recwatch(settings, "apikey", "create", "Amnesty desk").returncode != 0
    assert recwatch(settings, "apikey", "revoke", "Amnesty desk").returncode == 0
    res = client.post("/api/v1/recommendations/1/assessments", headers={"Authorization": f"Bearer {key}"},
                      json={"implementation": "implemented", "effective_on": "2020-01-01",
                            "evidence_url": "https://example.org"})
    assert res.status_code == 401


def test_an_import_by_a_person_is_audited(settings, engine):
    from service.models import AuditEntry

    assert recwatch(settings, "import", str(corpus_file("azerbaijan2009.pdf"))).returncode == 0
    with Session(engine) as s:
        entry = s.execute(select(AuditEntry)).scalar_one()
    assert entry.action == "document.import" and entry.actor.startswith("cli:")
    assert entry.target.endswith("azerbaijan2009.pdf") and entry.detail["outcome"] == "ok"
