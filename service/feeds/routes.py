"""Atom feed of change events, for people who do not run a webhook receiver (RFC 4287).

Entries come from `service.changes.reader`, so the feed never shows an event past one that a
still-running transaction may commit later (it would fall out of the window unseen)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlmodel import Session

from service.changes import reader
from service.config import Settings, get_settings
from service.db import get_session
from service.filters import WITH_SAMPLE, RecommendationFilter
from service.models import ChangeEvent
from service.recommendations import repository as repo

router = APIRouter(tags=["feeds"])
ATOM = "http://www.w3.org/2005/Atom"
TITLES = {
    "recommendation.created": "New recommendation",
    "recommendation.position_changed": "Position changed",
    "recommendation.implementation_changed": "Implementation changed",
    "recommendation.text_changed": "Wording changed",
    "document.published": "New document",
    "source.failing": "Source failing",
    "source.recovered": "Source recovered",
}


def _stamp(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _entry_title(event: ChangeEvent) -> str:
    data = event.payload or {}
    rec = data.get("recommendation") or {}
    label = TITLES.get(event.type, event.type)
    if rec:
        change = f": {data.get('old')} → {data.get('new')}" if "old" in data and event.type.endswith("position_changed") else ""
        return f"{label} — {rec.get('state')} {rec.get('paragraph') or rec.get('key')}{change}"
    doc = data.get("document") or {}
    return f"{label} — {doc.get('symbol') or data.get('source') or ''}".rstrip(" —")


def _entry_link(event: ChangeEvent, base: str) -> str:
    data = event.payload or {}
    if event.recommendation_id:
        return f"{base}/recommendations/{event.recommendation_id}"
    doc = data.get("document") or {}
    if doc.get("id"):
        return f"{base}/api/v1/documents/{doc['id']}"
    return f"{base}/sources"


@router.get("/feeds/changes.atom", summary="Atom feed of change events", response_class=Response)
def changes_feed(session: Annotated[Session, Depends(get_session)],
                 settings: Annotated[Settings, Depends(get_settings)],
                 flt: Annotated[RecommendationFilter, Depends(WITH_SAMPLE)],
                 limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Response:
    """The newest events first, as feed readers expect; the `/recommendations` filters apply."""
    state, mechanism = flt.state, flt.mechanism
    conds = repo.event_conditions(session, flt)
    events = reader.latest(session, conds, limit)
    base = settings.public_base_url.rstrip("/")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    scope = " ".join(str(x) for x in (state, mechanism) if x)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"recwatch changes{' — ' + scope if scope else ''}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base}/feeds/changes.atom?state={state or ''}&mechanism={mechanism or ''}"
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(events[0].created_at if events else datetime.now(UTC))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}/feeds/changes.atom")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "recwatch"
    for event in events:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:uuid:{event.event_id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _entry_title(event)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(event.created_at)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=_entry_link(event, base))
        ET.SubElement(entry, f"{{{ATOM}}}category", term=event.type)
        text = ((event.payload or {}).get("recommendation") or {}).get("text")
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = (text or _entry_title(event))[:1000]
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
