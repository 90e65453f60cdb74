"""Who and when a WG report is about: State under review, cycle, WG session, symbol, date.

Every fact is read from several cues, so one unreadable spot (a cover page with no text layer,
a title naming "X (including A and B)") does not lose it: the State from the title, the
introduction ("The review of X was held ..."), the review's own symbols (A/HRC/WG.6/8/KEN/1) and
the lead-ins; the WG session from "held its ... session" and those symbols; the HRC session from
the report symbol, the cover and the response deadline. Explicit arguments always win; cues that
disagree are reported. Only a State or cycle found nowhere stops the parse: a record needs both.
"""

from __future__ import annotations

import re
from collections import Counter

from scrapers.countries import state_by_iso3, to_iso3
from scrapers.errors import LayoutChanged
from scrapers.records import UprReview
from scrapers.text import normalise_whitespace
from scrapers.upr_reports._meta import (
    cover_hrc_session,
    deadline_hrc_session,
    detect_date,
    detect_state,
    detect_symbol,
    detect_wg_session,
    hrc_session_of,
    intro_states,
    lead_in_states,
    symbol_states,
    symbol_wg_sessions,
)
from scrapers.vocab import cycle_for_hrc_session, cycle_for_wg_session

_ISO3_LIKE = re.compile(r"[A-Z]{3}")
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_HELD = re.compile(r"held\s+its\b", re.IGNORECASE)
INTRO_CHARS = 4000  # paragraphs 1-3 (review, troika, documents) follow "held its ... session"
FRONT_PAGES = 6


Meta = UprReview  # what the report says about itself


def metadata(
    pages: list[str],
    lead_ins: str,
    symbol: str | None,
    state: str | None,
    cycle: int | None,
    warnings: list[str],
) -> Meta:
    """Detect metadata from the pages and the conclusions' lead-in paragraphs (``lead_ins``);
    explicit arguments win, disagreements become warnings.

    Raises LayoutChanged when no cue names the State (or the cycle) and none was given.
    """
    first = normalise_whitespace(pages[0]) if pages else ""
    front = " ".join(" ".join(pages[:FRONT_PAGES]).split())
    iso3, printed = _state(first, front, lead_ins, state, warnings)
    found_symbol = symbol or detect_symbol(pages)
    if found_symbol is None:
        warnings.append("document symbol not found")
    wg_session = _wg_session(front, warnings)
    detected_cycle = _detected_cycle(wg_session, found_symbol, first, lead_ins, warnings)
    if cycle is None and detected_cycle is None:
        raise LayoutChanged(
            "cycle not found: no WG session ('held its ... session', A/HRC/WG.6/<n>/ symbols) "
            "and no HRC session (symbol, cover, response deadline); pass --cycle"
        )
    if cycle is not None and detected_cycle is not None and cycle != detected_cycle:
        warnings.append(f"document suggests cycle {detected_cycle}, cycle={cycle} given")
    # Without a readable cover, only a date printed after "Distr." is the issue date (page 2
    # quotes resolution 5/1 "of 18 June 2007").
    published = detect_date(first) or next(
        (d for d in (detect_date(p, anywhere=False) for p in pages[1:3]) if d), None
    )
    return Meta(
        state=iso3,
        state_name=printed or iso3,
        cycle=cycle if cycle is not None else detected_cycle,  # type: ignore[arg-type]
        wg_session=wg_session,
        symbol=found_symbol,
        published_on=published,
    )


def _state(
    first: str, front: str, lead_ins: str, state: str | None, warnings: list[str]
) -> tuple[str, str | None]:
    """ISO3 and printed name of the State under review: the explicit argument, else the State
    most cue kinds agree on (title first on a tie)."""
    cues = _state_cues(first, front, lead_ins)
    if state is not None:
        iso3 = to_iso3(state) or _explicit_code(state, warnings)
        named = next(((code, name) for _, code, name in cues if code != iso3), None)
        if named:
            warnings.append(f"the report names {named[1]!r} but state={state!r} was given")
        printed = next((name for _, code, name in cues if code == iso3), None)
        return iso3, state if len(state) != 3 else printed or state
    if not cues:
        _, read = detect_state(first)
        shown = f" (the title reads {read!r})" if read else ""
        raise LayoutChanged(
            f"State under review not found in the title, introduction, symbols or lead-ins{shown}; "
            "pass --state"
        )
    votes = Counter(code for _, code, _ in cues)
    best = max(votes.values())
    iso3 = next(code for _, code, _ in cues if votes[code] == best)
    others = sorted({f"{kind} {name!r}" for kind, code, name in cues if code != iso3})
    if others:
        warnings.append(f"State under review read as {iso3}, but found: {'; '.join(others)}")
    printed = next(name for _, code, name in cues if code == iso3)
    return iso3, _THE.sub("", printed)


def _state_cues(first: str, front: str, lead_ins: str) -> list[tuple[str, str, str]]:
    """(cue kind, ISO3, printed name): one vote per kind, its most frequent State."""
    cues: list[tuple[str, str, str]] = []
    code, name = detect_state(first)
    if code and name:
        cues.append(("in the title", code, name))
    held = _HELD.search(front)
    intro = front[held.start() : held.start() + INTRO_CHARS] if held else front[:INTRO_CHARS]
    kinds: tuple[tuple[str, list[tuple[str, str]]], ...] = (
        ("in the introduction", intro_states(intro)),
        ("in the review's symbols", [(c, _un_name(c)) for c in symbol_states(front)]),
        ("in the lead-ins", lead_in_states(lead_ins)),
    )
    for kind, found in kinds:
        if found:
            top = Counter(c for c, _ in found).most_common(1)[0][0]
            cues.append((kind, top, next(n for c, n in found if c == top)))
    return cues


def _un_name(iso3: str) -> str:
    info = state_by_iso3(iso3)
    return info.un_name if info else iso3


def _explicit_code(state: str, warnings: list[str]) -> str:
    """An explicit State argument that is no UN State name: a three-letter code is the caller's
    decision (a fictional sample, a territory) and is kept; anything else cannot make a key."""
    code = state.strip()
    if not _ISO3_LIKE.fullmatch(code):
        raise LayoutChanged(f"unknown State under review {state!r}")
    warnings.append(f"state={state!r} is not a UN member or observer State; kept as given")
    return code


def _wg_session(front: str, warnings: list[str]) -> int | None:
    """WG session from "held its fourth session"; else from the review's WG.6 symbols."""
    said = detect_wg_session(front)
    coded = Counter(symbol_wg_sessions(front)).most_common(1)
    from_symbols = coded[0][0] if coded else None
    if said and from_symbols and said != from_symbols:
        warnings.append(f"WG session {said} in the text, {from_symbols} in the review's symbols")
    return said or from_symbols


def _detected_cycle(
    wg_session: int | None, symbol: str | None, first: str, lead_ins: str, warnings: list[str]
) -> int | None:
    """Cycle from the WG session; from the HRC session (symbol, cover, deadline) without it."""
    if wg_session:
        return cycle_for_wg_session(wg_session)
    hrc_session = (
        (hrc_session_of(symbol) if symbol else None)
        or cover_hrc_session(first)
        or deadline_hrc_session(" ".join(lead_ins.split()))
    )
    cycle = cycle_for_hrc_session(hrc_session) if hrc_session else None
    if cycle is not None:
        warnings.append(
            f"WG session not found; cycle {cycle} inferred from HRC session {hrc_session}"
        )
    return cycle
