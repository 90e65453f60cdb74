"""Every format, opened with its own reader (python-docx, openpyxl, csv, html.parser, json) and
checked against the database: each recommendation exactly once, with its paragraph, recommending
states, position and evidence; hostile values neutralised or escaped."""

from __future__ import annotations

import codecs
import csv
import io
import json
from html.parser import HTMLParser

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook
from sqlmodel import Session

from service.reports.content import gather
from service.reports.formats import ReportFormat, render
from service.reports.model import GroupBy, ReportScope
from tests.service.reports.conftest import HOSTILE_FORMULA, HOSTILE_HTML, HOSTILE_URL, truth

pytestmark = pytest.mark.corpus


def _render(engine, fmt: ReportFormat, *, state="AZE", cycle=2, group_by=GroupBy.THEME) -> bytes:
    with Session(engine) as s:
        return render(gather(s, ReportScope(state=state, cycle=cycle, group_by=group_by)), fmt)


def _docx_tables(data: bytes, first_header: str) -> list:
    return [t for t in Document(io.BytesIO(data)).tables if t.rows[0].cells[0].text == first_header]


@pytest.mark.parametrize("group_by", [GroupBy.THEME, GroupBy.PARAGRAPH])
def test_docx_has_every_recommendation_once_with_repeating_headers(engine, hostile, group_by):
    data = _render(engine, ReportFormat.DOCX, group_by=group_by)
    expected = truth(engine, "AZE", 2)
    doc = Document(io.BytesIO(data))
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    headings = {p.text for p in doc.paragraphs if p.style.name == "Heading 1"}
    assert {"Summary", "Recommendations", "Annex: sources"} <= headings
    groups, inside = [], False
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == "Recommendations"
        elif inside and p.style.name == "Heading 2":
            groups.append(p.text)
    seen: list[str] = []
    tables = _docx_tables(data, "Para.")
    assert len(tables) == len(groups)  # one table per group, each under its heading
    assert sum(int(g.rsplit("(", 1)[1].rstrip(")")) for g in groups) == 162
    for table in tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on every page
        header = [c.text for c in table.rows[0].cells]
        assert header[-1] == "Your assessment"
        for row in table.rows[1:]:
            cells = dict(zip(header, (c.text for c in row.cells), strict=True))
            want = expected[cells["Para."]]
            seen.append(cells["Para."])
            assert cells["Recommendation"] == want.text
            assert cells["Recommending states"] == ", ".join(want.state_names)
            position, cite = cells["Position (source)"].split("\n")
            assert position == want.position.capitalize()
            assert cite.startswith(want.position_evidence)
            assert cells["Your assessment"] == ""
    assert sorted(seen) == sorted(expected)
    cped = next(r for t in tables for r in t.rows[1:] if r.cells[0].text == "109.3")
    assert cped.cells[4].text.startswith("Implemented\nhttps://example.org/aze/done, 2017-06-01")
    annex = _docx_tables(data, "Document")[0]
    assert annex.rows[1].cells[0].text == "A/HRC/24/13" and len(annex.rows[1].cells[4].text) == 64


def test_xlsx_data_sheet_summary_and_neutralised_formula(engine, hostile):
    data = _render(engine, ReportFormat.XLSX)
    expected = truth(engine, "AZE", 2)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Summary", "Recommendations", "Sources"]
    ws = wb["Recommendations"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:U{len(rows) + 1}"
    assert ws.column_dimensions["C"].width == 60
    assert sorted(r["Paragraph"] for r in rows) == sorted(expected)  # paragraphs stay text
    for row in rows:
        want = expected[row["Paragraph"]]
        text = want.text if not want.text.startswith("=") else "'" + want.text
        assert row["Recommendation"] == text
        assert row["Recommending states"] == ", ".join(want.state_names)
        assert row["Position source"] == want.position_evidence and row["Cycle"] == 2
        assert row["Your assessment"] is None
    hostile_row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "109.1")
    assert hostile_row[2].value == "'" + HOSTILE_FORMULA and hostile_row[2].data_type == "s"
    assert not any(c.data_type == "f" for sheet in wb for row in sheet.iter_rows() for c in row)
    tables, title = {}, None
    for r in wb["Summary"].iter_rows():
        if r[0].font.size == 12:
            title = r[0].value
            tables[title] = {}
        elif title and r[0].value:
            tables[title][r[0].value] = r[1].value
    assert tables["By position"]["Pending"] == 158 and tables["By position"]["Noted"] == 4
    assert tables["By implementation"]["Implemented"] == 1
    assert tables["Change since the previous review (cycle 1)"]["Recommendations"] == 32
    assert wb["Sources"]["A2"].value == "A/HRC/24/13"


