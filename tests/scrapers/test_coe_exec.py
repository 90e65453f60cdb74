"""HUDOC-EXEC: query URLs on the wire, canary, window partitions, case and document rows, bodies.

Fixtures are hand-written from SOURCES.md §8 (tests/fixtures/coe_exec/README.md); the API is
played by the real local HTTP server, routes matching the exact path and query we send.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from scrapers.coe_exec import (
    CANARY_QUERY,
    DOCUMENT_FIELDS,
    RANKING_MODELS,
    CaseIndex,
    ExecClient,
    PartitionMismatch,
    case_query,
    document_text,
    parse_exec_results,
)
from scrapers.errors import EmptyScrape, LayoutChanged, NotADocument, ScrapeError
from scrapers.http import HttpPolicy, PoliteClient
from scrapers.records import Implementation, Mechanism, Position
from scrapers.text import NoTextLayer
from tests.fakes.source_server import Scripted

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "coe_exec"
URL = "https://hudoc.exec.coe.int/app/query/results?query=..."


def _json(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _client() -> PoliteClient:
    return PoliteClient(HttpPolicy(user_agent="recwatch/test", min_interval=0, backoff_base=0.01),
                        sleep=lambda s: None)


def _counted(n: int, rows: list[dict] | None = None) -> Scripted:
    body = {"resultcount": n, "results": [{"columns": r} for r in rows or []]}
    return Scripted(200, json.dumps(body).encode(), {"content-type": "application/json"})


def _path(url: str) -> str:
    """Path and query of `url`, as the server records and routes them."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _route_count(server, exec_client: ExecClient, query: str, n: int) -> None:
    server.route(_path(exec_client.url(query, ["execidentifier"], length=0)), _counted(n))


# --- the query on the wire ---------------------------------------------------------------------

def test_query_url_keeps_parentheses_literal(source_server):
    source_server.route("/app/query/results", _counted(3, [{"execidentifier": "004-1"}]))
    with _client() as client:
        data = ExecClient(client, source_server.base_url).query(
            case_query("AZE"), ["execidentifier", "exectitle"], sort="execpublisheddate Descending")
    assert data["resultcount"] == 3
    sent = source_server.requests[0].path
    assert sent.startswith("/app/query/results?query=(contentsitename=EXEC%20AND%20")
    assert "%28" not in sent and "%29" not in sent
    assert "execstate=%22AZE%22" in sent and "select=execidentifier,exectitle" in sent
    assert "sort=execpublisheddate%20Descending&start=0&length=500" in sent
    assert sent.endswith(f"&rankingModelId={RANKING_MODELS[0]}")


def test_page_size_is_capped_at_500():
    with _client() as client, pytest.raises(ValueError, match="0..500"):
        ExecClient(client).url("q", ["execidentifier"], length=501)


def test_html_instead_of_json_is_not_a_document(source_server):
    source_server.route("/app/query/results", Scripted(200, b"<html><body>Error</body></html>"))
    with _client() as client, pytest.raises(NotADocument, match="expected JSON"):
        ExecClient(client, source_server.base_url).query("q", ["execidentifier"])


# --- canary --------------------------------------------------------------------------------------

def test_canary_tries_the_other_ranking_models_and_remembers_the_one_that_worked(source_server):
    with _client() as client:
        clients = [ExecClient(client, source_server.base_url, ranking_model=m)
                   for m in RANKING_MODELS]
        for exec_client, n in zip(clients, (0, 0, 1450), strict=True):
            _route_count(source_server, exec_client, CANARY_QUERY, n)
        exec_client = ExecClient(client, source_server.base_url)
        assert exec_client.canary() == 1450
    assert exec_client.ranking_model is None
    assert len(source_server.requests) == 3
    assert "rankingModelId" not in source_server.requests[-1].path
    assert exec_client.log == [(f"canary {RANKING_MODELS[0]}: 0; {RANKING_MODELS[1]}: 0; "
                               "no rankingModelId: 1450")]


def test_canary_zero_everywhere_is_empty_scrape(source_server):
    source_server.route("/app/query/results", _counted(0))
    with _client() as client, pytest.raises(EmptyScrape, match="canary returned 0"):
        ExecClient(client, source_server.base_url).canary()
    assert len(source_server.requests) == 3


def test_canary_below_expectation_is_empty_scrape(source_server):
    source_server.route("/app/query/results", _counted(12))
    with _client() as client, pytest.raises(EmptyScrape, match="returned 12, expected > 1000"):
        ExecClient(client, source_server.base_url).canary()


