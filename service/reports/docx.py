"""The report as a Word document (python-docx): the annex a submission author pastes in.

Portrait pages for the summary, then a landscape section for the recommendation tables and the
annex of sources. Headings use Word's own Heading styles (navigation pane, table of contents);
every table's header row is marked `w:tblHeader`, so Word and LibreOffice repeat it on each
page. Rows are written as raw WordprocessingML (lxml): python-docx's cell API is about twenty
times slower and a 1,000-row report must stay under two seconds.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from typing import Any

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from service.reports import texts
from service.reports.cells import xml_text
from service.reports.model import (
    IMPLEMENTATION_LABELS,
    POSITION_LABELS,
    Report,
    ReportRow,
    Tick,
    label,
)

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSION = "docx"
TWIPS_PER_CM = 567
FONT = "Arial"
CELL_STYLE = "Report Table"  # style id "ReportTable"
HEADER_FILL = "D9E2F3"
# Landscape A4 with 1.5 cm margins leaves 26.7 cm.
ROW_COLUMNS = [("Para.", 1.8), ("Recommendation", 7.9), ("Recommending states", 3.2),
               ("Position (source)", 3.4), ("Implementation", 3.0), ("Notes", 3.4),
               ("Your assessment", 4.0)]
SOURCE_WIDTHS = [3.4, 6.2, 2.1, 5.5, 7.0, 2.5]

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

Run = tuple[str, str]  # (text, "" | "b" | "i" | "bi")
Cell = list[list[Run]]  # paragraphs of runs


@cache
def _w(name: str) -> str:
    """`w:tcW` → Clark notation, cached: qn() on every cell is a measurable cost."""
    return qn(name)


def _el(parent: Any, tag: str, **attrs: str) -> Any:
    """A child element via lxml directly (OxmlElement re-parses a template per call)."""
    return etree.SubElement(parent, _w(tag), {_w(f"w:{k}"): v for k, v in attrs.items()})


def _paragraph(tc: Any, runs: list[Run]) -> None:
    p = _el(tc, "w:p")
    _el(_el(p, "w:pPr"), "w:pStyle", val=CELL_STYLE.replace(" ", ""))
    for text, style in runs:
        if not text:
            continue
        r = _el(p, "w:r")
        if style:
            rpr = _el(r, "w:rPr")
            if "b" in style:
                _el(rpr, "w:b")
            if "i" in style:
                _el(rpr, "w:i")
                _el(rpr, "w:color", val="595959")
        t = _el(r, "w:t")
        t.set(XML_SPACE, "preserve")
        t.text = xml_text(text)


def _row(cells: Sequence[Cell], widths: Sequence[float], *, header: bool = False) -> Any:
    tr = OxmlElement("w:tr")
    trpr = _el(tr, "w:trPr")
    _el(trpr, "w:cantSplit")
    if header:
        _el(trpr, "w:tblHeader")  # repeat this row at the top of every page
    for cell, width in zip(cells, widths, strict=True):
        tc = _el(tr, "w:tc")
        tcpr = _el(tc, "w:tcPr")
        _el(tcpr, "w:tcW", w=str(round(width * TWIPS_PER_CM)), type="dxa")
        if header:
            _el(tcpr, "w:shd", val="clear", color="auto", fill=HEADER_FILL)
        for runs in cell or [[]]:
            _paragraph(tc, runs)
    return tr


def _table(doc: Document, header: Sequence[str], widths: Sequence[float],
           rows: Sequence[Sequence[Cell]]) -> Any:
    """A fixed-layout grid table with a repeating header row; returns its `w:tbl` for more rows."""
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    tbl = table._tbl
    tbl.tblPr.find(qn("w:tblW")).set(qn("w:w"), str(round(sum(widths) * TWIPS_PER_CM)))
    tbl.tblPr.find(qn("w:tblW")).set(qn("w:type"), "dxa")
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(round(width * TWIPS_PER_CM)))
    tbl.append(_row([[[(h, "b")]] for h in header], widths, header=True))
    for cells in rows:
        tbl.append(_row(cells, widths))
    doc.add_paragraph()  # Word needs a paragraph between consecutive tables
    return tbl


def _plain_cells(values: Sequence[Any]) -> list[Cell]:
    return [[[(str(v), "")]] for v in values]


def _cite(value: str, source: Any) -> Cell:
    cell: Cell = [[(value, "b")]]
    if source is not None:
        cell.append([(source.cite(), "i")])
    return cell


def row_cells(row: ReportRow) -> list[Cell]:
    notes: Cell = []
    if row.other_themes:
        notes.append([("Also under: ", "i"), ("; ".join(row.other_themes), "")])
    notes += [[(r.describe(), "")] for r in row.recurrences]
    return [
        [[(row.ref, "b")]],
        [[(row.text, "")]],
        [[(row.states_text, "")]],
        _cite(label(POSITION_LABELS, row.position), row.position_source),
        _cite(label(IMPLEMENTATION_LABELS, row.implementation), row.implementation_source),
        notes,
        [],
    ]


def _setup(doc: Document, report: Report) -> None:
    styles = doc.styles
    # Arial: in every Word install, and LibreOffice maps it to the metric-compatible Liberation Sans.
    styles["Normal"].font.name = FONT
    styles["Normal"].font.size = Pt(10)
    cell_style = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell_style.base_style = styles["Normal"]
    cell_style.font.size = Pt(8)
    cell_style.paragraph_format.space_after = Pt(1)
    cell_style.paragraph_format.space_before = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    footer = section.footer.paragraphs[0]
    footer.text = f"{report.title} — generated {texts.when(report.generated_at)} by recwatch — page "
    footer.style.font.size = Pt(8)
    field = _el(footer._p, "w:fldSimple", instr="PAGE")
    _el(_el(field, "w:r"), "w:t").text = "1"
    doc.core_properties.title = report.title
    doc.core_properties.author = "recwatch"


def _landscape(doc: Document) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))


def _summary(doc: Document, report: Report) -> None:
    doc.add_heading(report.title, level=0)
    for line in texts.preamble(report):
        para = doc.add_paragraph(line)
        if line == texts.SAMPLE_WARNING:
            para.runs[0].bold = True
            para.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    doc.add_heading("Summary", level=1)
    for title, header, rows in texts.summary_tables(report):
        doc.add_heading(title, level=2)
        first = 17.0 - 3.2 * (len(header) - 1)
        _table(doc, header, [first] + [3.2] * (len(header) - 1), [_plain_cells(r) for r in rows])


def render(report: Report, tick: Tick | None = None) -> bytes:
    doc = new_document()
    _setup(doc, report)
    _summary(doc, report)
    _landscape(doc)
    doc.add_heading("Recommendations", level=1)
    doc.add_paragraph(texts.GROUPING_NOTES[report.scope.group_by])
    header, widths = [h for h, _ in ROW_COLUMNS], [w for _, w in ROW_COLUMNS]
    if not report.summary.total:
        doc.add_paragraph("No recommendations in this scope.")
    for group in report.groups:
        doc.add_heading(f"{group.title} ({len(group.rows)})", level=2)
        tbl = _table(doc, header, widths, [])
        for row in group.rows:
            tbl.append(_row(row_cells(row), widths))
            if tick:
                tick(1)
    title, header, rows = texts.sources_table(report)
    doc.add_heading(title, level=1)
    _table(doc, header, SOURCE_WIDTHS, [_plain_cells(r) for r in rows])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
