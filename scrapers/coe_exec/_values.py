"""HUDOC-EXEC field values (SOURCES.md §8.2): strings or lists, booleans as text, day-first dates.

Only the codes listed here are interpreted; any other value is kept raw by the caller and
reported, never mapped to a guessed meaning.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

__all__ = [
    "COLLECTION_ROLES", "KNOWN_COLLECTIONS", "SUPERVISION", "Row", "as_bool", "as_date",
    "codes", "first",
]

Row = dict[str, Any]

SUPERVISION = {"ENHA": "enhanced", "STAND": "standard", "NEW": "awaiting_classification"}
# Collections that become dated documents in a case's timeline.
COLLECTION_ROLES = {"acp": "action_plan", "acr": "action_report", "CMDEC": "cm_decision",
                    "res": "final_resolution"}
KNOWN_COLLECTIONS = frozenset({
    "CEC", "all", "acp", "acr", "obs", "apo", "gvo", "eo", "ngo", "nhri", "igo", "nto", "oorg",
    "oo", "CMDEC", "CMINF", "CMNOT", "HEXEC", "res", "EXECUTION", "MERITS",
})
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")


def first(value: Any) -> str | None:
    """One value where one is expected: a list gives its first non-empty element."""
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "")), None)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def codes(value: Any) -> list[str]:
    """`;`-separated codes ("CEC;all", "33349/10;3566/16"), from a string or a list."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if item is None:
            continue
        out += [part.strip() for part in str(item).split(";") if part.strip()]
    return list(dict.fromkeys(out))


def as_bool(value: Any) -> bool | None:
    """"True" / "False" in any case (or JSON booleans); None for anything else."""
    if isinstance(value, bool):
        return value
    text = (first(value) or "").lower()
    return {"true": True, "false": False}.get(text)


def as_date(row: Row, field: str) -> tuple[date | None, str | None]:
    """(date, raw) of a date field: `<field>astext` (dd/mm/YYYY[ HH:MM:SS]) or ISO `<field>`."""
    raw = first(row.get(f"{field}astext"))
    if raw:
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(raw, fmt).date(), raw
            except ValueError:
                continue
    iso = first(row.get(field))
    if iso:
        try:
            return date.fromisoformat(iso[:10]), iso  # "2020-03-15T00:00:00.0Z"
        except ValueError:
            return None, raw or iso
    return None, raw