# --- the 10,000-row window -----------------------------------------------------------------------

def test_partition_by_closed_then_supervision_keeps_every_part_in_the_window(source_server):
    base = case_query("AZE", leading_only=False)
    with _client() as client:
        exec_client = ExecClient(client, source_server.base_url)
        counts = {f"{base} AND execisclosed:False": 5_000, f"{base} AND execisclosed:True": 20_000,
                  f"{base} AND execisclosed:True AND execsupervision:ENHA": 2_000,
                  f"{base} AND execisclosed:True AND execsupervision:STAND": 9_000,
                  f"{base} AND execisclosed:True AND execsupervision:NEW": 9_000}
        for query, n in counts.items():
            _route_count(source_server, exec_client, query, n)
        parts = exec_client.partition(base, 25_000)
    assert parts == [(f"{base} AND execisclosed:False", 5_000),
                     (f"{base} AND execisclosed:True AND execsupervision:ENHA", 2_000),
                     (f"{base} AND execisclosed:True AND execsupervision:STAND", 9_000),
                     (f"{base} AND execisclosed:True AND execsupervision:NEW", 9_000)]
    assert all(n <= 10_000 for _, n in parts)


def test_partition_counts_that_do_not_add_up_raise_naming_the_numbers(source_server):
    base = case_query("AZE")
    with _client() as client:
        exec_client = ExecClient(client, source_server.base_url)
        _route_count(source_server, exec_client, f"{base} AND execisclosed:False", 6_000)
        _route_count(source_server, exec_client, f"{base} AND execisclosed:True", 7_000)
        with pytest.raises(PartitionMismatch, match=r"6000 \+ 7000 = 13000, but the whole query "
                                                    r"counts 14000"):
            exec_client.partition(base, 14_000)


def _rows(identifiers: list[str]) -> list[dict]:
    return [{"execidentifier": i, "execstate": "AZE", "exectitle": f"CASE {i} v. Azerbaijan",
             "execdocumenttypecollection": "CEC;all", "execisclosed": "False"} for i in identifiers]


def test_harvest_pages_every_partition_and_checks_the_total(source_server):
    base = case_query("AZE")
    with _client() as client:
        exec_client = ExecClient(client, source_server.base_url, window=3)
        _route_count(source_server, exec_client, CANARY_QUERY, 1450)
        _route_count(source_server, exec_client, base, 5)
        for clause, ids in (("execisclosed:False", ["004-1", "004-2"]),
                            ("execisclosed:True", ["004-3", "004-4", "004-5"])):
            query = f"{base} AND {clause}"
            _route_count(source_server, exec_client, query, len(ids))
            page_url = exec_client.url(query, ["execidentifier"],
                                       sort="execfinaljudgmentdate ascending")
            source_server.route(_path(page_url), _counted(len(ids), _rows(ids)))
        pages = exec_client.case_pages("AZE", select=["execidentifier"])
    assert len(pages) == 2
    keys = [r.key for p in pages for r in parse_exec_results(p.body, url=p.url).recommendations]
    assert keys == [f"coe_exec/AZE/004-{n}" for n in range(1, 6)]


def test_zero_cases_for_a_state_known_to_have_cases_is_suspicious(source_server):
    with _client() as client:
        exec_client = ExecClient(client, source_server.base_url)
        _route_count(source_server, exec_client, CANARY_QUERY, 1450)
        _route_count(source_server, exec_client, case_query("AZE"), 0)
        with pytest.raises(EmptyScrape, match="0 cases for execstate AZE"):
            exec_client.case_pages("AZE")
        assert exec_client.case_pages("AZE", expect_cases=False) == []


def test_document_pages_since_a_date(source_server):
    query = ('(contentsitename:EXEC AND execlanguage:ENG AND execstate="AZE" AND '
             "(execdocumenttypecollection:acp OR execdocumenttypecollection:acr)) "
             "AND execpublisheddate>=2026-03-01")
    with _client() as client:
        exec_client = ExecClient(client, source_server.base_url)
        _route_count(source_server, exec_client, CANARY_QUERY, 1450)
        _route_count(source_server, exec_client, query, 2)
        page_url = exec_client.url(query, DOCUMENT_FIELDS, sort="execpublisheddate Descending")
        rows = json.loads(_json("documents_aze.json"))["results"][:2]
        source_server.route(_path(page_url), _counted(2, [r["columns"] for r in rows]))
        pages = exec_client.document_pages("AZE", collections=("acp", "acr"),
                                           since=date(2026, 3, 1))
    assert len(pages) == 1 and "execpublisheddate%3E=2026-03-01" in source_server.requests[-1].path
    cases = parse_exec_results(_json("cases_aze.json"), url=URL)
    links = parse_exec_results(pages[0].body, url=pages[0].url, cases=CaseIndex.of([cases])).links
    assert [x.role for x in links] == ["action_plan", "action_report"]


