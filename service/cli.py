"""The `recwatch` command: serve, db, parse, import, scrape, demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from scrapers.errors import ScrapeError
from service import migrate
from service.cli_support import (
    print_jsonl,
    print_table,
    report_run,
    say,
    upgrade_and_seed,
    upgrade_if_embedded,
    when,
)
from service.config import get_settings
from service.db import get_engine, session_scope
from service.ingest import pipeline
from service.ingest.pipeline import RunReport
from service.scheduler.runner import next_runs

app = typer.Typer(help="recwatch: track human-rights recommendations and what states do about them.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema and maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
def _register_commands() -> None:
    from service.reports.cli import register as register_reports

    register_reports(app)


apikey_app = typer.Typer(help="API keys for writing (and, if configured, reading).", no_args_is_help=True)
app.add_typer(apikey_app, name="apikey")



@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations and seed the list of states."""
    upgrade_and_seed()
    say(f"database at revision {migrate.current_revision(get_engine())}")


@db_app.command("current")
def db_current() -> None:
    """Print the database's migration revision and whether it is the newest."""
    engine = get_engine()
    current = migrate.current_revision(engine)
    print(f"{current or 'empty'} (head {migrate.head_revision()})")
    raise typer.Exit(0 if migrate.is_current(engine) else 1)


@db_app.command("backup")
def db_backup(path: Annotated[Path, typer.Argument(help="Backup file to write (.tar.gz)")]) -> None:
    """Back up the database and the raw document store into one file."""
    from service.backup import BackupError, backup

    try:
        say(backup(get_settings(), path))
    except BackupError as exc:
        say(str(exc))
        raise typer.Exit(1) from exc


@db_app.command("restore")
def db_restore(path: Annotated[Path, typer.Argument(help="Backup file made by `db backup`")]) -> None:
    """Restore the database and the raw document store from a backup."""
    from service.backup import BackupError, restore

    try:
        say(restore(get_settings(), path))
    except (BackupError, OSError) as exc:
        say(str(exc))
        raise typer.Exit(1) from exc


@app.command()
def serve(host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="TCP port")] = 8000,
          demo: Annotated[bool, typer.Option(help="Load the fictional sample first")] = False) -> None:
    """Web, scheduler and webhook delivery in one process (the embedded default)."""
    import threading

    from service import logs, webserver
    from service.main import create_app
    from service.scheduler.worker import Worker

    logs.configure()
    upgrade_if_embedded()
    settings, engine = get_settings(), get_engine()
    if demo:
        from service.sample import load_sample

        report_run(load_sample(engine, settings), "sample")
    stop, worker = threading.Event(), Worker(engine, settings)
    thread = threading.Thread(target=worker.run, args=(stop,), name="worker", daemon=True)
    thread.start()
    app = create_app()
    app.state.next_runs = lambda: next_runs(worker.source_scheduler)
    try:
        webserver.run_announced(app, host, port)
    finally:
        stop.set()
        thread.join(timeout=10)


@app.command()
def web(host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port")] = 8000,
        workers: Annotated[int, typer.Option(help="Web worker processes")] = 1) -> None:
    """The stateless web server only (scale-out on PostgreSQL); run `recwatch worker` beside it."""
    from service import logs, webserver

    logs.configure()
    if not migrate.is_current(get_engine()):
        say("the database is not at the newest migration: run `recwatch db upgrade`")
        raise typer.Exit(1)
    webserver.serve(host, port, workers)


@app.command()
def worker() -> None:
    """Scheduler (one leader among workers) and webhook delivery, until SIGTERM or SIGINT."""
    import signal
    import threading

    from service import logs
    from service.scheduler.worker import Worker

    logs.configure()
    upgrade_if_embedded()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    Worker(get_engine(), get_settings()).run(stop)


