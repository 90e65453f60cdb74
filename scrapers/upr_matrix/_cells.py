"""Cells of a thematic list: themes/SDG/affected-person bullets, "Source of Position", and the
recommending States in brackets (same rules as WG reports, SOURCES.md §3.1:
``(France) (Lithuania)``, ``(Iran (Islamic Republic of))``, ``(Portugal, Slovakia)``; a group
counts only if all of it names States).
"""

from __future__ import annotations

import re

from scrapers.countries import to_iso3
from scrapers.text import split_outside_brackets

__all__ = ["attribution", "evidence", "extra_states", "state_code", "themes", "unique"]

_F = re.IGNORECASE
_SYMBOL = re.compile(r"A\s*/\s*HRC(?:\s*/\s*[A-Za-z0-9.]+)+", _F)
_PARA = re.compile(r"\bPara(?:graph)?s?\s*\.?\s*(\d{1,3})\b", _F)
_SUBHEAD = re.compile(
    r"^(?P<name>Affected\s+persons|Groups?\s+of\s+persons|SDGs?)\s*:\s*(?P<rest>.*)$", _F
)
_BULLET = re.compile(r"^[-\u2013\u2014\u2022\u00b7\u25aa*]\s*")


def themes(cell: str) -> tuple[list[str], list[str], list[str]]:
    """Bullets of a themes cell: themes, then "SDGs:", "Affected persons:"/"Groups of Persons:"."""
    lists: dict[str, list[str]] = {"themes": [], "sdgs": [], "persons": []}
    target = "themes"
    for line in cell.replace("\r", "\n").split("\n"):
        line = " ".join(line.split())
        sub = _SUBHEAD.match(line)
        if sub:
            target = "sdgs" if sub.group("name").lower().startswith("sdg") else "persons"
            line = sub.group("rest")
        entry = _BULLET.sub("", line).strip()
        if entry:
            lists[target].append(entry)
    return unique(lists["themes"]), unique(lists["sdgs"]), unique(lists["persons"])


def evidence(source: str, paragraph: str, warnings: list[str]) -> str | None:
    """``A/HRC/43/15/Add.1 - Para.3`` (any spelling) -> ``A/HRC/43/15/Add.1 para. 3``."""
    source = " ".join(source.split())
    if not source:
        warnings.append(f"{paragraph}: no 'Source of Position'")
        return None
    symbol = _SYMBOL.search(source)
    if symbol is None:
        warnings.append(f"{paragraph}: source of position without a symbol: {source!r}")
        return source
    cited = re.sub(r"\s", "", symbol.group(0)).rstrip(".")
    para = _PARA.search(source, symbol.end())
    return f"{cited} para. {para.group(1)}" if para else cited


def attribution(text: str, paragraph: str, warnings: list[str]) -> tuple[str, list[str], list[str]]:
    """(text without the final attribution, States as ISO3 or printed, names as printed)."""
    text = " ".join(text.split())
    groups = _groups(text)
    states: list[str] = []
    raw: list[str] = []
    resolved: list[tuple[int, int]] = []
    for start, end, inner in groups:
        names = _state_names(inner)
        if names:
            resolved.append((start, end))
            for name, code in names:
                if code not in states:
                    states.append(code)
                    raw.append(name)
    if not resolved and groups and _name_like(groups[-1][2]):
        name = " ".join(groups[-1][2].split())
        warnings.append(f"{paragraph}: unrecognised State name kept as printed: {name!r}")
        states, raw, resolved = [name], [name], [groups[-1][:2]]
    if not states:
        warnings.append(f"{paragraph}: no recommending State found")
    return _strip_trailer(text, resolved), states, raw


def _groups(text: str) -> list[tuple[int, int, str]]:
    """Top-level bracket groups (start, end, inner), one nesting level allowed inside."""
    out: list[tuple[int, int, str]] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "(":
            start = index if depth == 0 else start
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, index + 1, text[start + 1 : index]))
    return out


def _state_names(inner: str) -> list[tuple[str, str]]:
    """(printed, ISO3) pairs when the whole group names States ("Iran (Islamic Republic of)",
    "Portugal, Slovakia"); [] for "(OP-CAT)", "(2010)", "(CEDAW)"."""
    whole = " ".join(inner.split()).strip(" .;")
    if state_code(whole):
        return [(whole, state_code(whole))]  # type: ignore[list-item]
    parts = [p.strip(" .") for p in split_outside_brackets(inner)]
    codes = [state_code(p) for p in parts]
    if not parts or any(code is None for code in codes):
        return []
    return list(zip(parts, codes))  # type: ignore[arg-type]


def state_code(name: str) -> str | None:
    if not name or re.fullmatch(r"[A-Z]{2,4}", name) or re.search(r"\d", name):
        return None  # acronyms ("CAT", "CAN") and years are never States here
    return to_iso3(name)


def _name_like(inner: str) -> bool:
    name = " ".join(inner.split())
    return bool(
        re.fullmatch(r"[A-Z][\w'\u2019\-]*(?:\s+(?:of|the|and|[A-Z(][\w'\u2019\-()]*))*", name)
    ) and not re.fullmatch(r"[A-Z]{2,6}", name)


def _strip_trailer(text: str, state_groups: list[tuple[int, int]]) -> str:
    """Remove the run of State groups that ends the item, then the closing ';' or '.'."""
    end = len(text.rstrip(" ;,.:"))
    for start, stop in reversed(state_groups):
        if text[stop:end].strip(" /,;"):
            break
        end = start
    return text[:end].rstrip(" ;,.:")


def extra_states(cell: str, states: list[str], raw: list[str]) -> tuple[list[str], list[str]]:
    """Merge an older list's "Recommending state/s" column (comma, semicolon or line separated)."""
    states, raw = list(states), list(raw)
    for name in re.split(r"[;\n]|,(?![^(]*\))", cell):
        name = " ".join(name.split()).strip(" .")
        code = state_code(name) or (name or None)
        if code and code not in states:
            states.append(code)
            raw.append(name)
    return states, raw


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
