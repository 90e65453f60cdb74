"""Ordering and grouping of report rows.

Every recommendation appears exactly once. In the theme view it is listed under its primary
theme — the first theme a source attached to it (the thematic list's first heading for that
item) — and its other themes are shown in an "also under" column. Theme counts in the summary
say both how many rows each group lists (these add up to the total) and how many
recommendations carry the theme at all (these add up to more).
"""

from __future__ import annotations

import re
from collections import defaultdict

from service.reports.model import MECHANISM_LABELS, NO_THEME, GroupBy, ReportGroup, ReportRow, label

_NUMBER = re.compile(r"\d+|\D+")
MECHANISM_ORDER = {"upr": 0, "pace": 1, "coe_exec": 2}


def paragraph_key(paragraph: str | None) -> tuple:
    """Natural order: 109.9 before 109.10; rows without a paragraph go last."""
    if not paragraph:
        return (1, ())
    return (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _NUMBER.findall(paragraph)))


def row_key(row: ReportRow) -> tuple:
    return (MECHANISM_ORDER.get(row.mechanism, 9), row.mechanism, row.cycle or 0,
            paragraph_key(row.paragraph), row.id)


def group_rows(rows: list[ReportRow], group_by: GroupBy) -> list[ReportGroup]:
    """Rows into titled groups, each row in exactly one group; sets `row.group`."""
    ordered = sorted(rows, key=row_key)
    if group_by == GroupBy.PARAGRAPH:
        for row in ordered:
            row.group = "All recommendations"
        return [ReportGroup("All recommendations", ordered)] if ordered else []
    buckets: dict[str, list[ReportRow]] = defaultdict(list)
    for row in ordered:
        if group_by == GroupBy.THEME:
            row.group = row.themes[0] if row.themes else NO_THEME
        else:
            row.group = label(MECHANISM_LABELS, row.mechanism)
        buckets[row.group].append(row)
    if group_by == GroupBy.THEME:
        titles = sorted(buckets, key=lambda t: (t == NO_THEME, t.casefold()))
    else:
        titles = sorted(buckets, key=lambda t: row_key(buckets[t][0]))
    return [ReportGroup(title, buckets[title]) for title in titles]


def reference(row_mechanism: str, cycle: int | None, paragraph: str | None, *, mixed: bool) -> str:
    """The first column: the paragraph alone when the report covers one review, else with the
    mechanism and cycle, so "109.3" of cycle 2 and cycle 3 cannot be confused."""
    para = paragraph or "—"
    if not mixed:
        return para
    prefix = label(MECHANISM_LABELS, row_mechanism) if row_mechanism != "upr" else "UPR"
    return f"{prefix} c{cycle} {para}" if cycle is not None else f"{prefix} {para}"
