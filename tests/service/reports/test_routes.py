"""`/api/v1/reports/{state}` and `/api/v1/export` through the real app."""

from __future__ import annotations

import csv
import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook

from service.sample import load_sample
from tests.service.reports.conftest import HOSTILE_FORMULA, truth

pytestmark = pytest.mark.corpus

TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8", "json": "application/json"}


@pytest.fixture
def api(client):
    """The client of the real app (main.py includes the reports router)."""
    return client


@pytest.mark.parametrize("fmt", list(TYPES))
def test_report_in_each_format_with_type_and_file_name(api, azerbaijan, fmt):
    res = api.get("/api/v1/reports/AZE", params={"cycle": 2, "format": fmt})
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == TYPES[fmt]
    disposition = "inline" if fmt in ("html", "json") else "attachment"
    assert res.headers["content-disposition"] == (f'{disposition}; filename="azerbaijan-upr2.{fmt}"; '
                                                  f"filename*=UTF-8''azerbaijan-upr2.{fmt}")
    if fmt == "docx":
        assert any(p.style.name == "Heading 1" for p in Document(io.BytesIO(res.content)).paragraphs)
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(res.content))["Recommendations"].max_row == 163
    elif fmt == "json":
        assert res.json()["summary"]["total"] == 162


def test_report_accepts_names_and_lower_case_and_defaults_to_docx(api, azerbaijan):
    for state in ("aze", "Azerbaijan"):
        res = api.get(f"/api/v1/reports/{state}", params={"cycle": 2, "group_by": "paragraph"})
        assert res.status_code == 200 and res.headers["content-type"] == TYPES["docx"]


@pytest.mark.parametrize("path", ["/api/v1/reports/XXX", "/api/v1/reports/Atlantis",
                                  "/api/v1/reports/AZE?cycle=9", "/api/v1/reports/AZE?mechanism=pace"])
def test_unknown_state_or_empty_scope_is_a_404_json_error(api, azerbaijan, path):
    res = api.get(path)
    assert res.status_code == 404 and res.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"group_by": "colour"}, {"cycle": 0},
                                    {"cycle": "two"}, {"since": "yesterday"}, {"mechanism": "un"},
                                    {"since": "2014-01-01", "until": "2013-01-01"}])
def test_bad_report_parameters_are_422(api, azerbaijan, params):
    res = api.get("/api/v1/reports/AZE", params=params)
    assert res.status_code == 422 and res.json()["error"]["code"] == "invalid_parameter"


def _all_ids(api, params: dict) -> list[int]:
    ids, cursor = [], None
    while True:
        body = api.get("/api/v1/recommendations", params=params | {"limit": 100}
                       | ({"cursor": cursor} if cursor else {})).json()
        ids += [i["id"] for i in body["items"] if not i["is_sample"]]
        if not (cursor := body["next"]):
            return ids


def _csv(res) -> list[dict]:
    assert not res.content.startswith(b"\xef\xbb\xbf")  # programs read the export: no BOM
    return list(csv.DictReader(io.StringIO(res.content.decode("utf-8"), newline="")))


@pytest.mark.parametrize("params", [{}, {"state": "AZE", "cycle": 2}, {"position": "noted"},
                                    {"recommending_state": "Brazil"}, {"q": "torture"},
                                    {"status": "implemented"}, {"state": "AZE", "cycle": 1}])
def test_export_matches_the_recommendations_list(api, azerbaijan, params):
    expected = _all_ids(api, params)
    res = api.get("/api/v1/export", params=params | {"format": "csv"})
    assert res.status_code == 200 and res.headers["content-type"] == "text/csv; charset=utf-8"
    assert res.headers["content-disposition"].startswith('attachment; filename="recwatch-')
    assert [int(r["id"]) for r in _csv(res)] == expected
    lines = api.get("/api/v1/export", params=params | {"format": "jsonl"})
    assert lines.headers["content-type"] == "application/x-ndjson"
    assert [json.loads(line)["id"] for line in lines.text.splitlines()] == expected


def test_export_rows_carry_states_themes_and_evidence(api, hostile, slovenia):
    expected = truth(api.app.state.engine_provider(), "AZE", 2)
    rows = {r["paragraph"]: r for r in _csv(api.get("/api/v1/export", params={"state": "AZE", "cycle": 2}))}
    assert rows.keys() == expected.keys()
    for paragraph, want in expected.items():
        assert rows[paragraph]["recommending_states"] == "; ".join(want.state_codes)
        assert rows[paragraph]["position_evidence"] == want.position_evidence
    assert rows["109.1"]["text"] == "'" + HOSTILE_FORMULA
    assert rows["109.3"]["implementation"] == "implemented"
    assert rows["109.3"]["implementation_date"] == "2017-06-01"
    svn = [json.loads(line) for line in api.get("/api/v1/export", params={
        "state": "SVN", "format": "jsonl"}).text.splitlines()]
    assert len(svn) == 215 and all(isinstance(r["themes"], list) for r in svn)
    assert svn[0]["source_document"] == "A/HRC/43/15" and svn[0]["is_sample"] is False
    hostile_line = api.get("/api/v1/export", params={"format": "jsonl", "q": "HYPERLINK"}).text
    assert json.loads(hostile_line)["text"] == HOSTILE_FORMULA  # JSON Lines keeps exact text


def test_export_leaves_sample_data_out_unless_asked(api, engine, settings, azerbaijan):
    assert load_sample(engine, settings).ok
    default = _csv(api.get("/api/v1/export"))
    assert {r["state"] for r in default} == {"AZE"} and len(default) == 194
    both = _csv(api.get("/api/v1/export", params={"include_sample": "true"}))
    assert {r["state"] for r in both} == {"AZE", "XSA"}
    only = _csv(api.get("/api/v1/export", params={"state": "XSA"}))
    assert only and all(r["is_sample"] == "true" for r in only)


@pytest.mark.parametrize("params", [{"format": "xml"}, {"state": "Atlantis"}, {"cycle": 99},
                                    {"position": "maybe"}])
def test_bad_export_parameters_are_422_before_streaming(api, params):
    res = api.get("/api/v1/export", params=params)
    assert res.status_code == 422 and res.json()["error"]["code"] == "invalid_parameter"
