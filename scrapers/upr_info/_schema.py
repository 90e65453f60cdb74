"""Templates and thesauri of UPR Info, read at the start of every run (SOURCES.md §1.1).

Template ids are resolved by template NAME and thesaurus value ids by LABEL, never hard-coded:
a stale id makes /api/search answer 200 with ``totalRows: 0`` (the silent-empty trap).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scrapers.errors import LayoutChanged
from scrapers.upr_info._records import UnexpectedShape

__all__ = ["Property", "Schema", "Thesaurus", "read_schema"]

RECOMMENDATION_NAMES = ("recommendation", "recommendations")
STATE_NAMES = ("state", "states", "country", "countries")
REQUIRED = ("state_under_review", "session", "response")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    content: str | None  # thesaurus id (select) or template id (relationship)


@dataclass
class Thesaurus:
    id: str
    name: str
    values: dict[str, str]  # label -> value id


@dataclass
class Schema:
    recommendation_template: str
    state_template: str
    properties: dict[str, Property]
    thesauri: dict[str, Thesaurus]  # by thesaurus id
    warnings: list[str] = field(default_factory=list)

    def thesaurus_of(self, prop: str) -> Thesaurus:
        """The thesaurus behind a select property; LayoutChanged when it is not one."""
        found = self.properties.get(prop)
        thesaurus = self.thesauri.get(found.content or "") if found else None
        if thesaurus is None:
            raise LayoutChanged(
                f"UPR Info: property {prop!r} has no thesaurus in /api/thesauris (property {found})"
            )
        return thesaurus


def read_schema(templates: Any, thesauri: Any) -> Schema:
    """Resolve the recommendation and State templates by name and index every thesaurus."""
    rows = _rows(templates, "/api/templates")
    recommendation = _template(rows, RECOMMENDATION_NAMES)
    state = _template(rows, STATE_NAMES)
    properties = {}
    for prop in recommendation.get("properties") or []:
        if isinstance(prop, dict) and prop.get("name"):
            properties[prop["name"]] = Property(
                prop["name"], str(prop.get("type")), prop.get("content")
            )
    missing = [name for name in REQUIRED if name not in properties]
    if missing:
        raise LayoutChanged(
            f"UPR Info: recommendation template lacks properties {missing} "
            f"(has {sorted(properties)})"
        )
    schema = Schema(str(recommendation["_id"]), str(state["_id"]), properties, {})
    for row in _rows(thesauri, "/api/thesauris"):
        if isinstance(row, dict) and row.get("_id"):
            labels = _labels(row.get("values") or [], schema.warnings, str(row.get("name")))
            schema.thesauri[str(row["_id"])] = Thesaurus(
                str(row["_id"]), str(row.get("name")), labels
            )
    return schema


def _rows(payload: Any, what: str) -> list[Any]:
    if not isinstance(payload, dict) or not isinstance(payload.get("rows"), list):
        raise UnexpectedShape(f"{what}.rows", 'expected {"rows": [...]}')
    return payload["rows"]


def _template(rows: list[Any], names: tuple[str, ...]) -> dict[str, Any]:
    for row in rows:
        if (
            isinstance(row, dict)
            and str(row.get("name", "")).strip().lower() in names
            and row.get("_id")
        ):
            return row
    seen = [row.get("name") for row in rows if isinstance(row, dict)]
    raise LayoutChanged(f"UPR Info: no {names[0]!r} template in /api/templates (templates: {seen})")


def _labels(items: list[Any], warnings: list[str], thesaurus: str) -> dict[str, str]:
    """label -> id, groups flattened; ids that are not full 36-character UUIDs are reported."""
    out: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("values"), list):
            out.update(_labels(item["values"], warnings, thesaurus))
        label, value = item.get("label"), item.get("id")
        if label is None or value is None:
            continue
        if not _UUID.match(str(value)):
            warnings.append(
                f"thesaurus {thesaurus!r}: value {label!r} has id {value!r}, "
                "not a 36-character UUID"
            )
        out[str(label)] = str(value)
    return out
