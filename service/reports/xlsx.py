"""The report as an XLSX workbook: a summary sheet, a data sheet (frozen header, auto-filter,
column widths, one row per recommendation) and the annex of sources.

Every string cell is neutralised (cells.neutralise) and written as a string, never a formula.
Paragraph numbers stay text, so 109.10 is not read as the number 109.1.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from service.reports import texts
from service.reports.cells import XLSX_COLUMNS, neutralise, xlsx_values, xml_text
from service.reports.model import Report, Tick

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSION = "xlsx"
FONT = "Calibri"  # the workbook default; named explicitly so bold cells do not fall back to serif
HEADER_FONT = Font(name=FONT, bold=True)
TITLE_FONT = Font(name=FONT, bold=True, size=14)
HEADING_FONT = Font(name=FONT, bold=True, size=12)
SUMMARY_WIDTHS = {"A": 44, "B": 21, "C": 21, "D": 21, "E": 21}
CHARS_PER_LINE = 110  # of the merged A:E preamble cells, for an estimated row height
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
WRAPPED = {"recommendation", "recommending_states", "position_source", "implementation_evidence",
           "other_themes", "sdgs", "affected_persons", "recurring", "your_assessment", "group"}


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(xml_text(value))
    return value


def _put(ws: Worksheet, row: int, values: Iterable[Any], *, header: bool = False) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        cell.value = _cell_value(value)
        if isinstance(cell.value, str):
            cell.data_type = "s"  # belt and braces: a string is never stored as a formula
        if header:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL


def _table(ws: Worksheet, start: int, title: str, header: list[str], rows: list[list[Any]]) -> int:
    """A small titled table on the summary sheet; returns the next free row."""
    ws.cell(row=start, column=1, value=neutralise(title)).font = HEADING_FONT
    _put(ws, start + 1, header, header=True)
    for offset, values in enumerate(rows, start=start + 2):
        _put(ws, offset, values)
    return start + 3 + len(rows)


def _summary_sheet(ws: Worksheet, report: Report) -> None:
    ws.title = "Summary"
    for col, width in SUMMARY_WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.cell(row=1, column=1, value=neutralise(report.title)).font = TITLE_FONT
    r = 2
    for line in texts.preamble(report):
        cell = ws.cell(row=r, column=1, value=_cell_value(line))
        cell.alignment = WRAP
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(SUMMARY_WIDTHS))
        ws.row_dimensions[r].height = 15 * (1 + len(line) // CHARS_PER_LINE)
        r += 1
    r += 1
    for title, header, rows in texts.summary_tables(report):
        r = _table(ws, r, title, header, rows)
    _print_setup(ws, landscape=False, fit_width=True)


def _print_setup(ws: Worksheet, *, landscape: bool, fit_width: bool, title_rows: str | None = None) -> None:
    """Printable as well as usable on screen: A4, fitted to the page width where it can be."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if title_rows:
        ws.print_title_rows = title_rows


def _data_sheet(ws: Worksheet, report: Report, tick: Tick | None) -> None:
    fields = [f for f, _, _ in XLSX_COLUMNS]
    _put(ws, 1, [h for _, h, _ in XLSX_COLUMNS], header=True)
    for index, (field, _, width) in enumerate(XLSX_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    r = 1
    for row in report.rows():
        r += 1
        values = xlsx_values(row)
        _put(ws, r, [int(values[f]) if f == "cycle" and values[f] else values[f] for f in fields])
        for index, field in enumerate(fields, start=1):
            ws.cell(row=r, column=index).alignment = WRAP if field in WRAPPED else TOP
        if tick:
            tick(1)
    ws.freeze_panes = "C2"  # header row and the group/paragraph columns stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{max(r, 2)}"
    _print_setup(ws, landscape=True, fit_width=False, title_rows="1:1")


def _sources_sheet(ws: Worksheet, report: Report) -> None:
    _, header, rows = texts.sources_table(report)
    _put(ws, 1, header, header=True)
    for r, values in enumerate(rows, start=2):
        _put(ws, r, values)
    for col, width in zip("ABCDEF", (18, 50, 12, 50, 66, 20), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    _print_setup(ws, landscape=True, fit_width=True, title_rows="1:1")


def render(report: Report, tick: Tick | None = None) -> bytes:
    wb = Workbook()
    _summary_sheet(wb.active, report)
    _data_sheet(wb.create_sheet("Recommendations"), report, tick)
    _sources_sheet(wb.create_sheet("Sources"), report)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
