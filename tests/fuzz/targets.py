"""Every scraper parse function under fuzz, behind one call shape: ``target.call(input)``.

``kind`` says what a target eats: ``bytes`` (a downloaded file), ``text`` (a document's text,
pages split by form feeds), ``pages`` (a list of page texts) or ``json`` (a decoded JSON value).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scrapers import detect, text
from scrapers.coe_exec import parse_exec_results
from scrapers.pace import parse_pace_page
from scrapers.upr_addendum import parse_addendum, parse_addendum_text
from scrapers.upr_info import parse_entity, parse_export
from scrapers.upr_matrix import parse_thematic_list
from scrapers.upr_reports import parse_wg_report, parse_wg_report_text

__all__ = ["TARGETS", "Target", "target"]

URL = "https://fuzz.example.test/input"


@dataclass(frozen=True)
class Target:
    """One parse entry point: its name, input kind and a one-argument caller."""

    name: str
    kind: str
    call: Callable[[Any], Any]


def _sniff(data: bytes) -> str:
    kind = text.sniff_format(data)
    assert kind in {"pdf", "docx", "doc", "html", "json", "unknown"}, kind
    return kind


def _clean(pages: list[str]) -> str:
    out = text.clean_text(pages)
    assert isinstance(out, str)
    return out


TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("wg_report", "bytes", lambda d: parse_wg_report(d, source_url=URL)),
    Target("wg_report_text", "text", lambda s: parse_wg_report_text(s, source_url=URL)),
    Target("addendum", "bytes", lambda d: parse_addendum(d, source_url=URL)),
    Target("addendum_text", "text", lambda s: parse_addendum_text(s, source_url=URL)),
    Target("thematic_list", "bytes", lambda d: parse_thematic_list(d, source_url=URL)),
    Target("upr_info_export", "bytes", parse_export),
    Target("upr_info_entity", "json", lambda v: parse_entity(v, url=URL)),
    Target("pace", "bytes", lambda d: parse_pace_page(d, url=URL)),
    Target("coe_exec", "bytes", lambda d: parse_exec_results(d, url=URL)),
    Target("coe_exec_json", "json", lambda v: parse_exec_results(v, url=URL)),
    Target("detect_kind", "bytes", detect.detect_kind),
    Target("pdf_pages", "bytes", lambda d: text.pdf_pages(d, url=URL)),
    Target("sniff_format", "bytes", _sniff),
    Target("clean_text", "pages", _clean),
)}


def target(name: str) -> Target:
    return TARGETS[name]
