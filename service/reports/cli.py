"""`recwatch report` and `recwatch export`. Wire them with `register(app)` in service/cli.py;
the progress display goes to standard error, so `-o -` can write the file to standard output."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlmodel import Session

from scrapers.records import Implementation, Mechanism, Position
from service.errors import ServiceError
from service.recommendations.schemas import Status
from service.reports import export as bulk
from service.reports.content import STEPS, gather
from service.reports.formats import ReportFormat, file_name, render
from service.reports.model import GroupBy

err = Console(stderr=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=False)


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(message.replace("\n", " ") + "\n")
    return typer.Exit(code)


@contextmanager
def _output(path: Path | None) -> Iterator[BinaryIO]:
    """A binary sink: the file, or standard output for `-`."""
    if path is None or str(path) == "-":
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    with path.open("wb") as handle:
        yield handle


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise _fail(f"--{name} must be a date YYYY-MM-DD, not {value!r}", 2) from None


def report(
    state: Annotated[str, typer.Argument(help="State under review: ISO3 code or name")],
    cycle: Annotated[int | None, typer.Option(min=1, max=20, help="UPR cycle")] = None,
    mechanism: Annotated[Mechanism | None, typer.Option(help="Default: all mechanisms")] = None,
    since: Annotated[str | None, typer.Option(help="Made on or after YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="Made on or before YYYY-MM-DD")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", help="File format")] = ReportFormat.DOCX,
    group_by: Annotated[GroupBy, typer.Option(help="Grouping of the recommendations")] = GroupBy.THEME,
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="File to write; default e.g. azerbaijan-upr3.docx; - for stdout")] = None,
) -> None:
    """Write a status report of a state's recommendations, for a stakeholder submission."""
    from service.cli_support import upgrade_if_embedded
    from service.db import get_engine
    from service.reports.content import report_scope

    upgrade_if_embedded()
    with Session(get_engine()) as session, _progress() as progress:
        try:
            scope = report_scope(session, state, cycle=cycle, mechanism=mechanism,
                                 since=_day(since, "since"), until=_day(until, "until"),
                                 group_by=group_by)
            gathering = progress.add_task("reading the database", total=STEPS)
            content = gather(session, scope, step=lambda name: progress.update(
                gathering, advance=1, description=f"reading {name}"))
        except ServiceError as exc:
            raise _fail(exc.message, 1 if exc.status_code == 404 else 2) from exc
        progress.update(gathering, completed=STEPS, description="read the database")
        if not content.summary.total:
            raise _fail(f"no recommendations to {content.state_name} in {scope.describe()}", 1)
        writing = progress.add_task(f"writing {format.value}", total=content.summary.total)
        data = render(content, format, tick=lambda n: progress.advance(writing, n))
    target = output or Path(file_name(content, format))
    with _output(target) as sink:
        sink.write(data)
    sys.stderr.write(f"{target}: {content.summary.total} recommendations, {len(data):,} bytes\n")


def export(
    format: Annotated[bulk.ExportFormat, typer.Option("--format", help="csv or jsonl")] = bulk.ExportFormat.CSV,
    state: Annotated[str | None, typer.Option(help="State under review (ISO3 or name)")] = None,
    recommending_state: Annotated[str | None, typer.Option(help="Recommending state")] = None,
    mechanism: Annotated[Mechanism | None, typer.Option()] = None,
    cycle: Annotated[int | None, typer.Option(min=1, max=20)] = None,
    position: Annotated[Position | None, typer.Option()] = None,
    implementation: Annotated[Implementation | None, typer.Option()] = None,
    status: Annotated[Status | None, typer.Option()] = None,
    q: Annotated[str | None, typer.Option(help="Words in the text")] = None,
    theme: Annotated[str | None, typer.Option(help="Theme name")] = None,
    sdg: Annotated[str | None, typer.Option(help="SDG goal number or label")] = None,
    affected: Annotated[str | None, typer.Option(help="Affected persons")] = None,
    include_sample: Annotated[bool, typer.Option(help="Include the fictional sample data")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write; default stdout")] = None,
) -> None:
    """Export recommendations (all, or the same filters as the API) as CSV or JSON Lines."""
    from service.cli_support import upgrade_if_embedded
    from service.db import get_engine
    from service.recommendations import repository as repo

    upgrade_if_embedded()
    try:
        flt = bulk.make_filter(state=state, recommending_state=recommending_state, mechanism=mechanism,
                               cycle=cycle, position=position, implementation=implementation,
                               status=status, q=q, theme=theme, sdg=sdg, affected=affected,
                               include_sample=include_sample)
    except ServiceError as exc:
        raise _fail(exc.message, 2) from exc
    engine = get_engine()
    with Session(engine) as session:
        total = repo.count(session, flt)
    written = 0
    with _progress() as progress, _output(output) as sink:
        task = progress.add_task(f"exporting {format.value}", total=total)
        for chunk in bulk.stream(engine, flt, format, progress=lambda n: progress.advance(task, n)):
            sink.write(chunk)
        written = int(progress.tasks[0].completed)
    sys.stderr.write(f"{output or 'stdout'}: {written} recommendations\n")


def register(app: typer.Typer) -> None:
    """Add `report` and `export` to the `recwatch` command."""
    app.command("report")(report)
    app.command("export")(export)
