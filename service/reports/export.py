"""Bulk export for researchers: every recommendation matching the `/recommendations` filters, as
CSV or JSON Lines, streamed with constant memory and no row cap.

Rows are read in keyset batches of `BATCH` ids (`repository.list_page` sorted by id), each in its
own short session; recommending states, themes, status evidence and source documents are fetched
per batch with one `IN (...)` query each (a flat shape of its own: the reports' detail model would
read conflicts, links and related rows no export column shows). Memory therefore depends on the batch size, never on
the size of the export. Keyset paging also means rows written while an export runs are neither
skipped nor repeated.

CSV: one row per recommendation, lists joined with "; ", UTF-8 *without* a BOM (programs read
it; the BOM would end up in the first column's name), text cells neutralised against formula
injection like the report CSV. JSON Lines carries exact values and real lists.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import Session

from service.filters import RecommendationFilter
from service.models import (
    Axis,
    Document,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    StatusEvent,
    Theme,
)
from service.public_urls import public_document_url
from service.recommendations import repository as repo
from service.recommendations.schemas import derive_status
from service.reports.cells import neutralise
from service.reports.model import StatusSource
from service.reports.rows import event_rank, status_source

BATCH = 2000


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


MEDIA_TYPES = {ExportFormat.CSV: "text/csv; charset=utf-8",
               ExportFormat.JSONL: "application/x-ndjson"}

FIELDS = ["id", "key", "mechanism", "state", "cycle", "paragraph", "text", "recommending_states",
          "position", "position_evidence", "position_date", "position_url", "implementation",
          "implementation_evidence", "implementation_date", "implementation_url", "status", "themes",
          "sdgs", "affected_persons", "source_document", "source_url", "review_id", "is_sample",
          "updated_at"]
LIST_FIELDS = {"recommending_states", "themes", "sdgs", "affected_persons"}


def make_filter(*, include_sample: bool = False, **filters: Any) -> RecommendationFilter:
    """The `/recommendations` filter for an export (the CLI's): sample data stays out unless
    asked for, or unless the export is of the sample state itself. Unknown states are a 422."""
    return RecommendationFilter.parse(include_sample=include_sample or None, sample_default=False,
                                      **filters)


def _evidence(source: StatusSource | None) -> tuple[str | None, date | None, str | None]:
    if source is None:
        return None, None, None
    return source.evidence or source.document_symbol, source.effective_on, source.url


def recommending_states(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Codes only, as plain rows: ORM objects would cost more than the rest of the batch."""
    out: dict[int, list[str]] = defaultdict(list)
    stmt = (select(RecommendingState.recommendation_id, RecommendingState.state)
            .where(RecommendingState.recommendation_id.in_(ids))
            .order_by(RecommendingState.recommendation_id, RecommendingState.position))
    for rec_id, code in session.execute(stmt):
        out[rec_id].append(code)
    return out


_EVENT_COLUMNS = (StatusEvent.id, StatusEvent.recommendation_id, StatusEvent.axis, StatusEvent.new,
                  StatusEvent.effective_on, StatusEvent.evidence, StatusEvent.evidence_url,
                  StatusEvent.document_id, StatusEvent.wording, StatusEvent.recorded_by,
                  StatusEvent.source_kind, StatusEvent.note, Document.symbol,
                  Document.mechanism.label("doc_mechanism"), Document.language.label("doc_language"))


def status_sources(session: Session, ids: list[int]) -> tuple[dict[int, StatusSource], dict[int, StatusSource]]:
    """The position and implementation events in force for each id, with their evidence, picked
    as the reports pick them (service/reports/rows.py) but from plain rows: one query a batch."""
    best: dict[tuple[int, str], tuple[tuple, Any]] = {}
    stmt = (select(*_EVENT_COLUMNS).outerjoin(Document, Document.id == StatusEvent.document_id)
            .where(StatusEvent.recommendation_id.in_(ids)))
    for event in session.execute(stmt):
        event_ = event._mapping
        rank, slot = event_rank(event.axis, event_), (event.recommendation_id, event.axis)
        if slot not in best or rank > best[slot][0]:
            best[slot] = (rank, event_)
    out: dict[str, dict[int, StatusSource]] = {Axis.POSITION: {}, Axis.IMPLEMENTATION: {}}
    for (rec_id, axis), (_, e) in best.items():
        out[axis][rec_id] = status_source(e, document_id=e["document_id"], symbol=e["symbol"],
                                          language=e["doc_language"], mechanism=e["doc_mechanism"])
    return out[Axis.POSITION], out[Axis.IMPLEMENTATION]


def tags(session: Session, ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Themes, SDGs and affected persons per id, in the order sources attached them."""
    out: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    stmt = (select(RecommendationTheme.recommendation_id, Theme.kind, Theme.name)
            .join(Theme, Theme.id == RecommendationTheme.theme_id)
            .where(RecommendationTheme.recommendation_id.in_(ids))
            .order_by(RecommendationTheme.recommendation_id, RecommendationTheme.id))
    for rec_id, kind, name in session.execute(stmt):
        out[rec_id][kind].append(name)
    return out


def _records(session: Session, recs: list[Recommendation]) -> list[dict[str, Any]]:
    """Export records of one batch: four extra queries whatever the batch size."""
    ids = [r.id for r in recs]
    states = recommending_states(session, ids)
    themes = tags(session, ids)
    positions, implementations = status_sources(session, ids)
    doc_ids = sorted({r.source_document_id for r in recs if r.source_document_id})
    docs = {d.id: (d.symbol, public_document_url(d.url, symbol=d.symbol, language=d.language,
                                                  mechanism=d.mechanism))
            for d in session.execute(select(Document.id, Document.symbol, Document.url, Document.language,
                                            Document.mechanism).where(Document.id.in_(doc_ids)))} \
        if doc_ids else {}
    out = []
    for r in recs:
        pos_evidence, pos_date, pos_url = _evidence(positions.get(r.id))
        imp_evidence, imp_date, imp_url = _evidence(implementations.get(r.id))
        symbol, url = docs.get(r.source_document_id, (None, None))
        kinds = themes.get(r.id, {})
        out.append({
            "id": r.id, "key": r.key, "mechanism": r.mechanism, "state": r.state, "cycle": r.cycle,
            "paragraph": r.paragraph, "text": r.text,
            "recommending_states": states.get(r.id, []),
            "position": r.position, "position_evidence": pos_evidence, "position_date": pos_date,
            "position_url": pos_url, "implementation": r.implementation,
            "implementation_evidence": imp_evidence, "implementation_date": imp_date,
            "implementation_url": imp_url, "status": derive_status(r.position, r.implementation).value,
            "themes": kinds.get("theme", []), "sdgs": kinds.get("sdg", []),
            "affected_persons": kinds.get("affected", []), "source_document": symbol, "source_url": url,
            "review_id": r.review_id, "is_sample": r.is_sample, "updated_at": r.updated_at,
        })
    return out


def batches(engine: Engine, flt: RecommendationFilter, *, size: int = BATCH
            ) -> Iterator[list[dict[str, Any]]]:
    """Export records in id order, `size` at a time; each batch in its own short session."""
    cursor: str | None = None
    while True:
        with Session(engine) as session:
            recs, cursor = repo.list_page(session, flt, sort="id", limit=size, cursor=cursor)
            records = _records(session, recs) if recs else []
        if records:
            yield records
        if cursor is None:
            return


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _csv_cell(field: str, value: Any) -> Any:
    if value is None:
        return ""
    if field in LIST_FIELDS:
        value = "; ".join(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value) if isinstance(value, str) else value


def encode(records: list[dict[str, Any]], fmt: ExportFormat) -> bytes:
    if fmt == ExportFormat.JSONL:
        return "".join(json.dumps(r, default=_json_default, ensure_ascii=False) + "\n"
                       for r in records).encode("utf-8")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_csv_cell(f, r[f]) for f in FIELDS] for r in records)
    return buffer.getvalue().encode("utf-8")


def stream(engine: Engine, flt: RecommendationFilter, fmt: ExportFormat, *,
           size: int = BATCH, progress: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """The export as byte chunks, one per batch (plus the CSV header first)."""
    if fmt == ExportFormat.CSV:
        yield encode_header()
    for records in batches(engine, flt, size=size):
        if progress:
            progress(len(records))
        yield encode(records, fmt)


def encode_header() -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerow(FIELDS)
    return buffer.getvalue().encode("utf-8")


def file_name(flt: RecommendationFilter, fmt: ExportFormat, today: date) -> str:
    scope = "-".join(str(part).lower() for part in (flt.state, flt.mechanism, flt.cycle) if part)
    return f"recwatch-{scope + '-' if scope else ''}{today.isoformat()}.{fmt.value}"
