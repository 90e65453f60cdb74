"""What a run of a source would fetch, and why it would fetch nothing — asked of the source.

Decided before a run starts, so that "nothing is configured" is never mistaken for a source that
answered (a false `last_success_at`) or for a source that failed (a false "failing"): a scheduled
run records it as `skipped` with what to set; `recwatch scrape` turns a missing argument into a
usage error. The sources (`scrapers/registry.py`) say what they need; this module asks them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from scrapers import registry
from scrapers.countries import state_by_iso3
from scrapers.source import NothingToDo, Request
from service.config import Settings
from service.ingest.stored import SqlStored

SourceRequest = Request  # what a run covers: explicit units or the watched states

__all__ = ["NothingToDo", "SourceRequest", "argument_error", "nothing_to_do"]


def nothing_to_do(engine: Engine, settings: Settings, source: str, req: SourceRequest) -> NothingToDo | None:
    """Why a run of `source` over `req` would fetch nothing, or None when it has units to fetch."""
    found = registry.get(source)
    if found is None:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(registry.keys())}")
    return found.plan(req, settings, SqlStored(engine))


def argument_error(source: str, states: list[str] | None, symbols: list[str] | None,
                   since: str | None) -> str | None:
    """What is wrong with the arguments of a manual run, said as what to pass; None when nothing.
    An argument a source does not read is an error too: ignoring it would pretend it was used."""
    found = registry.get(source)
    if found is None:
        return f"unknown source {source!r}: pass one of {', '.join(registry.keys())}"
    if unknown := [s for s in states or [] if state_by_iso3(s) is None]:
        return f"--state {', '.join(unknown)}: not a state's ISO 3166 alpha-3 code; pass e.g. --state AZE"
    if symbols and "symbol" not in found.options:
        return f"--symbol is for {_readers('symbol')} only; {source} takes --state"
    if since is not None:
        if "since" not in found.options:
            return (f"--since is for {_readers('since')} only; {source} fetches whole documents and "
                    "skips unchanged ones")
        try:
            date.fromisoformat(since)
        except ValueError:
            return f"--since {since!r}: pass a date as YYYY-MM-DD, e.g. --since 2024-01-31"
    return None


def _readers(option: str) -> str:
    return ", ".join(s.key for s in registry.sources() if option in s.options)
