"""Tests for scrapers.countries: the State table and name -> ISO3 lookup."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from scrapers.countries import (
    StateInfo,
    all_states,
    is_state_name,
    normalize_name,
    state_by_iso3,
    to_iso3,
)
from scrapers.countries_data import FORMAL_NAMES

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


# --- the table -------------------------------------------------------------

def test_195_states_unique_sorted() -> None:
    states = all_states()
    assert len(states) == 195
    iso3s = [s.iso3 for s in states]
    assert len(set(iso3s)) == 195
    assert iso3s == sorted(iso3s)
    assert {"VAT", "PSE"} <= set(iso3s)
    assert all(len(s.iso3) == 3 and s.iso3.isupper() for s in states)


def test_all_states_returns_a_copy() -> None:
    all_states().clear()
    assert len(all_states()) == 195


def test_stateinfo_is_frozen() -> None:
    info = state_by_iso3("FRA")
    assert isinstance(info, StateInfo)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.name = "X"  # type: ignore[misc]


@pytest.mark.parametrize("info", all_states(), ids=lambda s: s.iso3)
def test_every_name_maps_back(info: StateInfo) -> None:
    assert to_iso3(info.un_name) == info.iso3
    assert to_iso3(info.name) == info.iso3
    assert to_iso3(info.iso3) == info.iso3
    for alias in info.aliases:
        assert to_iso3(alias) == info.iso3, alias
    assert state_by_iso3(info.iso3) is info


@pytest.mark.parametrize(("iso3", "un_name"), [
    ("BOL", "Bolivia (Plurinational State of)"),
    ("IRN", "Iran (Islamic Republic of)"),
    ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
    ("VEN", "Venezuela (Bolivarian Republic of)"),
    ("MDA", "Republic of Moldova"),
    ("PRK", "Democratic People's Republic of Korea"),
    ("LAO", "Lao People's Democratic Republic"),
    ("FSM", "Micronesia (Federated States of)"),
    ("TUR", "Türkiye"),
    ("CIV", "Côte d'Ivoire"),
    ("CPV", "Cabo Verde"),
    ("SWZ", "Eswatini"),
    ("MKD", "North Macedonia"),
    ("CZE", "Czechia"),
    ("TZA", "United Republic of Tanzania"),
    ("SYR", "Syrian Arab Republic"),
    ("RUS", "Russian Federation"),
    ("KOR", "Republic of Korea"),
    ("VNM", "Viet Nam"),
    ("BRN", "Brunei Darussalam"),
    ("NLD", "Netherlands (Kingdom of the)"),
    ("VAT", "Holy See"),
    ("PSE", "State of Palestine"),
    ("USA", "United States of America"),
    ("COD", "Democratic Republic of the Congo"),
    ("COG", "Congo"),
])
def test_un_names(iso3: str, un_name: str) -> None:
    assert state_by_iso3(iso3).un_name == un_name  # type: ignore[union-attr]


def test_coe_members() -> None:
    coe = {s.iso3 for s in all_states() if s.coe_member}
    assert len(coe) == 46
    assert {"AZE", "TUR", "UKR", "GBR", "ARM", "GEO", "MDA", "MCO", "SMR", "AND"} <= coe
    assert not {"RUS", "BLR", "VAT", "KAZ", "USA", "CAN", "ISR"} & coe


def test_state_by_iso3() -> None:
    assert state_by_iso3("gbr").iso3 == "GBR"  # type: ignore[union-attr]
    assert state_by_iso3("XKX") is None
    assert state_by_iso3("TWN") is None
    assert state_by_iso3("") is None


# --- lookup of variant spellings --------------------------------------------

TRICKY = {
    # historical / variant UN spellings
    "The former Yugoslav Republic of Macedonia": "MKD",
    "the former Yugoslav Republic of Macedonia": "MKD",
    "Swaziland": "SWZ",
    "Cape Verde": "CPV",
    "Czech Republic": "CZE",
    "Turkey": "TUR",
    "Turkiye": "TUR",
    "Côte d\u2019Ivoire": "CIV",
    "Cote d'Ivoire": "CIV",
    "Côte d'Ivoire": "CIV",
    "Ivory Coast": "CIV",
    "Holy See": "VAT",
    "State of Palestine": "PSE",
    "Palestine": "PSE",
    "Libyan Arab Jamahiriya": "LBY",
    "Democratic Republic of the Congo": "COD",
    "Congo": "COG",
    "Republic of the Congo": "COG",
    "Netherlands": "NLD",
    "the Netherlands": "NLD",
    "Kingdom of the Netherlands": "NLD",
    "Bolivia": "BOL",
    "Plurinational State of Bolivia": "BOL",
    "Venezuela": "VEN",
    "Bolivarian Republic of Venezuela": "VEN",
    "Iran": "IRN",
    "Islamic Republic of Iran": "IRN",
    "Syria": "SYR",
    "Russia": "RUS",
    "South Korea": "KOR",
    "the Republic of Korea": "KOR",
    "North Korea": "PRK",
    "Vietnam": "VNM",
    "Laos": "LAO",
    "Moldova": "MDA",
    "Tanzania": "TZA",
    "United States": "USA",
    "United States of America": "USA",
    "USA": "USA",
    "United Kingdom": "GBR",
    "the United Kingdom": "GBR",
    "UK": "GBR",
    "Micronesia": "FSM",
    "Federated States of Micronesia": "FSM",
    "Timor-Leste": "TLS",
    "East Timor": "TLS",
    "Sao Tome and Principe": "STP",
    "São Tomé and Príncipe": "STP",
    "Saint Vincent and the Grenadines": "VCT",
    "Saint Vincent & the Grenadines": "VCT",
    "St Lucia": "LCA",
    "Kyrgyzstan": "KGZ",
    "Kyrgyz Republic": "KGZ",
    "Brunei": "BRN",
    "Burma": "MMR",
    "Myanmar": "MMR",
    "Gambia": "GMB",
    "the Gambia": "GMB",
    "The Gambia": "GMB",
    "Bahamas": "BHS",
    "the Bahamas": "BHS",
    "the Niger": "NER",
    "Niger": "NER",
    "Nigeria": "NGA",
    "the Sudan": "SDN",
    "South Sudan": "SSD",
    "the Philippines": "PHL",
    "Guinea": "GIN",
    "Guinea-Bissau": "GNB",
    "Equatorial Guinea": "GNQ",
    "Dominica": "DMA",
    "Dominican Republic": "DOM",
    # document noise: line breaks, hyphenation, curly quotes, punctuation
    "United Kingdom of Great\nBritain and Northern Ireland": "GBR",
    "  Iran  (Islamic\tRepublic of)  ": "IRN",
    "Iran ( Islamic Republic of )": "IRN",
    "Democratic People\u2019s Republic of Korea": "PRK",
    "Lao People\u2019s Democratic Republic": "LAO",
    "Bosnia and Herze-\ngovina": "BIH",
    "Timor-\nLeste": "TLS",
    "Guinea\u2011Bissau": "GNB",
    "Timor\u2013Leste": "TLS",
    "France.": "FRA",
    "Spain;": "ESP",
    "Chile,": "CHL",
    "Norway:": "NOR",
    "FRANCE": "FRA",
    "france": "FRA",
    "Netherlands\u00a0(Kingdom of the)": "NLD",
    # ISO3 codes themselves
    "FRA": "FRA",
    "VAT": "VAT",
    " GBR ": "GBR",
}


@pytest.mark.parametrize(("name", "iso3"), list(TRICKY.items()))
def test_tricky_spellings(name: str, iso3: str) -> None:
    assert to_iso3(name) == iso3
    assert is_state_name(name)


NOT_STATES = [
    "", "   ", "European Union", "EU", "OP-CAT", "CEDAW", "CRPD", "OHCHR",
    "United Nations", "Kosovo", "Taiwan", "Hong Kong", "Puerto Rico",
    "Greenland", "Western Sahara", "Cook Islands", "Niue", "Korea", "Guinea-", "Guinea -", "-Bissau", "Timor-",
    "Congo Democratic", "Sudan South", "Iran (Islamic Republic)", "Franc",
    "Germany France", "Yugoslavia", "Serbia and Montenegro",
    # lower-case words that are ISO3 codes must not match
    "and", "can", "per", "nor", "mac", "us", "XKX", "EUR",
]


@pytest.mark.parametrize("name", NOT_STATES)
def test_non_states(name: str) -> None:
    assert to_iso3(name) is None
    assert not is_state_name(name)


def test_normalize_name() -> None:
    assert normalize_name("  The  Côte d\u2019Ivoire.\n") == "cote divoire"
    assert normalize_name("Bolivia ( Plurinational State of )") == "bolivia (plurinational state of)"


# --- developer corpus ------------------------------------------------------

# Values in the truth CSVs that are genuinely not States.  None so far: every
# recommending_state(_un) in the corpus is a UN member or observer State.
CORPUS_NON_STATES: frozenset[str] = frozenset()


@pytest.mark.corpus
def test_corpus_state_names_resolve() -> None:
    files = sorted(CORPUS.glob("*.truth.csv")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip(f"developer corpus not found at {CORPUS}")
    values: dict[str, set[str]] = {}
    for path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for col in ("recommending_state_un", "recommending_state"):
                    value = (row.get(col) or "").strip()
                    if value:
                        values.setdefault(value, set()).add(f"{path.name}:{col}")
    assert len(values) > 100
    unresolved = {v: sorted(w) for v, w in values.items()
                  if v not in CORPUS_NON_STATES and to_iso3(v) is None}
    for value, where in sorted(unresolved.items()):
        print(f"unresolved state name {value!r} in {', '.join(where)}")
    assert not unresolved, f"unresolved: {sorted(unresolved)}"


@pytest.mark.corpus
def test_corpus_un_and_short_names_agree() -> None:
    """Both columns of one row name the same State (catches wrong aliases)."""
    files = sorted(CORPUS.glob("*.truth.csv")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip(f"developer corpus not found at {CORPUS}")
    mismatches = set()
    for path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                un, short = row["recommending_state_un"], row["recommending_state"]
                if to_iso3(un) != to_iso3(short):
                    mismatches.add((path.name, un, short))
    assert not mismatches, sorted(mismatches)


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("the Bolivarian Republic of Venezuela", "VEN"),
        ("the Plurinational State of Bolivia", "BOL"),
        ("the Islamic Republic of Iran", "IRN"),
        ("the United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("the Federated States of Micronesia", "FSM"),
        ("the Co-operative Republic of Guyana", "GUY"),
        ("the Republic of the Union of Myanmar", "MMR"),
        ("Union of Myanmar", "MMR"),
        ("the Republic of Rwanda", "RWA"),
        ("the State of Libya", "LBY"),
        ("the Great Socialist People's Libyan Arab Jamahiriya", "LBY"),
        ("the Federation of Saint Kitts and Nevis", "KNA"),
        ("the Eastern Republic of Uruguay", "URY"),
        ("the Oriental Republic of Uruguay", "URY"),
        ("the Republic of the Niger", "NER"),
        ("the Republic of the Sudan", "SDN"),
        ("the Republic of South Sudan", "SSD"),
        ("the Republic of Guinea-Bissau", "GNB"),
        ("the Republic of Guinea", "GIN"),
        ("the Kingdom of Swaziland", "SWZ"),
        ("the Republic of Turkey", "TUR"),
    ],
)
def test_un_formal_names(name: str, iso3: str) -> None:
    """Titles and introductions print UN formal names; every State's must resolve."""
    assert to_iso3(name) == iso3


def test_formal_names_resolve_to_their_state() -> None:
    assert set(FORMAL_NAMES) <= {s.iso3 for s in all_states()}
    for iso3, names in FORMAL_NAMES.items():
        assert all(to_iso3(f"the {name}") == iso3 for name in names), iso3
