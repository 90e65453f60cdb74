"""Which State a PACE text is about: names and adjectives ("the Azerbaijani authorities").

Names come from `scrapers.countries`; adjectives from the small table below (Council of Europe
members, plus Russia and Belarus, about which PACE adopted texts too). Exact, case-sensitive
word matches only: a wrong State is worse than none, which is reported.
"""

from __future__ import annotations

import re
from functools import lru_cache

from scrapers.countries import all_states

__all__ = ["states_named"]

DEMONYMS: dict[str, str] = {
    "Albanian": "ALB", "Andorran": "AND", "Armenian": "ARM", "Austrian": "AUT",
    "Azerbaijani": "AZE", "Azeri": "AZE", "Belgian": "BEL", "Bosnian": "BIH",
    "Bulgarian": "BGR", "Croatian": "HRV", "Cypriot": "CYP", "Czech": "CZE", "Danish": "DNK",
    "Estonian": "EST", "Finnish": "FIN", "French": "FRA", "Georgian": "GEO", "German": "DEU",
    "Greek": "GRC", "Hungarian": "HUN", "Icelandic": "ISL", "Irish": "IRL", "Italian": "ITA",
    "Latvian": "LVA", "Liechtenstein": "LIE", "Lithuanian": "LTU", "Luxembourg": "LUX",
    "Maltese": "MLT", "Moldovan": "MDA", "Monegasque": "MCO", "Montenegrin": "MNE",
    "Dutch": "NLD", "Macedonian": "MKD", "Norwegian": "NOR", "Polish": "POL",
    "Portuguese": "PRT", "Romanian": "ROU", "San Marinese": "SMR", "Serbian": "SRB",
    "Slovak": "SVK", "Slovenian": "SVN", "Spanish": "ESP", "Swedish": "SWE", "Swiss": "CHE",
    "Turkish": "TUR", "Ukrainian": "UKR", "British": "GBR", "Russian": "RUS",
    "Belarusian": "BLR",
}


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every name, alias and adjective, longest first."""
    table: dict[str, str] = dict(DEMONYMS)
    for state in all_states():
        for label in (state.name, state.un_name, *state.aliases):
            if len(label) > 3 and "(" not in label:  # "UK"-style aliases are too ambiguous
                table.setdefault(label, state.iso3)
    names = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    return pattern, table


def states_named(text: str) -> list[str]:
    """ISO3 codes of the States named in `text`, in order of first mention, without repeats."""
    pattern, table = _pattern()
    found: list[str] = []
    for match in pattern.finditer(text):
        iso3 = table[match.group(0)]
        if iso3 not in found:
            found.append(iso3)
    return found
