"""Form input, checked: the recommendations filter (the API's `RecommendationFilter`, with its
parameter names; the URL is the whole query, so it can be shared) and the editor's assessment.
Bad values become messages next to their field, never a JSON error page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from scrapers.records import Implementation, Mechanism, Position
from service.dashboard.web import safe_href
from service.filters import QUERY_FIELDS, RecommendationFilter, to_state_code
from service.recommendations.repository import SORTS
from service.recommendations.schemas import Status

FIELDS = ("q", "state", "recommending_state", "mechanism", "cycle", "position", "implementation",
          "status", "theme", "sdg", "affected", "sort")
SORT_CHOICES = {"id": "Oldest first", "-id": "Newest first", "-updated_at": "Recently changed",
                "key": "Reference (A–Z)", "state": "State (A–Z)"}
ASSESSABLE = (Implementation.NOT_IMPLEMENTED, Implementation.PARTIALLY_IMPLEMENTED,
              Implementation.IMPLEMENTED)
PAGE_SIZE = 25
DEFAULT_SORT = "id"
assert all(s.lstrip("-") in SORTS for s in SORT_CHOICES)
assert set(FIELDS) - {"sort"} <= set(QUERY_FIELDS), "the form spells the filter as the API does"


@dataclass
class ListQuery:
    """The filter form's values (cleaned), its errors, and what to ask the repository."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    flt: RecommendationFilter = field(default_factory=RecommendationFilter)
    sort: str = DEFAULT_SORT
    cursor: str | None = None

    def url(self, *, cursor: str | None = None) -> str:
        """The canonical address of this query: fields in a fixed order, empty ones left out."""
        pairs = [(k, self.values[k]) for k in FIELDS if self.values.get(k)]
        if cursor:
            pairs.append(("cursor", cursor))
        return "/recommendations" + (f"?{urlencode(pairs)}" if pairs else "")


def _state(value: str, name: str, q: ListQuery) -> str | None:
    code = to_state_code(value)
    if code is None:
        q.errors[name] = f"Unknown state “{value}”: use a name or ISO code such as AZE."
    return code


def _choice(value: str, name: str, allowed: list[str], q: ListQuery) -> str | None:
    if value in allowed:
        return value
    q.errors[name] = f"“{value}” is not one of the choices."
    return None


def parse_list_query(params: Mapping[str, str]) -> ListQuery:
    """Read the filter from query parameters; invalid fields are dropped with a message."""
    q = ListQuery()
    raw = {k: (params.get(k) or "").strip() for k in FIELDS}
    q.cursor = (params.get("cursor") or "").strip()[:500] or None
    flt = q.flt
    if raw["state"] and (code := _state(raw["state"], "state", q)):
        flt.state = q.values["state"] = code
    if raw["recommending_state"] and (code := _state(raw["recommending_state"], "recommending_state", q)):
        flt.recommending_state = q.values["recommending_state"] = code
    for name, enum in (("mechanism", Mechanism), ("position", Position),
                       ("implementation", Implementation), ("status", Status)):
        if raw[name] and (value := _choice(raw[name], name, [e.value for e in enum], q)):
            q.values[name] = value
            setattr(flt, name, Status(value) if name == "status" else value)
    if raw["cycle"]:
        if raw["cycle"].isdigit() and 1 <= int(raw["cycle"]) <= 20:
            flt.cycle = int(raw["cycle"])
            q.values["cycle"] = str(flt.cycle)
        else:
            q.errors["cycle"] = "A cycle is a number from 1 to 20."
    for name, limit in (("q", 200), ("theme", 300), ("sdg", 300), ("affected", 300)):
        if raw[name]:
            if len(raw[name]) > limit:
                q.errors[name] = f"At most {limit} characters."
            else:
                setattr(flt, name, raw[name])
                q.values[name] = raw[name]
    if raw["sort"]:
        if raw["sort"] in SORT_CHOICES:
            q.sort = raw["sort"]
            if q.sort != DEFAULT_SORT:  # the default stays out of the address
                q.values["sort"] = q.sort
        else:
            q.errors["sort"] = "Unknown sort order."
    return q


@dataclass
class AssessmentForm:
    implementation: str = ""
    effective_on: str = ""
    evidence_url: str = ""
    evidence_document_id: str = ""
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def parse_assessment(form: Mapping[str, str], allowed_documents: set[int], today: date) -> AssessmentForm:
    """The editor's assessment, with a message for every field that is wrong."""
    f = AssessmentForm(**{k: str(form.get(k) or "").strip() for k in
                          ("implementation", "effective_on", "evidence_url", "evidence_document_id", "note")})
    if f.implementation not in [i.value for i in ASSESSABLE]:
        f.errors["implementation"] = "Choose what was implemented."
    try:
        when = date.fromisoformat(f.effective_on)
        if when > today:
            f.errors["effective_on"] = "The date cannot be in the future."
    except ValueError:
        f.errors["effective_on"] = "Give the date as YYYY-MM-DD."
    if f.evidence_url and (safe_href(f.evidence_url) is None or f.evidence_url.startswith("/")
                           or len(f.evidence_url) > 2000):
        f.errors["evidence_url"] = "Give a full http:// or https:// address."
    if f.evidence_document_id and (not f.evidence_document_id.isdigit()
                                   or int(f.evidence_document_id) not in allowed_documents):
        f.errors["evidence_document_id"] = "Choose one of the listed documents."
    if not f.evidence_url and not f.evidence_document_id and "evidence_url" not in f.errors:
        f.errors["evidence_url"] = "An assessment needs evidence: a link or a document."
    if len(f.note) > 5000:
        f.errors["note"] = "At most 5000 characters."
    return f
