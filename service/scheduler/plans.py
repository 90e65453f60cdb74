"""What a run of each source would fetch, and why it would fetch nothing.

Decided before a run starts, so that "nothing is configured" is never mistaken for a source that
answered (a false `last_success_at`) or for a source that failed (a false "failing"): a scheduled
run records it as `skipped` with what to set; `recwatch scrape` turns a missing argument into a
usage error. The runners in `sources.py` read their units through the same functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select
from sqlmodel import Session

from scrapers import SOURCES
from scrapers.countries import state_by_iso3
from service.config import Settings
from service.models import Document

STATE_OPTION = "--state and a state's ISO3 code (e.g. --state AZE)"
SYMBOL_OPTION = "--symbol and the report's UN symbol (e.g. --symbol A/HRC/39/14)"
WATCHLIST = "RECWATCH_WATCHLIST (e.g. AZE,SVN)"


@dataclass
class SourceRequest:
    """What to cover in this run: explicit units (symbols, file ids) or the watched states."""

    states: list[str]
    symbols: list[str] | None = None
    since: str | None = None


@dataclass(frozen=True)
class NothingToDo:
    """Why a run would fetch nothing, and what would give it something to fetch."""

    source: str
    reason: str
    setting: str  # the configuration a scheduled run needs, as an instruction
    option: str | None = None  # the `recwatch scrape` option that supplies what is missing

    @property
    def message(self) -> str:
        """Recorded on a skipped run: what is missing and what to set (or pass)."""
        run = f", or run `recwatch scrape {self.source}` with {self.option}" if self.option else ""
        return f"{self.reason}; {self.setting}{run}"

    @property
    def usage(self) -> str:
        """For a person who asked for this run: the argument to pass, then the setting."""
        return f"{self.source}: {self.reason}: pass {self.option}, or {self.setting}"


def upr_symbols(settings: Settings, req: SourceRequest) -> list[str]:
    """The symbols asked for, else the review calendar's symbols for the states."""
    return req.symbols or [sym for state in req.states for sym in settings.upr_symbols.get(state, [])]


def upr_states_without_symbols(settings: Settings, req: SourceRequest) -> list[str]:
    """States the calendar has no symbol for (none when symbols were given explicitly)."""
    return [] if req.symbols else [s for s in req.states if not settings.upr_symbols.get(s)]


def upr_calendar_missing(states: list[str]) -> NothingToDo:
    pairs = ",".join(f"{s}:<symbol>" for s in states)
    return NothingToDo("upr-reports", f"no Working Group report symbol known for {_and(states)}",
                       f"set RECWATCH_UPR_CALENDAR={pairs}", SYMBOL_OPTION)


def pace_fileids(engine: Engine, settings: Settings, state: str) -> list[int]:
    """Configured file ids of a state first, then those of its stored PACE pages."""
    queue = [int(f) for f in settings.pace_files.get(state, []) if f.isdigit()]
    return queue + sorted(_stored_pace_fileids(engine, state) - set(queue))


def pace_missing(states: list[str]) -> NothingToDo:
    pairs = ",".join(f"{s}:<file id>" for s in states)
    return NothingToDo("pace", f"no PACE file ids for {_and(states)}",
                       f"set RECWATCH_PACE_FILEIDS={pairs} (the number in a pace.coe.int/en/files/… "
                       "address) or import a saved page with `recwatch import --source pace`")


def _stored_pace_fileids(engine: Engine, state: str) -> set[int]:
    with Session(engine) as session:
        urls = session.execute(select(Document.url).where(Document.mechanism == "pace",
                                                          Document.state == state)).scalars()
        return {int(m.group(1)) for u in urls if u and (m := _FILEID.search(u))}


_FILEID = re.compile(r"(?:files/|fileid=)(\d+)", re.IGNORECASE)


def coe_members(states: list[str]) -> list[str]:
    """HUDOC-EXEC supervises judgments against Council of Europe member states only."""
    return [s for s in states if (info := state_by_iso3(s)) is not None and info.coe_member]


def nothing_to_do(engine: Engine, settings: Settings, source: str, req: SourceRequest) -> NothingToDo | None:
    """Why a run of `source` over `req` would fetch nothing, or None when it has units to fetch."""
    if source == "upr-reports":
        if upr_symbols(settings, req):
            return None
        if not req.states:
            return NothingToDo(source, "no symbol given and no state to cover",
                               f"set {WATCHLIST} and RECWATCH_UPR_CALENDAR (e.g. AZE:A/HRC/39/14)",
                               SYMBOL_OPTION)
        return upr_calendar_missing(req.states)
    if not req.states:
        return NothingToDo(source, "no state to cover", f"set {WATCHLIST}", STATE_OPTION)
    if source == "pace" and not any(pace_fileids(engine, settings, s) for s in req.states):
        return pace_missing(req.states)
    if source == "coe-exec" and not coe_members(req.states):
        return NothingToDo(source, f"{_and(req.states)}: not a Council of Europe member state, and "
                           "HUDOC-EXEC covers member states only", f"add a member state to {WATCHLIST}",
                           "--state and a member state's code (e.g. --state AZE)")
    return None


def argument_error(source: str, states: list[str] | None, symbols: list[str] | None,
                   since: str | None) -> str | None:
    """What is wrong with the arguments of a manual run, said as what to pass; None when nothing.
    An argument a source does not read is an error too: ignoring it would pretend it was used."""
    if source not in SOURCES:
        return f"unknown source {source!r}: pass one of {', '.join(SOURCES)}"
    if unknown := [s for s in states or [] if state_by_iso3(s) is None]:
        return f"--state {', '.join(unknown)}: not a state's ISO 3166 alpha-3 code; pass e.g. --state AZE"
    if symbols and source != "upr-reports":
        return f"--symbol is for upr-reports only; {source} takes --state"
    if since is not None:
        if source != "coe-exec":
            return f"--since is for coe-exec only; {source} fetches whole documents and skips unchanged ones"
        try:
            date.fromisoformat(since)
        except ValueError:
            return f"--since {since!r}: pass a date as YYYY-MM-DD, e.g. --since 2024-01-31"
    return None


def _and(states: list[str]) -> str:
    return ", ".join(states)
