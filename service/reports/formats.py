"""The report formats by name: renderer, media type and file extension, for routes and the CLI."""

from __future__ import annotations

from enum import StrEnum
from types import ModuleType

from service.reports import csv_report, docx, html_report, json_report, xlsx
from service.reports.model import Report, Tick


class ReportFormat(StrEnum):
    DOCX = "docx"
    XLSX = "xlsx"
    CSV = "csv"
    HTML = "html"
    JSON = "json"


MODULES: dict[ReportFormat, ModuleType] = {
    ReportFormat.DOCX: docx, ReportFormat.XLSX: xlsx, ReportFormat.CSV: csv_report,
    ReportFormat.HTML: html_report, ReportFormat.JSON: json_report,
}


def render(report: Report, fmt: ReportFormat, tick: Tick | None = None) -> bytes:
    return MODULES[fmt].render(report, tick)


def media_type(fmt: ReportFormat) -> str:
    return MODULES[fmt].MEDIA_TYPE


def file_name(report: Report, fmt: ReportFormat) -> str:
    return report.file_name(MODULES[fmt].EXTENSION)