# --- case rows -----------------------------------------------------------------------------------

def test_case_rows_with_string_and_list_values():
    parsed = parse_exec_results(_json("cases_aze.json"), url=URL)
    assert [r.key for r in parsed.recommendations] == [
        "coe_exec/AZE/004-47097", "coe_exec/AZE/004-34566", "coe_exec/AZE/004-51234"]
    mammadli, aliyev, _ = parsed.recommendations
    assert mammadli.mechanism is Mechanism.COE_EXEC and mammadli.position is Position.PENDING
    assert mammadli.paragraph is None and mammadli.state == "AZE"  # the case is the unit
    assert mammadli.text.startswith("MAMMADLI v. Azerbaijan. Arrest and pre-trial detention")
    assert mammadli.position_wording == "Execution supervised (enhanced procedure)"
    assert mammadli.effective_on == date(2018, 7, 19)  # "19/07/2018 00:00:00"
    external = mammadli.external_ids[0]
    assert (external.source, external.external_id, external.url) == (
        "hudoc_exec", "004-47097", "https://hudoc.exec.coe.int/eng?i=004-47097")
    assert {k: mammadli.attributes[k] for k in ("supervision", "supervision_raw", "is_closed",
                                                 "appno", "group_id", "violations", "short_status",
                                                 "ap_status")} == {
        "supervision": "enhanced", "supervision_raw": "ENHA", "is_closed": "false",
        "appno": "47145/14", "group_id": "885", "violations": "5-1;18", "short_status": "2",
        "ap_status": "0"}
    # list values: the first where one is expected, all codes where several are
    assert aliyev.attributes["appno"] == "18705/06;17329/11"
    assert aliyev.attributes["collections"] == "CEC;all"
    assert aliyev.attributes["is_closed"] == "false" and aliyev.attributes["is_leading"] == "true"
    assert aliyev.position_wording == "Execution supervised (standard procedure)"
    assert parsed.implementations == []
    assert parsed.document.state_under_review == "AZE"


def test_unknown_supervision_code_is_kept_raw_and_reported():
    parsed = parse_exec_results(_json("cases_aze.json"), url=URL)
    rec = parsed.recommendations[2]
    assert rec.attributes["supervision_raw"] == "TRANSF" and "supervision" not in rec.attributes
    assert rec.position_wording == "Execution supervised (supervision TRANSF)"
    assert parsed.warnings == ["004-51234: unknown execsupervision 'TRANSF' kept raw"]


def test_closed_case_gives_one_implementation_with_its_final_resolution():
    pending = parse_exec_results(_json("cases_aze.json"), url=URL).recommendations[1]
    closed = parse_exec_results(_json("case_closed.json"), url=URL)
    assert closed.recommendations[0].key == pending.key == "coe_exec/AZE/004-34566"
    assert closed.recommendations[0].position_wording == "Execution supervision closed"
    (done,) = closed.implementations
    assert (done.key, done.implementation, done.evidence, done.effective_on) == (
        pending.key, Implementation.IMPLEMENTED, "CM/ResDH(2026)30", date(2026, 3, 12))
    assert done.wording == "Closed by Final Resolution CM/ResDH(2026)30"
    assert not done.needs_confirmation


def test_closed_case_without_resolution_number_is_not_implemented():
    data = json.loads(_json("case_closed.json"))
    del data["results"][0]["columns"]["execresolutionnumber"]
    parsed = parse_exec_results(data, url=URL)
    assert parsed.implementations == []
    assert "closed without execresolutionnumber" in parsed.warnings[0]


def test_unreadable_boolean_and_unknown_state_are_reported():
    data = {"resultcount": 2, "results": [
        {"columns": {"execidentifier": "004-9", "execstate": "AZE", "exectitle": "X v. Azerbaijan",
                     "execdocumenttypecollection": "CEC", "execisclosed": "Maybe"}},
        {"columns": {"execidentifier": "004-8", "execstate": "XKX", "exectitle": "Y v. Kosovo",
                     "execdocumenttypecollection": "CEC"}}]}
    parsed = parse_exec_results(data, url=URL)
    assert [r.key for r in parsed.recommendations] == ["coe_exec/AZE/004-9"]
    assert parsed.recommendations[0].attributes["is_closed_raw"] == "Maybe"
    assert parsed.warnings == ["004-9: execisclosed value 'Maybe' is not True/False; kept raw",
                               "004-8: unknown execstate 'XKX' kept out (no State to key it)"]


