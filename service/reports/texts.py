"""The words and small tables every human-readable format shares (DOCX, XLSX, HTML), so the
formats say the same thing in the same words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from service.reports.model import (
    IMPLEMENTATION_LABELS,
    POSITION_LABELS,
    STATUS_LABELS,
    GroupBy,
    Report,
    label,
)

Table = tuple[str, list[str], list[list[Any]]]

GROUPING_NOTES = {
    GroupBy.THEME: ("Each recommendation appears exactly once, under its primary theme (the first "
                    "theme its source assigned); its other themes are listed beside it. In the "
                    "theme counts, “listed” adds up to the total and “carrying” counts every "
                    "recommendation tagged with the theme."),
    GroupBy.MECHANISM: "Each recommendation appears exactly once, grouped by mechanism.",
    GroupBy.PARAGRAPH: "Each recommendation appears exactly once, in paragraph order.",
}
ASSESSMENT_NOTE = ("The column “Your assessment” is left empty for the authors of the "
                   "submission. Positions and implementation statuses cite the document passage "
                   "they come from; the documents are listed in the annex with their SHA-256.")
SAMPLE_WARNING = "FICTIONAL SAMPLE DATA: this is not a real review."


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def preamble(report: Report) -> list[str]:
    lines = [SAMPLE_WARNING] if report.is_sample else []
    lines += [f"Scope: {report.scope.describe()} — {report.summary.total} recommendations",
              f"Generated: {when(report.generated_at)}",
              f"Data as of: {when(report.data_as_of)} (newest successful run of any source)",
              GROUPING_NOTES[report.scope.group_by], ASSESSMENT_NOTE]
    return lines


def _counts(title: str, counts: dict[str, int], labels: dict[str, str]) -> Table:
    return title, ["", "Recommendations"], [[label(labels, k), n] for k, n in counts.items()]


def comparison_table(report: Report) -> Table | None:
    c = report.summary.comparison
    if c is None:
        return None
    now = f"cycle {report.scope.cycle}"
    rows: list[list[Any]] = [["Recommendations", c.previous_total, c.current_total]]
    rows += [[label(POSITION_LABELS, k), c.previous_by_position.get(k, 0), c.current_by_position.get(k, 0)]
             for k in c.current_by_position]
    rows.append([f"Repeating a recommendation of {c.previous}", "", c.recurring])
    rows.append([f"… of which noted in {c.previous}", "", c.recurring_noted_before])
    title = f"Change since the previous review ({c.previous})"
    if c.previous_total == 0:
        title += f": {c.previous} is not in the database"
    return title, ["", c.previous, now], rows


def freshness_table(report: Report) -> Table:
    rows = [[f.source, f.last_outcome or "never run", when(f.last_success_at),
             when(f.newest_document_at), "yes" if f.failing else "no"] for f in report.freshness]
    return ("Data as of: freshness of each source",
            ["Source", "Last run", "Last success", "Newest data", "Failing"], rows)


def summary_tables(report: Report) -> list[Table]:
    s = report.summary
    tables = [_counts("By position", s.by_position, POSITION_LABELS),
              _counts("By implementation", s.by_implementation, IMPLEMENTATION_LABELS),
              _counts("By status", s.by_status, STATUS_LABELS),
              ("By theme", ["Theme", "Listed under it", "Carrying it"],
               [[t.name, t.listed, t.tagged] for t in s.by_theme])]
    if (comparison := comparison_table(report)) is not None:
        tables.append(comparison)
    tables.append(freshness_table(report))
    return tables


def sources_table(report: Report) -> Table:
    rows = [[d.symbol or "", d.title or "", d.published_on.isoformat() if d.published_on else "",
             d.url or "", d.sha256, when(d.fetched_at)] for d in report.sources]
    return ("Annex: sources", ["Document", "Title", "Published", "URL", "SHA-256", "Fetched"], rows)
