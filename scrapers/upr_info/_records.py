"""UPR Info (Uwazi) entities -> UprInfoRecommendation records (SOURCES.md §1.2).

Every metadata property is a list of ``{value, label}`` (select, relationship) or ``{value}``
(text); a missing property is ``[]``. Labels are kept raw next to what we derive from them: the
response label is mapped only when it is one of the three reported values, never guessed.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from scrapers.countries import to_iso3
from scrapers.errors import EmptyScrape, LayoutChanged, NotADocument
from scrapers.records import Position, text_sha256
from scrapers.text import gunzip
from scrapers.upr_addendum import cycle_for_wg_session

__all__ = [
    "DEFAULT_BASE",
    "RESPONSES",
    "UnexpectedShape",
    "UprInfoExport",
    "UprInfoRecommendation",
    "entity_url",
    "parse_entity",
    "parse_export",
    "values",
]

DEFAULT_BASE = "https://upr-info-database.uwazi.io"
RESPONSES = {
    "supported": Position.SUPPORTED,
    "noted": Position.NOTED,
    "not supported": Position.NOTED,
}
_SESSION = re.compile(r"^(\d{1,6}) - (\w+ \d{4})$")
_CYCLE = re.compile(r"(?:cycle\s*(\d)|(\d)\s*(?:st|nd|rd|th)?\s*cycle)", re.IGNORECASE)
_MIN_MS, _MAX_MS = 1_167_609_600_000, 4_102_444_800_000  # 2007-01-01 .. 2100-01-01


class UnexpectedShape(LayoutChanged):
    """A UPR Info answer lacks a field or has it in another shape; ``field`` names it."""

    def __init__(self, field: str, detail: str, *, url: str | None = None) -> None:
        super().__init__(f"UPR Info: unexpected shape of '{field}': {detail}", url=url)
        self.field = field


class UprInfoRecommendation(BaseModel):
    """One recommendation entity as UPR Info holds it; raw labels kept beside derived values."""

    shared_id: str
    language: str | None = None
    title: str | None = None
    text: str
    state_under_review: str | None = None  # ISO3
    state_under_review_label: str | None = None
    state_under_review_id: str | None = None  # the State entity's sharedId (or thesaurus value)
    recommending_states: list[str] = Field(default_factory=list)  # ISO3 where known, else the label
    recommending_states_raw: list[str] = Field(default_factory=list)
    response_label: str | None = None
    position: Position | None = None  # None for no response yet or an unknown label (see warnings)
    themes: list[str] = Field(default_factory=list)  # the "issues" labels
    action_category: str | None = None
    session_label: str | None = None
    session_number: int | None = None  # the UPR Working Group session
    session_month: str | None = None  # "November 2023"
    cycle: int | None = None
    cycle_label: str | None = None
    created_at: datetime | None = None
    edited_at: datetime | None = None
    url: str
    metadata_hash: str  # sha256 of the canonical metadata: changes when UPR Info edits the record
    warnings: list[str] = Field(default_factory=list)

    @property
    def natural_key(self) -> tuple[str | None, int | None, tuple[str, ...], str]:
        """(State, WG session, recommending States, text hash): the join key with UN documents."""
        return (
            self.state_under_review,
            self.session_number,
            tuple(sorted(self.recommending_states)),
            text_sha256(self.text.lower()),
        )


class UprInfoExport(BaseModel):
    records: list[UprInfoRecommendation]
    warnings: list[str] = Field(default_factory=list)


def entity_url(shared_id: str, base_url: str = DEFAULT_BASE) -> str:
    return f"{base_url.rstrip('/')}/entity/{shared_id}"


def values(metadata: dict[str, Any], name: str, *, url: str | None = None) -> list[dict[str, Any]]:
    """The value list of one metadata property; [] when missing; shape errors name the field."""
    found = metadata.get(name)
    if found is None:
        return []
    if not isinstance(found, list):
        raise UnexpectedShape(
            f"metadata.{name}", f"expected a list, got {type(found).__name__}", url=url
        )
    for index, item in enumerate(found):
        if not isinstance(item, dict):
            raise UnexpectedShape(
                f"metadata.{name}[{index}]",
                f"expected an object, got {type(item).__name__}",
                url=url,
            )
    return found


def parse_entity(
    entity: Any, *, base_url: str = DEFAULT_BASE, url: str | None = None
) -> UprInfoRecommendation:
    """Read one recommendation entity. Raises UnexpectedShape naming the field that is off."""
    try:
        return _entity(entity, base_url, url)
    except ValidationError as exc:  # a value of the wrong type (a number as title...)
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "entity"
        raise UnexpectedShape(field, error["msg"], url=url) from exc
    except RecursionError as exc:
        raise UnexpectedShape("entity", "nested too deeply to read", url=url) from exc


def _entity(entity: Any, base_url: str, url: str | None) -> UprInfoRecommendation:
    if not isinstance(entity, dict):
        raise UnexpectedShape("entity", f"expected an object, got {type(entity).__name__}", url=url)
    shared_id = entity.get("sharedId")
    if not isinstance(shared_id, str) or not shared_id:
        raise UnexpectedShape("sharedId", f"missing or not a string: {shared_id!r}", url=url)
    metadata = entity.get("metadata")
    if not isinstance(metadata, dict):
        raise UnexpectedShape(
            "metadata", f"expected an object, got {type(metadata).__name__}", url=url
        )
    warnings: list[str] = []
    record = {
        "shared_id": shared_id,
        "language": entity.get("language"),
        "title": entity.get("title"),
        "text": _text(metadata, entity, url, warnings),
        "url": entity_url(shared_id, base_url),
        "metadata_hash": metadata_hash(metadata),
        "warnings": warnings,
        "created_at": _epoch_ms(entity.get("creationDate"), "creationDate", warnings),
        "edited_at": _epoch_ms(entity.get("editDate"), "editDate", warnings),
        "themes": [str(v["label"]) for v in values(metadata, "issues", url=url) if v.get("label")],
        "action_category": _label(values(metadata, "action_category", url=url)),
    }
    record.update(_states(metadata, url, warnings))
    record.update(_response(values(metadata, "response", url=url), warnings))
    record.update(_session(metadata, url, warnings))
    return UprInfoRecommendation(**record)


def metadata_hash(metadata: dict[str, Any]) -> str:
    """sha256 of the metadata in canonical JSON (sorted keys): order of keys never matters."""
    canonical = json.dumps(metadata, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _label(items: list[dict[str, Any]]) -> str | None:
    return str(items[0]["label"]) if items and items[0].get("label") is not None else None


def _text(
    metadata: dict[str, Any], entity: dict[str, Any], url: str | None, warnings: list[str]
) -> str:
    items = values(metadata, "recommendation", url=url)
    text = items[0].get("value") if items else None
    if not isinstance(text, str) or not text.strip():
        warnings.append("no recommendation text: the entity title is used")
        return str(entity.get("title") or "")
    return " ".join(text.split())


def _states(metadata: dict[str, Any], url: str | None, warnings: list[str]) -> dict[str, Any]:
    under = values(metadata, "state_under_review", url=url)
    label = _label(under)
    iso3 = to_iso3(label) if label else None
    if label and iso3 is None:
        warnings.append(f"State under review {label!r} not recognised")
    codes, raw = [], []
    for item in values(metadata, "recommending_state", url=url):
        name = str(item.get("label") or "")
        code = to_iso3(name)
        if code is None:
            warnings.append(f"recommending State {name!r} not recognised: kept as printed")
        if name:
            codes.append(code or name)
            raw.append(name)
    return {
        "state_under_review": iso3,
        "state_under_review_label": label,
        "state_under_review_id": under[0].get("value") if under else None,
        "recommending_states": list(dict.fromkeys(codes)),
        "recommending_states_raw": raw,
    }


def _response(items: list[dict[str, Any]], warnings: list[str]) -> dict[str, Any]:
    label = _label(items)
    position = RESPONSES.get(" ".join(label.split()).lower()) if label else None
    if label and position is None:
        warnings.append(f"unknown response label {label!r}: kept raw, no position")
    return {"response_label": label, "position": position}


def _session(metadata: dict[str, Any], url: str | None, warnings: list[str]) -> dict[str, Any]:
    label = _label(values(metadata, "session", url=url))
    number = month = None
    if label:
        match = _SESSION.match(label.strip())
        if match:
            number, month = int(match.group(1)), match.group(2)
        elif label.strip().lower() != "unknown session":
            warnings.append(f"unrecognised session label {label!r}")
    cycle_label = _label(values(metadata, "cycle", url=url))
    said = _CYCLE.search(cycle_label or "")
    cycle = (
        int(said.group(1) or said.group(2))
        if said
        else (cycle_for_wg_session(number) if number else None)
    )
    return {
        "session_label": label,
        "session_number": number,
        "session_month": month,
        "cycle": cycle,
        "cycle_label": cycle_label,
    }


def _epoch_ms(value: Any, name: str, warnings: list[str]) -> datetime | None:
    """Uwazi epoch milliseconds -> UTC; implausible values (seconds, junk) are reported."""
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not _MIN_MS <= value <= _MAX_MS
    ):
        warnings.append(f"{name} {value!r} is not epoch milliseconds between 2007 and 2100")
        return None
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def parse_export(data: bytes, *, base_url: str = DEFAULT_BASE) -> UprInfoExport:
    """Records of a saved UPR Info JSON file: a ``/api/search`` page, an ``/api/entities`` answer,
    a list of entities or one entity (gzip accepted). Non-recommendation entities are skipped.

    EmptyScrape when the file holds no recommendation: UPR Info answers a stale filter id with
    200 and ``totalRows: 0`` (SOURCES.md §1), so an empty export is that trap, not "no news"."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data)  # bounded: a gzip bomb is DocumentTooLarge
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotADocument(f"UPR Info export is not JSON: {exc}") from exc
    except RecursionError as exc:
        raise NotADocument("UPR Info export is JSON nested too deeply to read") from exc
    if isinstance(payload, dict) and "rows" in payload:
        rows = payload["rows"]
    elif isinstance(payload, dict) and "sharedId" in payload:
        rows = [payload]
    else:
        rows = payload
    if not isinstance(rows, list):
        raise UnexpectedShape("rows", f"expected a list of entities, got {type(rows).__name__}")
    export = UprInfoExport(records=[])
    for index, entity in enumerate(rows):
        metadata = entity.get("metadata") if isinstance(entity, dict) else None
        if isinstance(metadata, dict) and not (
            {"recommendation", "state_under_review"} & metadata.keys()
        ):
            export.warnings.append(
                f"entity {index} ({entity.get('sharedId')}) is not a recommendation: skipped"
            )
            continue
        try:
            export.records.append(parse_entity(entity, base_url=base_url))
        except UnexpectedShape as exc:
            raise UnexpectedShape(
                f"rows[{index}].{exc.field}", exc.reason.split(": ", 2)[-1]
            ) from exc
    total = payload.get("totalRows") if isinstance(payload, dict) else None
    if not export.records:
        raise EmptyScrape(_empty_reason(len(rows), total))
    if isinstance(total, int) and not isinstance(total, bool) and total > len(rows):
        export.warnings.append(
            f"export holds {len(rows)} of totalRows {total}: one page of a larger search"
        )
    return export


def _empty_reason(entities: int, total: Any) -> str:
    """What an export without recommendations held instead, for the run's reason."""
    held = (
        f"{entities} entities, none a recommendation"
        if entities
        else f"no entity{f' (totalRows {total})' if total is not None else ''}"
    )
    return (
        f"UPR Info export holds {held}: no recommendation found — a search with a stale or "
        "wrong filter id answers 200 with nothing (SOURCES.md §1); export the State's entries again"
    )