# --- document rows -------------------------------------------------------------------------------

def test_documents_become_dated_links_of_their_case():
    cases = parse_exec_results(_json("cases_aze.json"), url=URL)
    parsed = parse_exec_results(_json("documents_aze.json"), url=URL, cases=CaseIndex.of([cases]))
    assert [(x.role, x.key, x.reference, x.effective_on) for x in parsed.links] == [
        ("action_plan", "coe_exec/AZE/004-34566", "DH-DD(2025)112", date(2025, 3, 14)),
        ("action_report", "coe_exec/AZE/004-34566", "DH-DD(2026)381", date(2026, 3, 23)),
        ("cm_decision", "coe_exec/AZE/004-47097", "CM/Del/Dec(2026)1553/H46-2", date(2026, 3, 11)),
        ("interim_resolution", "coe_exec/AZE/004-47097", "CM/ResDH(2020)47", date(2020, 6, 5)),
        ("final_resolution", "coe_exec/AZE/004-34566", "CM/ResDH(2026)30", date(2026, 3, 12)),
    ]
    assert parsed.recommendations == []
    assert parsed.warnings == [
        "row 6: unknown collection code 'zzz' kept raw",
        "DH-DD(2026)500: no known case for group '7777' / appno '99999/99'; link not emitted",
        "rows not linked (collection: count): ngo;obs: 1, zzz: 1",
    ]


def test_documents_without_a_case_index_are_reported_not_dropped_silently():
    parsed = parse_exec_results(_json("documents_aze.json"), url=URL)
    assert parsed.links == []
    assert sum("no known case" in w for w in parsed.warnings) == 6


# --- page structure ------------------------------------------------------------------------------

def test_page_structure_is_checked():
    with pytest.raises(EmptyScrape, match="resultcount 0"):
        parse_exec_results(b'{"resultcount": 0, "results": []}', url=URL)
    with pytest.raises(LayoutChanged, match="'resultcount'"):
        parse_exec_results(b'{"items": []}', url=URL)
    with pytest.raises(LayoutChanged, match="no 'columns'"):
        parse_exec_results({"resultcount": 1, "results": [{"row": {}}]}, url=URL)
    with pytest.raises(NotADocument):
        parse_exec_results(b"<html>blocked</html>", url=URL)
    with pytest.raises(LayoutChanged, match="without execidentifier"):
        parse_exec_results({"resultcount": 1, "results": [
            {"columns": {"execstate": "AZE", "execdocumenttypecollection": "CEC"}}]}, url=URL)


# --- document bodies -----------------------------------------------------------------------------

def _blank_pdf() -> bytes:
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_scanned_pdf_body_is_flagged_for_ocr(source_server):
    source_server.route("/app/conversion/pdf", Scripted(200, _blank_pdf(),
                                                        {"content-type": "application/pdf"}))
    with _client() as client:
        body, url = ExecClient(client, source_server.base_url).document_body("0900001680a0c1d2",
                                                                             fmt="pdf")
    assert source_server.requests[0].path == "/app/conversion/pdf?library=EXEC&id=0900001680a0c1d2"
    with pytest.raises(NoTextLayer, match="flag for OCR") as caught:
        document_text(body, url=url)
    assert isinstance(caught.value, ScrapeError) and caught.value.url == url


def test_html_body_and_empty_answers(source_server):
    html = (b"<html><body><p>MINISTERS' DEPUTIES</p><p>Decisions</p>"
            b"<p>CM/Del/Dec(2026)1553/H46-2</p></body></html>")
    source_server.route("/app/conversion/docx/html/body", Scripted(200, html), Scripted(204))
    with _client() as client:
        exec_client = ExecClient(client, source_server.base_url)
        body, url = exec_client.document_body("0900001680a0c1d2")
        assert document_text(body, url=url).splitlines() == [
            "MINISTERS' DEPUTIES", "Decisions", "CM/Del/Dec(2026)1553/H46-2"]
        with pytest.raises(EmptyScrape, match="HTTP 204"):
            exec_client.document_body("004-47097")
    with pytest.raises(EmptyScrape, match="execcontentstoreid"):
        document_text(b"", url=URL)
