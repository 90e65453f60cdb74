"""A fake UPR Info (Uwazi) API over real HTTP on 127.0.0.1, following SOURCES.md §1: templates,
thesauri, search with filters, paging, the 10,000 count cap and the silent-empty trap."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upr_info"
TEMPLATES = json.loads((FIXTURES / "templates.json").read_text())
THESAURI = json.loads((FIXTURES / "thesauris.json").read_text())
REC_T, STATE_T = "5d8ce04361cde0408222e9a8", "5d8cdec361cde0408222d3ec"
RESPONSE = {t["label"]: t["id"] for t in THESAURI["rows"][0]["values"]}
SESSION = {t["label"]: t["id"] for t in THESAURI["rows"][2]["values"]}
STATES = {
    "AZE": ("st-aze", "Azerbaijan"),
    "SVN": ("st-svn", "Slovenia"),
    "NOR": ("st-nor", "Norway"),
    "KEN": ("st-ken", "Kenya"),
}


def entity(n: int, state: str, session: str, response: str | None = "Supported") -> dict[str, Any]:
    sid, name = STATES[state]
    metadata: dict[str, Any] = {
        "recommendation": [{"value": f"Recommendation {n} to {name}"}],
        "state_under_review": [{"value": sid, "label": name}],
        "recommending_state": [{"value": "st-nor", "label": "Norway"}],
        "session": [{"value": SESSION[session], "label": session}],
        "issues": [{"value": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e05", "label": "Right to life"}],
    }
    if response:
        metadata["response"] = [
            {
                "value": RESPONSE.get(response, "00000000-0000-4000-8000-000000000000"),
                "label": response,
            }
        ]
    return {
        "_id": f"id{n}",
        "sharedId": f"rec{n:04d}",
        "language": "en",
        "title": f"Rec {n}",
        "template": REC_T,
        "published": True,
        "creationDate": 1_600_000_000_000 + n * 1000,
        "editDate": 1_700_000_000_000,
        "metadata": metadata,
    }


@dataclass
class FakeUwazi:
    """Answers /api/templates, /api/thesauris and /api/search like the reported Uwazi API."""

    recommendations: list[dict[str, Any]]
    cap: int = 10_000  # count window: at or above it, totalRows is capped with relation "gte"
    blind: set[str] = field(default_factory=set)  # filter values answered with 0 rows (stale ids)
    ignore_filters: bool = False
    templates: dict[str, Any] = field(default_factory=lambda: TEMPLATES)
    overrides: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    filtered_answer: Any = None  # replaces every filtered /api/search answer (shape errors)
    requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = field(default_factory=list)

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        if path in self.overrides:
            return self.overrides[path]
        if path == "/api/templates":
            return 200, self.templates
        if path == "/api/thesauris":
            return 200, THESAURI
        if path != "/api/search":
            return 404, {"error": "not found"}
        types = json.loads(query["types"][0])
        filters = json.loads(query["filters"][0]) if "filters" in query else {}
        if filters and self.filtered_answer is not None:
            return 200, self.filtered_answer
        pool = self._pool(types, filters)
        start, limit = int(query["from"][0]), int(query["limit"][0])
        assert query["sort"] == ["creationDate"]
        pool.sort(key=lambda e: e.get("creationDate", 0))
        body: dict[str, Any] = {"rows": pool[start : start + limit]}
        unfiltered = types == [REC_T] and not filters
        if unfiltered:  # all ~264,000 recommendations: always beyond the window
            body["totalRows"], body["relation"] = 10_000, "gte"
        else:
            body["totalRows"] = min(len(pool), self.cap)
            if len(pool) >= self.cap:
                body["relation"] = "gte"
        if unfiltered:
            body["aggregations"] = {"all": {"state_under_review": {"buckets": self._buckets()}}}
        return 200, body

    def _pool(self, types: list[str], filters: dict[str, Any]) -> list[dict[str, Any]]:
        if types == [STATE_T]:
            return [
                {
                    "sharedId": sid,
                    "title": name,
                    "template": STATE_T,
                    "icon": {"_id": iso3, "type": "Icons"},
                    "metadata": {},
                }
                for iso3, (sid, name) in STATES.items()
            ]
        pool = list(self.recommendations)
        wanted = [v for spec in filters.values() for v in spec["values"]]
        if any(v in self.blind for v in wanted):
            return []
        if self.ignore_filters:
            return pool
        for prop, spec in filters.items():
            pool = [
                e
                for e in pool
                if any(v["value"] in spec["values"] for v in e["metadata"].get(prop, []))
            ]
        return pool

    def _buckets(self) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for e in self.recommendations:
            sid = e["metadata"]["state_under_review"][0]["value"]
            counts[sid] = counts.get(sid, 0) + 1
        return [
            {"key": k, "label": k, "doc_count": v, "filtered": {"doc_count": v}}
            for k, v in counts.items()
        ]


def start_fake_uwazi(fake: FakeUwazi) -> ThreadingHTTPServer:
    """Serve `fake` in a thread; the caller shuts the server down."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            fake.requests.append((parts.path, query, dict(self.headers)))
            status, body = fake.answer(parts.path, query)
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server
