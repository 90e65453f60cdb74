"""The body of a webhook: the Standard Webhooks envelope `{type, timestamp, data}`.

`data` is the change event's payload plus its `event_id` and absolute links, so a receiver can
act on it alone. Bodies stay under 20 KB (some receivers and proxies refuse more): long texts
are cut with a marker and `data.truncated` is set.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

MAX_BODY_BYTES = 20 * 1024
TRUNCATION_MARKER = " … [truncated]"
_CUT_LENGTHS = (4000, 2000, 1000, 500, 200, 80)


def _iso(ts: datetime) -> str:
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).isoformat().replace("+00:00", "Z")


def links(public_base_url: str, recommendation_id: int | None,
          payload: dict[str, Any]) -> dict[str, str]:
    """Absolute API and dashboard links for what the event is about."""
    base = public_base_url.rstrip("/")
    if recommendation_id is not None:
        return {"api": f"{base}/api/v1/recommendations/{recommendation_id}",
                "dashboard": f"{base}/recommendations/{recommendation_id}"}
    doc = payload.get("document")
    if isinstance(doc, dict) and doc.get("id") is not None:
        return {"api": f"{base}/api/v1/documents/{doc['id']}",
                "dashboard": f"{base}/documents/{doc['id']}"}
    return {}


def _cut_strings(value: Any, limit: int) -> Any:
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + TRUNCATION_MARKER
    if isinstance(value, dict):
        return {k: _cut_strings(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut_strings(v, limit) for v in value]
    return value


def _dump(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def build_body(type_: str, created_at: datetime, event_id: str, payload: dict[str, Any], *,
               recommendation_id: int | None, public_base_url: str,
               max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """The exact bytes to sign and send (compact UTF-8 JSON)."""
    data = {**payload, "event_id": event_id,
            "links": links(public_base_url, recommendation_id, payload)}
    envelope = {"type": type_, "timestamp": _iso(created_at), "data": data}
    body = _dump(envelope)
    if len(body) <= max_bytes:
        return body
    for limit in _CUT_LENGTHS:
        cut = _cut_strings(payload, limit)
        envelope["data"] = {**cut, "event_id": event_id, "links": data["links"], "truncated": True}
        body = _dump(envelope)
        if len(body) <= max_bytes:
            return body
    # Pathological payloads (thousands of short fields): keep what identifies the event.
    envelope["data"] = {"event_id": event_id, "links": data["links"], "truncated": True}
    return _dump(envelope)


def ping_body(subscription_id: int, now: datetime) -> bytes:
    """The body of `POST /subscriptions/{id}/ping`: a test event, not a change."""
    return _dump({"type": "ping", "timestamp": _iso(now),
                  "data": {"subscription_id": subscription_id,
                           "message": "recwatch test event: your endpoint is reachable"}})
