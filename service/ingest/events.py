"""The one place that writes change events (the outbox), with payloads receivers can use alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from service.ingest import bulk
from service.models import ChangeEvent, Document, Recommendation
from service.models._common import utcnow
from service.models.history import new_event_id


class EventType:
    RECOMMENDATION_CREATED = "recommendation.created"
    POSITION_CHANGED = "recommendation.position_changed"
    IMPLEMENTATION_CHANGED = "recommendation.implementation_changed"
    TEXT_CHANGED = "recommendation.text_changed"
    DOCUMENT_PUBLISHED = "document.published"
    SOURCE_FAILING = "source.failing"
    SOURCE_RECOVERED = "source.recovered"
    SUBSCRIPTION_DISABLED = "subscription.disabled"

    @classmethod
    def all(cls) -> tuple[str, ...]:
        """Every event type, in declaration order."""
        return tuple(v for k, v in vars(cls).items() if k.isupper())


SUMMARY_FIELDS = ("id", "key", "state", "mechanism", "cycle", "paragraph", "text", "position", "implementation")


def recommendation_summary(rec: Recommendation | Mapping[str, Any]) -> dict[str, Any]:
    """What a receiver needs to know about the recommendation, from a row or its column values."""
    get = rec.get if isinstance(rec, Mapping) else (lambda name: getattr(rec, name))
    summary = {name: get(name) for name in SUMMARY_FIELDS}
    summary["api_url"] = f"/api/v1/recommendations/{summary['id']}"
    return summary


def document_summary(doc: Document | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    return {"id": doc.id, "symbol": doc.symbol, "kind": doc.kind, "url": doc.url,
            "published_on": doc.published_on.isoformat() if doc.published_on else None,
            "api_url": f"/api/v1/documents/{doc.id}"}


def emit(session: Session, type_: str, *, payload: dict[str, Any], state: str | None = None,
         mechanism: str | None = None, recommendation_id: int | None = None,
         baseline: bool = False) -> ChangeEvent:
    """Append one change event in the caller's transaction, so it commits with the change."""
    event = ChangeEvent(type=type_, state=state, mechanism=mechanism,
                        recommendation_id=recommendation_id, payload=payload, baseline=baseline)
    session.add(event)
    return event


def emit_recommendation(session: Session, type_: str, rec: Recommendation, *,
                        old: Any = None, new: Any = None, document: Document | None = None,
                        baseline: bool = False) -> ChangeEvent:
    payload: dict[str, Any] = {"recommendation": recommendation_summary(rec),
                               "evidence": document_summary(document)}
    if old is not None or new is not None:
        payload["old"], payload["new"] = old, new
    return emit(session, type_, payload=payload, state=rec.state, mechanism=rec.mechanism,
                recommendation_id=rec.id, baseline=baseline)


def emit_created_many(session: Session, recs: list[Mapping[str, Any]], document: Document | None, *,
                      baseline: bool = False) -> int:
    """`recommendation.created` for many new recommendations in one statement (bulk imports)."""
    if not recs:
        return 0
    now, evidence = utcnow(), document_summary(document)
    bulk.insert_rows(session, ChangeEvent.__table__, [{
        "event_id": new_event_id(), "type": EventType.RECOMMENDATION_CREATED, "state": r["state"],
        "mechanism": r["mechanism"], "recommendation_id": r["id"], "baseline": baseline, "created_at": now,
        "payload": {"recommendation": recommendation_summary(r), "evidence": evidence}} for r in recs])
    return len(recs)


def emit_document(session: Session, doc: Document, *, baseline: bool = False) -> ChangeEvent:
    return emit(session, EventType.DOCUMENT_PUBLISHED, payload={"document": document_summary(doc)},
                state=doc.state, mechanism=doc.mechanism, baseline=baseline)
