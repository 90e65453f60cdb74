"""Hand-written WG report texts for the parser tests: a report head and end around a body."""

from __future__ import annotations

from pathlib import Path

from scrapers.records import ParsedDocument, ScrapedRecommendation
from scrapers.upr_reports import parse_wg_report_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upr_reports"
URL = "https://documents.un.org/test.pdf"

HEAD = """Human Rights Council
Report of the Working Group on the Universal
Periodic Review*
Azerbaijan
United Nations A/HRC/24/13
General Assembly Distr.: General
5 July 2013
1. The Working Group on the Universal Periodic Review held its sixteenth session from 22
April to 3 May 2013.
II. Conclusions and/or recommendations**
"""
END = """
111. All conclusions and/or recommendations contained in the present report reflect
the position of the submitting State(s) and/or the State under review.
Annex
"""
PENDING_LEAD = "109. The following recommendations will be examined by Azerbaijan:\n"


def parse(body: str, **kwargs: object) -> ParsedDocument:
    text = HEAD + body + END
    return parse_wg_report_text(text, source_url=URL, **kwargs)  # type: ignore[arg-type]


def by_paragraph(parsed: ParsedDocument) -> dict[str, ScrapedRecommendation]:
    return {r.paragraph: r for r in parsed.recommendations}


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")