@app.command()
def sources() -> None:
    """Print the health of every source: last run, outcome, failures in a row, freshness."""
    from sqlmodel import Session

    from service.runs.repository import source_health

    upgrade_if_embedded()
    with Session(get_engine()) as session:
        rows = source_health(session, {}, failing_threshold=get_settings().source_failing_after)
    table = Table(title="sources")
    for col in ("source", "last run", "outcome", "failures in a row", "last success", "last error"):
        table.add_column(col)
    with Session(get_engine()) as session:
        from service.runs.repository import last_error

        for row in rows:
            style = "red" if row["failing"] else None
            table.add_row(row["source"], when(row["last_run_at"]), row["last_outcome"] or "never run",
                          str(row["consecutive_failures"]), when(row["last_success_at"]),
                          last_error(session, row["source"]) or "", style=style)
    Console(width=200).print(table)


@app.command()
def parse(paths: Annotated[list[Path], typer.Argument(help="Documents to parse")],
          format: Annotated[str, typer.Option("--format", help="jsonl or table")] = "jsonl") -> None:
    """Parse documents and print their recommendations; never touches the database."""
    if format not in ("jsonl", "table"):
        say("--format must be jsonl or table")
        raise typer.Exit(2)
    failed = 0
    for path in paths:
        try:
            data = path.read_bytes()
            parsed = pipeline.detect_parser(engine=_engine_if_database())(data, path.resolve().as_uri())
        except (OSError, ScrapeError) as exc:
            failed += 1
            reason = exc.reason if isinstance(exc, ScrapeError) else exc.strerror or str(exc)
            say(f"{path}: {reason}")
            continue
        (print_jsonl if format == "jsonl" else print_table)(parsed, str(path))
        for problem in parsed.problems:
            say(f"{path}: not read: {problem}")
        for warning in parsed.warnings:
            say(f"{path}: warning: {warning}")
    raise typer.Exit(1 if failed else 0)


def _source_kind(source: str | None) -> str | None:
    """A file saved from a source that reads one kind of file is read as that kind, whatever its
    bytes look like; otherwise the kind is detected."""
    from scrapers import registry

    kinds = registry.importable(source) if source else []
    return kinds[0].kind if len(kinds) == 1 else None


def _engine_if_database():
    """`parse` never writes; it reads stored recommendations only to join UPR Info exports."""
    settings = get_settings()
    if settings.is_embedded and not (settings.data_dir / "recwatch.sqlite3").exists():
        return None
    return get_engine()


@app.command("import")
def import_(paths: Annotated[list[Path], typer.Argument(help="Documents saved on disk")],
            symbol: Annotated[str | None, typer.Option(help="UN symbol, e.g. A/HRC/24/13")] = None,
            state: Annotated[str | None, typer.Option(help="State under review (ISO3)")] = None,
            cycle: Annotated[int | None, typer.Option(help="UPR cycle")] = None,
            source: Annotated[str | None, typer.Option(
                help="The source the file was saved from (e.g. pace, when its site blocks us): "
                     "the run is recorded under it")] = None) -> None:
    """Archive, parse and import documents; the kind is detected, metadata can be overridden."""
    from scrapers import registry

    if source is not None and registry.get(source) is None:
        say(f"--source must be one of {', '.join(registry.keys())}")
        raise typer.Exit(2)
    _check_symbols([symbol] if symbol else [])
    upgrade_if_embedded()
    settings, engine = get_settings(), get_engine()
    kind = _source_kind(source)
    failed = 0
    for path in paths:
        report = pipeline.import_path(engine, settings, path, source=source or "manual-import",
                                      parser=pipeline.detect_parser(symbol=symbol, state=state,
                                                                    cycle=cycle, engine=engine, kind=kind))
        report_run(report, str(path))
        _audit_import(path, report)
        failed += not report.ok
    raise typer.Exit(1 if failed else 0)


def _audit_import(path: Path, report: RunReport) -> None:
    """An import by a person is a write like any other: recorded with who (the OS user) and what."""
    import getpass

    from service import audit

    with session_scope() as session:
        audit.record(session, None, "document.import", target=str(path), actor=f"cli:{getpass.getuser()}",
                     detail={"run_id": report.run_id, "outcome": report.outcome.value,
                             "counts": report.counts})


