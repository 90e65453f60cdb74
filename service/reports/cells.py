"""Cell values safe to hand to a spreadsheet or an XML writer, and the flat columns that CSV and
XLSX share.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab or CR
can smuggle one in), so `=HYPERLINK("http://evil","x")` in a recommendation's text would become
a live link. Such strings get a leading `'` (OWASP's advice): shown as text, and visibly so.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from service.reports.model import (
    IMPLEMENTATION_LABELS,
    MECHANISM_LABELS,
    POSITION_LABELS,
    STATUS_LABELS,
    ReportRow,
    StateRef,
    StatusSource,
    label,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids (PDF extraction leaves some, e.g. vertical tab): lxml and
# openpyxl refuse them, so they are dropped before writing.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise(value: str) -> str:
    """A string a spreadsheet will show, never evaluate."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def plain(value: object) -> str:
    """Dates as ISO 8601, None as empty: what every text cell gets."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _source(s: StatusSource | None) -> tuple[str, str, str]:
    if s is None:
        return "", "", ""
    return s.evidence or s.document_symbol or "", plain(s.effective_on), s.url or ""


def _base(row: ReportRow) -> dict[str, str]:
    pos_evidence, pos_date, pos_url = _source(row.position_source)
    imp_evidence, imp_date, imp_url = _source(row.implementation_source)
    return {
        "group": row.group, "paragraph": row.paragraph or "", "cycle": plain(row.cycle),
        "mechanism": label(MECHANISM_LABELS, row.mechanism), "recommendation": row.text,
        "position": label(POSITION_LABELS, row.position), "position_source": pos_evidence,
        "position_date": pos_date, "position_url": pos_url,
        "implementation": label(IMPLEMENTATION_LABELS, row.implementation),
        "implementation_date": imp_date, "implementation_evidence": imp_evidence,
        "implementation_url": imp_url, "status": label(STATUS_LABELS, row.status),
        "other_themes": "; ".join(row.other_themes), "sdgs": "; ".join(row.sdgs),
        "affected_persons": "; ".join(row.affected), "recurring": row.recurrence_text,
        "your_assessment": "", "key": row.key,
    }


# (field, header, width in characters): the XLSX data sheet, one row per recommendation.
XLSX_COLUMNS: list[tuple[str, str, int]] = [
    ("group", "Group", 24), ("paragraph", "Paragraph", 10), ("recommendation", "Recommendation", 60),
    ("recommending_states", "Recommending states", 22), ("position", "Position", 13),
    ("position_source", "Position source", 24), ("position_date", "Position date", 12),
    ("implementation", "Implementation", 16), ("implementation_date", "Implementation date", 12),
    ("implementation_evidence", "Implementation evidence", 24), ("status", "Status", 14),
    ("other_themes", "Also under themes", 30), ("sdgs", "SDGs", 24),
    ("affected_persons", "Affected persons", 24), ("recurring", "Recurring", 36),
    ("your_assessment", "Your assessment", 40), ("cycle", "Cycle", 7), ("mechanism", "Mechanism", 10),
    ("position_url", "Position source URL", 30), ("implementation_url", "Implementation evidence URL", 30),
    ("key", "Key", 22),
]

# The CSV: one row per recommendation × recommending state.
CSV_COLUMNS: list[str] = [
    "key", "mechanism", "cycle", "paragraph", "group", "recommendation", "recommending_state",
    "recommending_state_name", "position", "position_source", "position_date", "position_url",
    "implementation", "implementation_date", "implementation_evidence", "implementation_url",
    "status", "other_themes", "sdgs", "affected_persons", "recurring", "your_assessment",
]


def xlsx_values(row: ReportRow) -> dict[str, str]:
    return _base(row) | {"recommending_states": row.states_text}


def csv_values(row: ReportRow) -> list[dict[str, str]]:
    """One dict per recommending state; a recommendation without states still gets one row."""
    base = _base(row)
    states: list[StateRef | None] = list(row.recommending_states) or [None]
    return [base | {"recommending_state": s.code if s else "",
                    "recommending_state_name": s.name if s else ""} for s in states]

