"""The report as CSV: one row per recommendation × recommending state.

Encoded as UTF-8 *with* a byte-order mark: the audience opens it in Excel, which reads a
BOM-less file in the local code page and garbles "Côte d'Ivoire"; Python's csv module, pandas
(`encoding="utf-8-sig"`) and LibreOffice all accept the BOM. Every text cell is neutralised
against formula injection (see cells.py). The bulk export, read by programs, has no BOM.
"""

from __future__ import annotations

import csv
import io

from service.reports.cells import CSV_COLUMNS, csv_values, neutralise
from service.reports.model import Report, Tick

MEDIA_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"


def render(report: Report, tick: Tick | None = None) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows():
        for values in csv_values(row):
            writer.writerow([neutralise(values[c]) for c in CSV_COLUMNS])
        if tick:
            tick(1)
    return out.getvalue().encode("utf-8-sig")
