"""Client of the UPR Info database (Uwazi JSON API, SOURCES.md §1) and reader of its JSON exports.

A run reads /api/templates and /api/thesauris (ids resolved by name and label, never hard-coded),
runs the canary (recommendation template, no filter: >= 10,000 rows), then harvests one partition
per State under review, paging ``from``/``limit`` sorted by ``creationDate``. A partition whose
count reads 10,000 (``relation: "gte"``) is the search cap: it is split by session, and a session
still at the cap is an error, never a silent truncation. Every request sends ``Accept-Language:
en`` and the cookie ``locale=en``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from scrapers.countries import to_iso3
from scrapers.errors import EmptyScrape, LayoutChanged, ScrapeError, SourceUnavailable
from scrapers.http import PoliteClient
from scrapers.upr_info._records import (
    DEFAULT_BASE,
    UnexpectedShape,
    UprInfoExport,
    UprInfoRecommendation,
    entity_url,
    parse_entity,
    parse_export,
    values,
)
from scrapers.upr_info._schema import Schema, read_schema

__all__ = [
    "CAP",
    "DEFAULT_BASE",
    "HarvestResult",
    "PartitionCapped",
    "PartitionReport",
    "UnexpectedShape",
    "UprInfoClient",
    "UprInfoExport",
    "UprInfoRecommendation",
    "entity_url",
    "parse_entity",
    "parse_export",
    "values",
]

CAP = 10_000  # the search backend's counting window
LANGUAGE_HEADERS = {"Accept-Language": "en", "Cookie": "locale=en", "Accept": "application/json"}
PageHook = Callable[[str, dict[str, str], bytes], None]


class PartitionCapped(ScrapeError):
    """A partition still reads the 10,000 cap after splitting by session: results would be cut."""


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    capped: bool
    aggregations: dict[str, Any]


@dataclass
class PartitionReport:
    state: str
    session: str | None
    total_rows: int
    fetched: int


@dataclass
class HarvestResult:
    records: list[UprInfoRecommendation] = field(default_factory=list)
    partitions: list[PartitionReport] = field(default_factory=list)
    unknown_responses: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    canary_total: int | None = None


class UprInfoClient:
    """Reads UPR Info politely through a PoliteClient; raises ScrapeError subclasses only."""

    def __init__(
        self,
        client: PoliteClient,
        base_url: str = DEFAULT_BASE,
        *,
        page_size: int = 100,
        on_page: PageHook | None = None,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.on_page = on_page  # raw-store hook: (url, params, body) of every answer

    # --- public steps -------------------------------------------------------------------------

    def load_schema(self) -> Schema:
        """Templates and thesauri as they are today (read at the start of every run)."""
        return read_schema(
            self._get_json("/api/templates", {}), self._get_json("/api/thesauris", {})
        )

    def canary(self, schema: Schema) -> Page:
        """Recommendation template, no filter: >= 10,000 rows and a non-empty page, else broken."""
        page = self._search(schema.recommendation_template, None, 0, limit=1)
        if page.total < CAP or not page.rows:
            raise EmptyScrape(
                f"UPR Info canary: totalRows {page.total}, {len(page.rows)} row(s) for all "
                f"recommendations (expected >= {CAP}): source broken or ids stale",
                url=f"{self.base_url}/api/search",
            )
        return page

    def harvest(self, states: Iterable[str], *, expect_nonempty: bool = False) -> HarvestResult:
        """Canary, then every State's recommendations. ``expect_nonempty``: a State known to have
        recommendations; 0 rows for it is the silent-empty trap (EmptyScrape), not "no news"."""
        schema = self.load_schema()
        canary = self.canary(schema)
        result = HarvestResult(canary_total=canary.total, warnings=list(schema.warnings))
        filter_values = self.state_filter_values(schema)
        known = _bucket_counts(canary.aggregations, "state_under_review")
        for state in states:
            iso3 = to_iso3(state)
            if iso3 is None or iso3 not in filter_values:
                raise LayoutChanged(f"UPR Info: no State entity or value for {state!r}")
            value = filter_values[iso3]
            expected = known.get(value, 0)
            self._harvest_state(schema, iso3, value, expect_nonempty or expected > 0, result)
        return result

    def harvest_state(self, state: str, *, expect_nonempty: bool = False) -> HarvestResult:
        return self.harvest([state], expect_nonempty=expect_nonempty)

    def state_filter_values(self, schema: Schema) -> dict[str, str]:
        """ISO3 -> the value that filters ``state_under_review``: the State entity's sharedId for a
        relationship property, the thesaurus value id for a select ([unverified]: both handled)."""
        prop = schema.properties["state_under_review"]
        if prop.type in ("select", "multiselect"):
            labels = schema.thesaurus_of("state_under_review").values
            return {code: value for label, value in labels.items() if (code := to_iso3(label))}
        out: dict[str, str] = {}
        for entity in self._all_rows(prop.content or schema.state_template, None, "State entities"):
            code = _entity_iso3(entity)
            if code and isinstance(entity.get("sharedId"), str):
                out.setdefault(code, entity["sharedId"])
        if not out:
            raise EmptyScrape(
                "UPR Info: no State entities found to filter by", url=f"{self.base_url}/api/search"
            )
        return out

    # --- partitions ---------------------------------------------------------------------------

    def _harvest_state(
        self, schema: Schema, iso3: str, value: str, expect: bool, result: HarvestResult
    ) -> None:
        filters = {"state_under_review": {"values": [value]}}
        first = self._search(schema.recommendation_template, filters, 0)
        if first.total == 0 and expect:
            raise EmptyScrape(
                f"UPR Info: totalRows 0 for {iso3}, which is known to have recommendations "
                "(stale filter value?)",
                url=f"{self.base_url}/api/search",
            )
        if first.capped:
            result.warnings.append(
                f"{iso3}: {first.total} rows reads as the {CAP} cap: split by session"
            )
            for label, session in schema.thesaurus_of("session").values.items():
                self._partition(
                    schema,
                    iso3,
                    value,
                    {**filters, "session": {"values": [session]}},
                    label,
                    result,
                )
            return
        self._partition(schema, iso3, value, filters, None, result, first=first)

    def _partition(
        self,
        schema: Schema,
        iso3: str,
        value: str,
        filters: dict[str, Any],
        session: str | None,
        result: HarvestResult,
        first: Page | None = None,
    ) -> None:
        page = first or self._search(schema.recommendation_template, filters, 0)
        if page.capped:
            raise PartitionCapped(
                f"UPR Info: {iso3} session {session!r} still reads {page.total} rows "
                f"(cap {CAP}): results would be truncated",
                url=f"{self.base_url}/api/search",
            )
        rows = self._pages(schema.recommendation_template, filters, page)
        seen = {r.shared_id for r in result.records}
        for row in rows:
            record = parse_entity(row, base_url=self.base_url, url=f"{self.base_url}/api/search")
            if record.state_under_review_id not in (None, value):
                raise LayoutChanged(
                    f"UPR Info ignored the state_under_review filter: {record.shared_id} is "
                    f"{record.state_under_review_label!r}, asked for {iso3}"
                )
            if record.response_label and record.position is None:
                result.unknown_responses[record.response_label] += 1
            if record.shared_id not in seen:
                seen.add(record.shared_id)
                result.records.append(record)
        result.partitions.append(PartitionReport(iso3, session, page.total, len(rows)))
        if len(rows) != page.total:
            result.warnings.append(
                f"{iso3}{f' {session}' if session else ''}: fetched {len(rows)} of "
                f"totalRows {page.total} (records changed during the run?)"
            )

    def _pages(self, template: str, filters: dict[str, Any] | None, first: Page) -> list[Any]:
        """All rows of a partition: from/limit pages until an empty page or from >= totalRows."""
        rows = list(first.rows)
        while rows and len(rows) < first.total:
            page = self._search(template, filters, len(rows))
            if not page.rows:
                break
            rows.extend(page.rows)
        return rows

    def _all_rows(self, template: str, filters: dict[str, Any] | None, what: str) -> list[Any]:
        first = self._search(template, filters, 0)
        if first.capped:
            raise PartitionCapped(f"UPR Info: {what} read {first.total} rows (cap {CAP})")
        return self._pages(template, filters, first)

    # --- HTTP and envelopes -------------------------------------------------------------------

    def _search(
        self,
        template: str,
        filters: dict[str, Any] | None,
        offset: int,
        *,
        limit: int | None = None,
    ) -> Page:
        params = {
            "types": json.dumps([template]),
            "limit": str(limit or self.page_size),
            "from": str(offset),
            "sort": "creationDate",
            "order": "asc",
        }
        if filters:
            params["filters"] = json.dumps(filters, sort_keys=True)
        payload = self._get_json("/api/search", params)
        if not isinstance(payload, dict):
            raise UnexpectedShape(
                "/api/search", f"expected an object, got {type(payload).__name__}"
            )
        rows, total = payload.get("rows"), payload.get("totalRows")
        if not isinstance(rows, list):
            raise UnexpectedShape(
                "rows", f"missing or not a list in /api/search answer: {type(rows).__name__}"
            )
        if isinstance(total, dict):  # {"value": n, "relation": "gte"} in some search backends
            total, relation = total.get("value"), total.get("relation")
        else:
            relation = payload.get("relation")
        if isinstance(total, bool) or not isinstance(total, int):
            raise UnexpectedShape(
                "totalRows", f"missing or not a number in /api/search answer: {total!r}"
            )
        aggregations = (
            payload.get("aggregations") if isinstance(payload.get("aggregations"), dict) else {}
        )
        return Page(rows, total, total >= CAP or relation == "gte", aggregations)

    def _get_json(self, path: str, params: dict[str, str]) -> Any:
        url = f"{self.base_url}{path}"
        response = self.client.get(url, headers=dict(LANGUAGE_HEADERS), params=params or None)
        if self.on_page is not None:
            self.on_page(url, params, response.content)
        if response.status_code == 404:
            raise LayoutChanged(f"UPR Info answered 404 for {path}: endpoint moved?", url=url)
        if response.status_code != 200:
            raise SourceUnavailable(
                f"UPR Info answered HTTP {response.status_code} for {path}", url=url
            )
        try:
            return response.json()
        except ValueError as exc:
            kind = response.headers.get("content-type", "?")
            raise LayoutChanged(f"UPR Info {path}: expected JSON, got {kind}", url=url) from exc


def _bucket_counts(aggregations: dict[str, Any], prop: str) -> dict[str, int]:
    """value -> count from ``aggregations.all.<prop>.buckets`` when the answer carries them."""
    buckets = (((aggregations.get("all") or {}).get(prop) or {}).get("buckets")) or []
    out: dict[str, int] = {}
    for bucket in buckets if isinstance(buckets, list) else []:
        if isinstance(bucket, dict) and isinstance(bucket.get("key"), str):
            count = (bucket.get("filtered") or {}).get("doc_count", bucket.get("doc_count"))
            if isinstance(count, int):
                out[bucket["key"]] = count
    return out


def _entity_iso3(entity: Any) -> str | None:
    """ISO3 of a State entity: its title, cross-checked with ``icon._id`` ([reported] ISO3)."""
    if not isinstance(entity, dict):
        return None
    by_title = to_iso3(str(entity.get("title") or ""))
    icon = entity.get("icon") if isinstance(entity.get("icon"), dict) else {}
    by_icon = to_iso3(str(icon.get("_id") or "").upper()) if icon.get("_id") else None
    return by_title or by_icon