@app.command()
def scrape(source: Annotated[str, typer.Argument(help="upr-reports, upr-info, pace or coe-exec")],
           state: Annotated[list[str] | None, typer.Option(help="State(s) to cover (ISO3)")] = None,
           symbol: Annotated[list[str] | None, typer.Option(help="UN symbol(s), for upr-reports")] = None,
           since: Annotated[str | None, typer.Option(help="coe-exec: only documents since YYYY-MM-DD")] = None,
           ) -> None:
    """Run one source now, with a progress display and a summary table.

    Exit 0 when the run worked or there was nothing to do (recorded as skipped, with what to
    set); 1 when the run failed; 2, recording nothing, when the arguments cannot make a run."""
    from service.scheduler.jobs import run_source, source_request
    from service.scheduler.plans import argument_error, nothing_to_do
    from service.scheduler.progress import RunProgress

    states = [s.strip().upper() for s in state] if state else None
    _check_symbols(symbol or [])
    if problem := argument_error(source, states, symbol, since):
        say(problem)
        raise typer.Exit(2)
    upgrade_if_embedded()
    settings, engine = get_settings(), get_engine()
    gap = nothing_to_do(engine, settings, source,
                        source_request(engine, settings, states=states, symbols=symbol, since=since))
    if gap is not None and gap.option is not None:  # an argument would have supplied it
        say(gap.usage)
        raise typer.Exit(2)
    with RunProgress(source) as progress:
        report = run_source(engine, settings, source, trigger="manual", states=states,
                            symbols=symbol, since=since, listener=progress.update)
    if not report.skipped:
        progress.summary(report)
    report_run(report, source)
    raise typer.Exit(0 if report.ok or report.skipped else 1)


def _check_symbols(symbols: list[str]) -> None:
    """A --symbol that is no UN symbol is a usage error, refused before it reaches a URL or a row."""
    from scrapers.symbols import InvalidSymbol, check_symbol

    for value in symbols:
        try:
            check_symbol(value, what="--symbol")
        except InvalidSymbol as exc:
            say(exc.reason)
            raise typer.Exit(2) from exc


@app.command()
def demo() -> None:
    """Load the small fictional sample review (clearly labelled as sample data)."""
    from service.sample import load_sample

    upgrade_if_embedded()
    report = load_sample(get_engine(), get_settings())
    report_run(report, "sample")
    raise typer.Exit(0 if report.ok else 1)


@apikey_app.command("create")
def apikey_create(name: Annotated[str, typer.Argument(help="Who the key is for; recorded on writes")],
                  role: Annotated[str, typer.Option(help="reader, editor or admin")] = "reader") -> None:
    """Create a key and print it once, alone on standard output; only its hash is stored."""
    from service.auth.keys import create_key
    from service.models import Role

    if role not in {r.value for r in Role}:
        say("--role must be reader, editor or admin")
        raise typer.Exit(2)
    upgrade_if_embedded()
    from service import audit

    with session_scope() as session:
        try:
            key = create_key(session, name, Role(role))
        except ValueError as exc:
            say(str(exc))
            raise typer.Exit(1) from exc
        audit.record(session, None, "key.create", target=f"key/{name}", actor="cli",
                     detail={"role": role})
    print(key)


@apikey_app.command("list")
def apikey_list() -> None:
    """List keys: name, role, created, last used, revoked (never the keys themselves)."""
    from sqlmodel import Session

    from service.auth.keys import list_keys

    upgrade_if_embedded()
    table = Table(title="API keys")
    for col in ("name", "role", "prefix", "created", "last used", "revoked"):
        table.add_column(col)
    with Session(get_engine()) as session:
        for key in list_keys(session):
            table.add_row(key.name, key.role, key.prefix + "…", when(key.created_at), when(key.last_used_at),
                          when(key.revoked_at))
    Console(width=160).print(table)


@apikey_app.command("revoke")
def apikey_revoke(name: Annotated[str, typer.Argument(help="The key's name")]) -> None:
    """Revoke a key; it stops working at once."""
    from service.auth.keys import revoke_key

    upgrade_if_embedded()
    from service import audit

    with session_scope() as session:
        if not revoke_key(session, name):
            say(f"no active key named {name!r}")
            raise typer.Exit(1)
        audit.record(session, None, "key.revoke", target=f"key/{name}", actor="cli")
    say(f"revoked {name}")


_register_commands()
