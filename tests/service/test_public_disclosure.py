"""What the open API, reports and exports show about imported files and failed runs: public URLs,
cleaned errors, checked symbols, valid download headers. Real database, real imports."""

from __future__ import annotations

import shutil
from urllib.parse import quote

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from service.ingest import pipeline
from service.models import Document, RunOutcome
from tests.conftest import corpus_file

LEAKS = ("file://", "[SQL", "INSERT INTO", "parameters")


def _import(engine, settings, path, **overrides):
    return pipeline.import_path(engine, settings, path, parser=pipeline.detect_parser(**overrides))


def test_documents_reports_and_export_show_the_public_url(engine, settings, client, tmp_path):
    path = tmp_path / "saved" / "azerbaijan.pdf"
    path.parent.mkdir()
    shutil.copy(corpus_file("azerbaijan2009.pdf"), path)
    assert _import(engine, settings, path).ok
    doc = client.get("/api/v1/documents").json()["items"][0]
    assert doc["symbol"] == "A/HRC/11/20"
    assert doc["url"] == "https://docs.un.org/en/A/HRC/11/20"
    with Session(engine) as session:  # stored so, not only shown so
        assert session.get(Document, doc["id"]).url == "https://docs.un.org/en/A/HRC/11/20"
    for url in ("/api/v1/reports/AZE?cycle=1&format=json", "/api/v1/reports/AZE?cycle=1&format=html",
                "/api/v1/export?state=AZE&format=csv", "/api/v1/export?state=AZE&format=jsonl",
                "/api/v1/runs", "/api/v1/documents"):
        body = client.get(url).text
        assert str(tmp_path) not in body and "file://" not in body, url
    assert "https://docs.un.org/en/A/HRC/11/20" in client.get("/api/v1/export?state=AZE&format=csv").text


def test_legacy_rows_with_a_local_url_are_not_shown(engine, client):
    with Session(engine) as session:
        session.add(Document(mechanism="upr", kind="wg_report", symbol="A/HRC/24/13",
                             url="file:///srv/in/x.pdf", sha256="a" * 64,
                             content_type="application/pdf", size=1))
        session.add(Document(mechanism="pace", kind="pace_text", symbol="Resolution 2322 (2020)",
                             url="file:///srv/in/p.html", sha256="b" * 64, content_type="text/html", size=1))
        session.commit()
    urls = {d["symbol"]: d["url"] for d in client.get("/api/v1/documents").json()["items"]}
    assert urls == {"A/HRC/24/13": "https://docs.un.org/en/A/HRC/24/13", "Resolution 2322 (2020)": None}


def test_failed_runs_carry_a_class_and_a_message_only(engine, settings, client, tmp_path):
    broken = tmp_path / "private" / "broken.pdf"
    broken.parent.mkdir()
    broken.write_bytes(corpus_file("azerbaijan2009.pdf").read_bytes()[:4000])
    assert not _import(engine, settings, broken).ok
    assert not _import(engine, settings, tmp_path / "private" / "missing.pdf").ok
    # A database error as it happens in a run: a real IntegrityError from the real database.
    ctx = pipeline.RunContext(engine, settings, "manual-import")
    values = dict(mechanism="upr", kind="wg_report", sha256="c" * 64, size=1,
                  content_type="application/pdf", url=f"file://{tmp_path}/private/x.pdf")
    with Session(engine) as session:
        session.add(Document(**values))
        session.commit()
        try:
            session.add(Document(**values))
            session.flush()
        except IntegrityError as exc:
            ctx.fail(exc, f"file://{tmp_path}/private/x.pdf")
    ctx.finish()
    runs = client.get("/api/v1/runs").json()["items"]
    errors = [e for r in runs for e in r["errors"]]
    assert len(errors) >= 3
    for error in errors:
        assert error["class"] and error["message"] and error["url"] is None
        assert "\n" not in error["message"]
    body = client.get("/api/v1/runs").text + str(client.get("/api/v1/sources").json())
    assert str(tmp_path) not in body and not any(leak in body for leak in LEAKS), body
    assert {"IntegrityError", "FileNotFoundError"} <= {e["class"] for e in errors}


def test_a_bad_symbol_override_is_refused_and_stores_nothing(engine, settings, client):
    path = corpus_file("azerbaijan2009.pdf")
    report = _import(engine, settings, path, symbol='A/HRC/11/20"\r\nX-Evil: 1')
    assert report.outcome == RunOutcome.FAILED
    assert report.errors[0]["class"] == "InvalidSymbol"
    assert "not a UN document symbol" in report.errors[0]["message"]
    assert client.get("/api/v1/documents").json()["total"] == 0
    assert _import(engine, settings, path, symbol="A/HRC/11/20").ok


def test_download_header_follows_rfc_6266(engine, settings, client):
    assert _import(engine, settings, corpus_file("azerbaijan2009.pdf"), symbol="A/HRC/11/20").ok
    doc = client.get("/api/v1/documents").json()["items"][0]
    res = client.get(doc["download_url"])
    assert res.status_code == 200
    assert res.headers["content-disposition"] == (
        "attachment; filename=\"A_HRC_11_20.pdf\"; filename*=UTF-8''A_HRC_11_20.pdf")
    with Session(engine) as session:  # a symbol stored before symbols were checked
        session.get(Document, doc["id"]).symbol = 'Ré"sumé\r\n/1'
        session.commit()
    res = client.get(doc["download_url"])
    assert res.status_code == 200 and res.content.startswith(b"%PDF")
    header = res.headers["content-disposition"]
    assert '"' not in header.split('filename="')[1].rstrip('"').split('";')[0]
    assert "\r" not in header and "\n" not in header
    assert header.endswith("filename*=UTF-8''" + quote('Ré"sumé_1.pdf', safe=""))
