"""UN member and observer States: names as printed in UN documents -> ISO 3166 alpha-3.

UPR reports name recommending States in UN Protocol spelling ("Iran (Islamic
Republic of)"), in older UN spellings ("Libyan Arab Jamahiriya", "Swaziland"),
titles and introductions use UN formal names ("the Bolivarian Republic of
Venezuela", "the Plurinational State of Bolivia"),
and the research datasets we compare against use short forms ("Iran").  The
parser needs one stable key per State, so every spelling is normalised and
looked up *exactly* in a dict built once at import.  There is deliberately no
fuzzy matching: a wrong State attributed to a recommendation is worse than an
unresolved one, which at least gets flagged.

Scope: the 193 UN member States plus the two non-member observer States (Holy
See, State of Palestine), i.e. everyone who can take part in the UPR.  Kosovo
(not a UN member, not reviewed in and not speaking in the UPR, not in ISO 3166-1,
not a CoE member), Taiwan, the European Union, treaty bodies etc. -> ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from scrapers.countries_data import COE_MEMBERS, FORMAL_NAMES, STATES

__all__ = ["StateInfo", "all_states", "is_state_name", "normalize_name",
           "state_by_iso3", "to_iso3"]


@dataclass(frozen=True, slots=True)
class StateInfo:
    """One State: ISO3 key, short name, UN document spelling, CoE membership."""

    iso3: str
    name: str
    un_name: str
    coe_member: bool
    aliases: tuple[str, ...]


# Apostrophe look-alikes (curly quotes, modifier letters, backticks, primes).
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u201a\u201b\u02bc\u02bb\u2032`\u00b4"})
# Dash look-alikes -> ASCII hyphen; soft hyphen dropped (PDF line-break remnant).
_DASHES = str.maketrans({**{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"}, "\u00ad": None})
_WS = re.compile(r"\s+")
# Only hyphens *between* letters are joined: a dangling "Guinea-" is a truncated
# "Guinea-Bissau" and must not resolve to Guinea.
_HYPHEN = re.compile(r"(?<=\w)\s*-\s*(?=\w)")
_PAREN_OPEN = re.compile(r"\(\s+")
_PAREN_CLOSE = re.compile(r"\s+\)")
_TRAILING = re.compile(r"[\s.;,:]+$")
_ISO3 = re.compile(r"[A-Z]{3}")


def normalize_name(name: str) -> str:
    """Return the lookup key for a State name as it may appear in a UN document.

    NFKC, curly->straight quotes, casefold, accents stripped ("Cote" = "Côte"),
    whitespace collapsed (line breaks inside names), hyphens removed together
    with surrounding spaces ("Timor-\\nLeste", "Herze- govina"), apostrophes and
    periods removed ("St. Lucia" = "St Lucia"), "&" read as "and", trailing
    ``.;,:`` and one leading "the " dropped.
    """
    s = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).translate(_DASHES)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = _WS.sub(" ", s.casefold()).strip()
    s = _TRAILING.sub("", s)
    s = _HYPHEN.sub("", s).replace("'", "").replace(".", "").replace("&", " and ")
    s = _PAREN_CLOSE.sub(")", _PAREN_OPEN.sub("(", _WS.sub(" ", s))).strip()
    return s.removeprefix("the ")


def _build() -> tuple[dict[str, StateInfo], dict[str, str]]:
    """Build iso3->StateInfo and key->iso3 once; raise on any ambiguous key."""
    by_iso3: dict[str, StateInfo] = {}
    index: dict[str, str] = {}

    def add(label: str, iso3: str) -> None:
        key = normalize_name(label)
        if not key:
            return
        other = index.setdefault(key, iso3)
        if other != iso3:  # a key naming two States would make lookups wrong
            raise ValueError(f"ambiguous state name {label!r}: {other} vs {iso3}")

    for iso3, name, un_name, aliases in STATES:
        if iso3 in by_iso3:
            raise ValueError(f"duplicate iso3 {iso3}")
        by_iso3[iso3] = StateInfo(iso3, name, un_name, iso3 in COE_MEMBERS, aliases)
        for label in (un_name, name, *aliases):
            add(label, iso3)
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            raise ValueError(f"pycountry lacks {iso3}")
        for attr in ("name", "official_name", "common_name"):
            label = getattr(country, attr, None)
            if label:
                add(label, iso3)
    for iso3, formal in FORMAL_NAMES.items():
        if iso3 not in by_iso3:
            raise ValueError(f"formal name for unknown iso3 {iso3}")
        for label in formal:
            add(label, iso3)
    unknown = COE_MEMBERS - by_iso3.keys()
    if unknown:
        raise ValueError(f"CoE members not in table: {sorted(unknown)}")
    return by_iso3, index


_BY_ISO3, _INDEX = _build()
_SORTED: tuple[StateInfo, ...] = tuple(sorted(_BY_ISO3.values(), key=lambda s: s.iso3))


def to_iso3(name: str) -> str | None:
    """ISO3 code for a State name (any known spelling) or an ISO3 code; else None.

    ISO3 codes are accepted only in upper case, so that words such as "and" or
    "can" in running text are not mistaken for Andorra or Canada.
    """
    if not name:
        return None
    stripped = name.strip()
    if _ISO3.fullmatch(stripped) and stripped in _BY_ISO3:
        return stripped
    return _lookup(stripped)


@lru_cache(maxsize=4096)
def _lookup(name: str) -> str | None:
    """Cached normalise+lookup: the parser asks for the same few names again and again."""
    return _INDEX.get(normalize_name(name))


def is_state_name(name: str) -> bool:
    """True when ``name`` resolves to a UN member or observer State."""
    return to_iso3(name) is not None


def state_by_iso3(iso3: str) -> StateInfo | None:
    """The StateInfo for an ISO3 code (case-insensitive), or None."""
    return _BY_ISO3.get(iso3.strip().upper()) if iso3 else None


def all_states() -> list[StateInfo]:
    """All 195 States (193 UN members + Holy See + State of Palestine), by iso3."""
    return list(_SORTED)
