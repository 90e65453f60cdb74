"""`parse_exec_results`: one HUDOC-EXEC results page (JSON) -> ParsedDocument.

Case rows (collection `CEC`) become recommendations keyed `coe_exec/{ISO3}/{execidentifier}`;
a closed case with its Final Resolution becomes an `implemented` record. Document rows (action
plans, action reports, CM decisions, resolutions) become dated timeline links of the case they
belong to, found through a `CaseIndex` built from case pages parsed before.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from scrapers.coe_exec._values import (
    COLLECTION_ROLES,
    KNOWN_COLLECTIONS,
    SUPERVISION,
    Row,
    as_bool,
    as_date,
    codes,
    first,
)
from scrapers.countries import state_by_iso3
from scrapers.errors import EmptyScrape, LayoutChanged, NotADocument
from scrapers.records import (
    DocumentKind,
    ExternalId,
    Implementation,
    Mechanism,
    ParsedDocument,
    Position,
    ScrapedDocument,
    ScrapedImplementation,
    ScrapedLink,
    ScrapedRecommendation,
)

__all__ = ["PARSER_NAME", "PARSER_VERSION", "CaseIndex", "case_key", "case_url", "load_results",
           "parse_exec_results"]

PARSER_NAME = "coe_exec"
PARSER_VERSION = "1.0.0"
PUBLIC_BASE = "https://hudoc.exec.coe.int"
_TITLE_DATE = re.compile(r"\((\d{2}/\d{2}/\d{4})\)")
_WORDING = {"enhanced": "Execution supervised (enhanced procedure)",
            "standard": "Execution supervised (standard procedure)",
            "awaiting_classification": "Execution supervised (awaiting classification)"}


def case_key(iso3: str, identifier: str) -> str:
    """`coe_exec/AZE/004-47097`: the case is the unit, there is no paragraph."""
    return f"coe_exec/{iso3}/{identifier}"


def case_url(identifier: str) -> str:
    return f"{PUBLIC_BASE}/eng?i={quote(identifier, safe='()-')}"


@dataclass
class CaseIndex:
    """Case keys by group id and application number, to attach documents to their case."""

    by_group: dict[str, set[str]] = field(default_factory=dict)
    by_appno: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, parsed: Iterable[ParsedDocument]) -> CaseIndex:
        index = cls()
        for doc in parsed:
            for rec in doc.recommendations:
                index.add(rec)
        return index

    def add(self, rec: ScrapedRecommendation) -> None:
        if group := rec.attributes.get("group_id"):
            self.by_group.setdefault(group, set()).add(rec.key)
        for appno in filter(None, rec.attributes.get("appno", "").split(";")):
            self.by_appno.setdefault(appno, set()).add(rec.key)

    def keys_for(self, row: Row) -> list[str]:
        """Keys of the cases a document row belongs to: by group, else by application number."""
        keys = set(self.by_group.get(first(row.get("execmastergroupid")) or "", set()))
        if not keys:
            for appno in codes(row.get("execappno")) + codes(row.get("execprecedentappnos")):
                keys |= self.by_appno.get(appno, set())
        state = first(row.get("execstate"))
        return sorted(k for k in keys if state is None or k.startswith(f"coe_exec/{state}/"))


def load_results(data: bytes | dict[str, Any], *, url: str) -> dict[str, Any]:
    """The JSON object of a results page, its shape checked (`resultcount`, `results`)."""
    if isinstance(data, (bytes, bytearray)):
        try:
            data = json.loads(bytes(data).decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise NotADocument(f"HUDOC-EXEC answered with something other than JSON: {exc}",
                               url=url) from exc
        except RecursionError as exc:
            raise NotADocument("HUDOC-EXEC answered with JSON nested too deeply to read",
                               url=url) from exc
    if not isinstance(data, dict) or not isinstance(data.get("results"), list) \
            or not isinstance(data.get("resultcount"), int):
        raise LayoutChanged("HUDOC-EXEC page without 'resultcount' (int) and 'results' (list)",
                            url=url)
    return data


def parse_exec_results(data: bytes | dict[str, Any], *, url: str,
                       cases: CaseIndex | None = None) -> ParsedDocument:
    """Parse one results page; `cases` lets document rows link to cases parsed earlier.

    Raises EmptyScrape on `resultcount: 0` (a malformed query looks exactly like that: only the
    canary can tell), LayoutChanged on a missing structure, NotADocument on non-JSON bodies.
    """
    page = load_results(data, url=url)
    try:
        return _parse_page(data, page, cases, url=url)
    except RecursionError as exc:  # a value nested thousands deep: no real page looks like it
        raise LayoutChanged("HUDOC-EXEC page with values nested too deeply to read",
                            url=url) from exc


def _parse_page(data: bytes | dict[str, Any], page: dict[str, Any], cases: CaseIndex | None, *,
                url: str) -> ParsedDocument:
    if page["resultcount"] == 0:
        raise EmptyScrape("HUDOC-EXEC resultcount 0: malformed query or nothing to read", url=url)
    parsed = ParsedDocument(document=_document(data, page, url=url))
    warnings: list[str] = []
    seen: set[str] = set()
    unlinked: dict[str, int] = {}
    for index, result in enumerate(page["results"]):
        row = result.get("columns") if isinstance(result, dict) else None
        if not isinstance(row, dict):
            raise LayoutChanged(f"HUDOC-EXEC result {index} has no 'columns' object", url=url)
        collections = codes(row.get("execdocumenttypecollection"))
        for code in collections:
            if code not in KNOWN_COLLECTIONS:
                warnings.append(f"row {index}: unknown collection code {code!r} kept raw")
        if "CEC" in collections or first(row.get("execdocumenttype")) == "CEC":
            _case_row(parsed, row, index, seen, warnings, url=url)
        elif role := next((COLLECTION_ROLES[c] for c in collections if c in COLLECTION_ROLES),
                          None):
            parsed.links += _document_links(row, role, cases, warnings)
        else:
            label = ";".join(collections) or "none"
            unlinked[label] = unlinked.get(label, 0) + 1
    if unlinked:
        warnings.append("rows not linked (collection: count): "
                        + ", ".join(f"{k}: {v}" for k, v in sorted(unlinked.items())))
    states = {r.state for r in parsed.recommendations}
    parsed.document.state_under_review = states.pop() if len(states) == 1 else None
    parsed.warnings = warnings
    return parsed


def _document(data: bytes | dict[str, Any], page: dict[str, Any], *, url: str) -> ScrapedDocument:
    raw = bytes(data) if isinstance(data, (bytes, bytearray)) else \
        json.dumps(page, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return ScrapedDocument(
        mechanism=Mechanism.COE_EXEC, kind=DocumentKind.EXEC_RECORD,
        title=f"HUDOC-EXEC results ({len(page['results'])} of {page['resultcount']} rows)",
        source_url=url, content_type="application/json", sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw), parser=PARSER_NAME, parser_version=PARSER_VERSION)


def _case_row(parsed: ParsedDocument, row: Row, index: int, seen: set[str], warnings: list[str],
              *, url: str) -> None:
    identifier = first(row.get("execidentifier"))
    if identifier is None:
        raise LayoutChanged(f"HUDOC-EXEC case row {index} without execidentifier", url=url)
    iso3 = first(row.get("execstate"))
    language = first(row.get("execlanguage"))
    if iso3 is None or state_by_iso3(iso3) is None or iso3 != iso3.upper():
        warnings.append(f"{identifier}: unknown execstate {iso3!r} kept out (no State to key it)")
        return
    if language not in (None, "ENG"):
        warnings.append(f"{identifier}: execlanguage {language!r} skipped (English rows only)")
        return
    if identifier in seen:
        warnings.append(f"{identifier}: repeated on the page; first row kept")
        return
    seen.add(identifier)
    rec = _recommendation(row, identifier, iso3, warnings, url=url)
    parsed.recommendations.append(rec)
    closed = rec.attributes.get("is_closed") == "true"
    if closed and (implementation := _closure(row, rec, identifier, warnings, url=url)):
        parsed.implementations.append(implementation)


def _recommendation(row: Row, identifier: str, iso3: str, warnings: list[str], *,
                    url: str) -> ScrapedRecommendation:
    attributes = _attributes(row, identifier, warnings)
    title, summary = first(row.get("exectitle")), first(row.get("execshortdesc"))
    if title is None:
        warnings.append(f"{identifier}: no exectitle")
    text = (". ".join(t.rstrip(".") for t in (title, summary) if t)
            or f"Case {attributes.get('appno')}")
    final_judgment, _ = as_date(row, "execfinaljudgmentdate")
    return ScrapedRecommendation(
        key=case_key(iso3, identifier), mechanism=Mechanism.COE_EXEC, state=iso3,
        paragraph=None, text=text, position=Position.PENDING,
        position_wording=_wording(attributes), effective_on=final_judgment, source_url=url,
        evidence=f"HUDOC-EXEC {identifier}", attributes=attributes,
        external_ids=[ExternalId(source="hudoc_exec", external_id=identifier,
                                 url=case_url(identifier))])


def _attributes(row: Row, identifier: str, warnings: list[str]) -> dict[str, str]:
    """Source codes kept raw; only the codes SOURCES.md §8.2 defines are interpreted."""
    out: dict[str, str] = {}
    supervision = first(row.get("execsupervision"))
    if supervision:
        out["supervision_raw"] = supervision
        if supervision.upper() in SUPERVISION:
            out["supervision"] = SUPERVISION[supervision.upper()]
        else:
            warnings.append(f"{identifier}: unknown execsupervision {supervision!r} kept raw")
    for name, source in (("is_closed", "execisclosed"), ("is_leading", "execisprecedent")):
        raw = first(row.get(source))
        value = as_bool(row.get(source))
        if value is not None:
            out[name] = "true" if value else "false"
        elif raw is not None:
            out[f"{name}_raw"] = raw
            warnings.append(f"{identifier}: {source} value {raw!r} is not True/False; kept raw")
    for name, source in (("appno", "execappno"), ("violations", "execviolations"),
                         ("collections", "execdocumenttypecollection"), ("case_type", "exectype")):
        if values := codes(row.get(source)):
            out[name] = ";".join(values)
    for name, source in (
            ("group_id", "execmastergroupid"), ("group", "execgroup"),
            ("short_status", "execshortstatusexecution"), ("ap_status", "execapstatus"),
            ("payment_status", "execpaymentstatus"), ("resolution_number", "execresolutionnumber"),
            ("content_store_id", "execcontentstoreid"), ("language", "execlanguage"),
            ("theme", "execthemedomain"), ("id", "id")):
        if value := first(row.get(source)):
            out[name] = value
    for name, source in (("judgment_date", "execjudgmentdate"),
                         ("final_judgment_date", "execfinaljudgmentdate"),
                         ("final_resolution_date", "execfinalresolutiondate")):
        when, raw = as_date(row, source)
        if when:
            out[name] = when.isoformat()
        elif raw:
            warnings.append(f"{identifier}: unreadable {source} {raw!r}")
    return out


def _wording(attributes: dict[str, str]) -> str:
    if attributes.get("is_closed") == "true":
        return "Execution supervision closed"
    if supervision := attributes.get("supervision"):
        return _WORDING[supervision]
    return f"Execution supervised (supervision {attributes.get('supervision_raw', 'not given')})"


def _closure(row: Row, rec: ScrapedRecommendation, identifier: str, warnings: list[str], *,
             url: str) -> ScrapedImplementation | None:
    """A closed case with its Final Resolution: the CM's own finding, no confirmation needed."""
    resolution = first(row.get("execresolutionnumber"))
    if resolution is None:
        warnings.append(f"{identifier}: closed without execresolutionnumber; not recorded as "
                        "implemented")
        return None
    if not resolution.startswith("CM/ResDH("):
        warnings.append(f"{identifier}: resolution number {resolution!r} not in the "
                        "CM/ResDH(YYYY)N form; kept as printed")
    closed_on, _ = as_date(row, "execfinalresolutiondate")
    return ScrapedImplementation(
        key=rec.key, implementation=Implementation.IMPLEMENTED,
        wording=f"Closed by Final Resolution {resolution}", evidence=resolution,
        evidence_url=case_url(identifier), effective_on=closed_on, source_url=url)


def _document_links(row: Row, role: str, cases: CaseIndex | None,
                    warnings: list[str]) -> list[ScrapedLink]:
    identifier = first(row.get("execidentifier"))
    reference = first(row.get("execdocumentreference"))
    title = first(row.get("exectitle")) or reference or identifier or "HUDOC-EXEC document"
    if role == "final_resolution" and re.search(r"\binterim resolution\b", title, re.IGNORECASE):
        role = "interim_resolution"
    keys = cases.keys_for(row) if cases is not None else []
    if not keys:
        warnings.append(f"{reference or identifier}: no known case for group "
                        f"{first(row.get('execmastergroupid'))!r} / appno "
                        f"{';'.join(codes(row.get('execappno'))) or None!r}; link not emitted")
        return []
    when = _document_date(row, title)
    return [ScrapedLink(key=key, role=role, title=title, reference=reference, effective_on=when,
                        url=case_url(identifier) if identifier else None) for key in keys]


def _document_date(row: Row, title: str) -> date | None:
    """The document's own date in its title ("Action report (23/03/2026)"), else publication."""
    if match := _TITLE_DATE.search(title):
        when, _ = as_date({"dastext": match.group(1)}, "d")
        if when:
            return when
    return as_date(row, "execpublisheddate")[0]
