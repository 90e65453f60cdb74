"""A report row from the one recommendation read model (service/recommendations/detail.py).

The evidence in force on each axis is picked here with the same precedence the importer applies
(service/ingest/positions.in_force, service/ingest/assessments.latest_implementation), so the
citation a report prints is the event that set the value it shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from scrapers import countries
from scrapers.records import Position
from service.ingest.positions import source_rank
from service.models import Axis
from service.public_urls import public_document_url
from service.reports import grouping
from service.reports.model import Recurrence, ReportRow, StateRef, StatusSource


def event_rank(axis: str, event: Mapping[str, Any]) -> tuple:
    """Positions: answers beat pending, then source rank, then date; implementation: the latest
    date, then the latest row."""
    if axis == Axis.POSITION:
        return (event["new"] != Position.PENDING, source_rank(event["source_kind"]),
                event["effective_on"] or date.min, event["id"] or 0)
    return (event["effective_on"] or date.min, event["id"] or 0)


def in_force(events: Iterable[Mapping[str, Any]], axis: str) -> Mapping[str, Any] | None:
    """The event of `axis` whose value is in force, or None when there is none."""
    candidates = [e for e in events if e["axis"] == axis]
    return max(candidates, key=lambda e: event_rank(axis, e)) if candidates else None


def status_source(event: Mapping[str, Any], *, document_id: int | None, symbol: str | None,
                  language: str | None, mechanism: str | None) -> StatusSource:
    """The citation of an event; the URL is the public address, never a server path."""
    return StatusSource(
        value=event["new"], effective_on=event["effective_on"], evidence=event["evidence"],
        url=public_document_url(event["evidence_url"], symbol=symbol, language=language, mechanism=mechanism),
        document_id=document_id, document_symbol=symbol, wording=event["wording"],
        recorded_by=event["recorded_by"], note=event["note"])


def _cited(event: Mapping[str, Any] | None) -> StatusSource | None:
    if event is None:
        return None
    doc = event["document"] or {}
    return status_source(event, document_id=doc.get("id"), symbol=doc.get("symbol"),
                         language=doc.get("language"), mechanism=doc.get("mechanism"))


def _state(detail: Mapping[str, Any]) -> StateRef:
    code = detail["state"]
    info = countries.state_by_iso3(code) if len(code) == 3 else None
    return StateRef(code=code, name=info.name if info else detail["name"])


def report_row(rec: Mapping[str, Any], *, mixed: bool, include_sample: bool) -> ReportRow:
    """One table row of a report from one recommendation's detail (`details()`, with its extras)."""
    tags: dict[str, list[str]] = {}
    for theme in sorted(rec["themes"], key=lambda t: t["attached"]):  # the primary theme first
        tags.setdefault(theme["kind"], []).append(theme["name"])
    related = [r for r in rec["related"] if include_sample or not r["is_sample"]]
    related.sort(key=lambda r: (r["cycle"] or 0, -r["similarity"], r["id"]))
    return ReportRow(
        id=rec["id"], key=rec["key"], mechanism=rec["mechanism"], cycle=rec["cycle"], paragraph=rec["paragraph"],
        ref=grouping.reference(rec["mechanism"], rec["cycle"], rec["paragraph"], mixed=mixed), text=rec["text"],
        recommending_states=[_state(s) for s in rec["recommending_state_details"]],
        position=rec["position"], position_source=_cited(in_force(rec["history"], Axis.POSITION)),
        implementation=rec["implementation"],
        implementation_source=_cited(in_force(rec["history"], Axis.IMPLEMENTATION)),
        status=rec["status"], themes=tags.get("theme", []), sdgs=tags.get("sdg", []),
        affected=tags.get("affected", []),
        recurrences=[Recurrence(r["id"], r["cycle"], r["paragraph"], r["position"], r["implementation"],
                                round(r["similarity"], 3)) for r in related])
