"""The report as JSON: the same content as the documents, machine-readable, every recommendation
once (inside its group), with the full evidence of its position and implementation."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import Any

from service.reports.model import Report, ReportRow, Tick

MEDIA_TYPE = "application/json"
EXTENSION = "json"


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def row_json(row: ReportRow) -> dict[str, Any]:
    data = dataclasses.asdict(row)
    data["recurring"] = row.recurrence_text
    data["other_themes"] = row.other_themes
    data["your_assessment"] = None
    return data


def as_dict(report: Report, tick: Tick | None = None) -> dict[str, Any]:
    groups = []
    for group in report.groups:
        groups.append({"title": group.title, "recommendations": [row_json(r) for r in group.rows]})
        if tick:
            tick(len(group.rows))
    return {
        "report": {"title": report.title, "state": report.scope.state, "state_name": report.state_name,
                   "scope": dataclasses.asdict(report.scope), "generated_at": report.generated_at,
                   "data_as_of": report.data_as_of, "is_sample": report.is_sample},
        "summary": dataclasses.asdict(report.summary),
        "groups": groups,
        "sources": [dataclasses.asdict(s) for s in report.sources],
        "freshness": [dataclasses.asdict(f) for f in report.freshness],
    }


def render(report: Report, tick: Tick | None = None) -> bytes:
    return json.dumps(as_dict(report, tick), default=_default, ensure_ascii=False,
                      indent=1).encode("utf-8")