def test_csv_is_one_row_per_recommendation_and_state_and_neutralised(engine, hostile):
    data = _render(engine, ReportFormat.CSV)
    expected = truth(engine, "AZE", 2)
    assert data.startswith(codecs.BOM_UTF8)  # for Excel; see csv_report.py
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    pairs = [(r["paragraph"], r["recommending_state"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert sorted(pairs) == sorted((p, c) for p, t in expected.items() for c in (t.state_codes or [""]))
    for row in rows:
        want = expected[row["paragraph"]]
        assert row["position"] == want.position.capitalize()
        assert row["position_source"] == want.position_evidence and row["your_assessment"] == ""
        assert not row["recommendation"].startswith(("=", "+", "-", "@"))
    hostile_rows = [r for r in rows if r["paragraph"] == "109.1"]
    assert hostile_rows and all(r["recommendation"] == "'" + HOSTILE_FORMULA for r in hostile_rows)
    assert next(r for r in rows if r["paragraph"] == "109.3")["implementation_date"] == "2017-06-01"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.scripts = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and (attrs.get("id") or "").startswith("rec-"):
            self.rows.append(attrs["id"])
        self.scripts += tag == "script"
        if tag == "a":
            self.hrefs.append(attrs["href"])


def test_html_escapes_everything_and_lists_each_recommendation_once(engine, hostile):
    page = _render(engine, ReportFormat.HTML).decode("utf-8")
    expected = truth(engine, "AZE", 2)
    parser = _Collector()
    parser.feed(page)
    assert sorted(parser.rows) == sorted(f"rec-{t.id}" for t in expected.values())
    assert parser.scripts == 0 and "<script>" not in page
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert HOSTILE_URL not in parser.hrefs and "https://example.org/aze/done" in parser.hrefs
    assert "thead" in page and "@page" in page


def test_json_matches_the_database(engine, hostile):
    body = json.loads(_render(engine, ReportFormat.JSON))
    expected = truth(engine, "AZE", 2)
    recs = [r for g in body["groups"] for r in g["recommendations"]]
    assert sorted(r["id"] for r in recs) == sorted(t.id for t in expected.values())
    for rec in recs:
        want = expected[rec["paragraph"]]
        assert rec["text"] == want.text and rec["position"] == want.position
        assert [s["code"] for s in rec["recommending_states"]] == want.state_codes
        assert rec["your_assessment"] is None
    assert body["summary"]["total"] == 162 and body["summary"]["by_position"]["noted"] == 4
    assert body["report"]["state"] == "AZE" and body["report"]["is_sample"] is False
    assert body["sources"][0]["symbol"] == "A/HRC/24/13"
    assert next(r for r in recs if r["paragraph"] == "109.2")["text"] == HOSTILE_HTML


def test_slovenia_renders_in_every_format(engine, slovenia):
    expected = truth(engine, "SVN", 3)
    assert len(expected) == 215
    for fmt in ReportFormat:
        assert sorted(_paragraphs(_render(engine, fmt, state="SVN", cycle=3), fmt, expected)) == sorted(expected)


def _paragraphs(data: bytes, fmt: ReportFormat, expected: dict) -> list[str]:
    """The paragraph of every recommendation row, read back with the format's own reader."""
    if fmt == ReportFormat.DOCX:
        return [r.cells[0].text for t in _docx_tables(data, "Para.") for r in t.rows[1:]]
    if fmt == ReportFormat.XLSX:
        sheet = load_workbook(io.BytesIO(data))["Recommendations"]
        return [r[1].value for r in sheet.iter_rows(min_row=2)]
    if fmt == ReportFormat.CSV:
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        return list(dict.fromkeys(r["paragraph"] for r in rows))
    if fmt == ReportFormat.JSON:
        return [r["paragraph"] for g in json.loads(data)["groups"] for r in g["recommendations"]]
    parser = _Collector()
    parser.feed(data.decode())
    ids = {t.id: p for p, t in expected.items()}
    return [ids[int(r.removeprefix("rec-"))] for r in parser.rows]
