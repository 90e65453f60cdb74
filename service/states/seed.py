"""Seeds the State table from the maintained country list in scrapers.countries."""

from __future__ import annotations

from sqlmodel import Session, select

from scrapers import countries
from service.models import State

# ISO 3166 reserves X-codes for user assignment: the fictional sample state can never collide.
SAMPLE_STATE = State(iso3="XSA", name="Sampleland (fictional sample data)",
                     un_name="Sampleland (fictional sample data)", coe_member=False)


def seed_states(session: Session) -> int:
    """Insert every UN member and observer state that is missing; returns how many were added."""
    have = set(session.exec(select(State.iso3)).all())
    added = 0
    for info in countries.all_states():
        if info.iso3 not in have:
            session.add(State(iso3=info.iso3, name=info.name, un_name=info.un_name,
                              coe_member=info.coe_member))
            added += 1
    return added


def ensure_state(session: Session, iso3: str) -> None:
    """Make sure `iso3` exists before a row refers to it; unknown codes are a caller error.
    States found stored are remembered for the session (an import asks once per review)."""
    seen: set[str] = session.info.setdefault("states_stored", set())
    if iso3 in seen:
        return
    if session.exec(select(State.id).where(State.iso3 == iso3)).first() is not None:
        seen.add(iso3)
        return
    if iso3 == SAMPLE_STATE.iso3:
        session.add(State.model_validate(SAMPLE_STATE.model_dump(exclude={"id"})))
        session.flush()
        return
    info = countries.state_by_iso3(iso3)
    if info is None:
        raise ValueError(f"unknown state code {iso3!r}")
    session.add(State(iso3=info.iso3, name=info.name, un_name=info.un_name, coe_member=info.coe_member))
    session.flush()
