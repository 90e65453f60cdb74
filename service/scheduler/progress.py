"""Progress display and summary table for `recwatch scrape` (rich, on standard error)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from service.ingest.pipeline import RunContext, RunReport


class RunProgress:
    def __init__(self, source: str) -> None:
        self.console = Console(stderr=True)
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                  console=self.console, transient=True,
                                  # Off when stderr is not a terminal: a live display there
                                  # leaves only a stray empty line in a log or a pipe.
                                  disable=not self.console.is_terminal)
        self._task = self._progress.add_task(f"{source}: starting")
        self.source = source

    def __enter__(self) -> RunProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, ctx: RunContext) -> None:
        t = ctx.totals
        self._progress.update(self._task, description=(
            f"{self.source}: {ctx.counts['fetched']} fetched, {ctx.counts['skipped_unchanged']} unchanged, "
            f"{t.inserted} inserted, {t.updated} updated, {len(ctx.errors)} errors"))

    def summary(self, report: RunReport) -> None:
        """The run's counts as a table. Its messages are not repeated here: the command prints
        them once, unwrapped, after this table."""
        table = Table(title=f"{self.source}: run {report.run_id} — {report.outcome.value}")
        for name in ("fetched", "skipped_unchanged", "inserted", "updated", "unchanged", "rejected"):
            table.add_column(name.replace("_", " "), justify="right")
        table.add_row(*(str(report.counts.get(n, 0)) for n in (
            "fetched", "skipped_unchanged", "inserted", "updated", "unchanged", "rejected")))
        self.console.print(table)
