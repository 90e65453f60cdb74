"""WG report parser on hand-written texts: section boundaries, errors, metadata and records."""

from __future__ import annotations

from datetime import date

import pytest

from scrapers.errors import LayoutChanged, NotADocument, ScrapeError
from scrapers.records import DocumentKind
from scrapers.upr_reports import PARSER_NAME, PARSER_VERSION, parse_wg_report, parse_wg_report_text
from tests.scrapers.pdfmaker import make_pdf
from tests.scrapers.wg_report_text import (
    END,
    HEAD,
    PENDING_LEAD,
    URL,
    by_paragraph,
    fixture,
    parse,
)

# --- section boundaries, prose and errors --------------------------------------------------


def test_prose_after_last_item_is_left_out() -> None:
    recs = by_paragraph(parse_wg_report_text(fixture("cycle1_report.txt"), source_url=URL))
    assert (
        recs["96.5"].text == "Continue to engage with civil society in the follow-up to the review"
    )
    assert recs["96.3"].recommending_states == ["HUN"]  # "61." opening a line is not item 61


def test_footnote_is_not_part_of_the_item() -> None:
    recs = by_paragraph(parse_wg_report_text(fixture("cycle2_report.txt"), source_url=URL))
    assert recs["109.8"].recommending_states == ["BRA"]
    assert "interactive dialogue" not in recs["109.9"].text
    assert recs["109.9"].recommending_states == ["TLS"]


def test_next_chapter_ends_the_section() -> None:
    parsed = parse(
        PENDING_LEAD + "109.1 Ratify CPED (Chile).\nIII. Voluntary pledges and commitments\n"
        "110. Azerbaijan pledged to submit its reports:\n1. Report to CAT (Chile)."
    )
    assert [r.paragraph for r in parsed.recommendations] == ["109.1"]


def test_text_after_end_anchor_is_ignored() -> None:
    parsed = parse(PENDING_LEAD + "109.1 Ratify CPED (Chile).")
    assert len(parsed.recommendations) == 1


def test_missing_end_anchor_falls_back_to_annex_with_warning() -> None:
    text = HEAD + PENDING_LEAD + "109.1 Ratify CPED (Chile).\nAnnex\n1. Mr. X, Minister\n"
    parsed = parse_wg_report_text(text, source_url=URL)
    assert [r.paragraph for r in parsed.recommendations] == ["109.1"]
    assert any("closing" in w for w in parsed.warnings)


def test_no_conclusions_section_is_not_a_wg_report() -> None:
    with pytest.raises(LayoutChanged, match="heading") as info:
        parse_wg_report_text(
            "Addendum\nViews on conclusions and/or recommendations\n1. Text", source_url=URL
        )
    assert info.value.url == URL


def test_conclusions_without_items_raise() -> None:
    with pytest.raises(LayoutChanged, match="no recommendation items"):
        parse("109. The recommendations formulated during the dialogue are in the annex.")


def test_only_scrape_errors_escape() -> None:
    with pytest.raises(NotADocument):
        parse_wg_report(b"<!DOCTYPE html><html>Not found</html>", source_url=URL)
    for data in (b"%PDF-1.4\n\x00\x01\x02%%EOF", b"\x89PNG\r\n\x1a\n"):
        with pytest.raises(ScrapeError):
            parse_wg_report(data, source_url=URL)


# --- metadata and records ------------------------------------------------------------------


def test_document_metadata_detected() -> None:
    parsed = parse_wg_report_text(fixture("cycle2_report.txt"), source_url=URL)
    doc = parsed.document
    assert (doc.symbol, doc.state_under_review, doc.wg_session, doc.cycle) == (
        "A/HRC/24/99",
        "BOL",
        16,
        2,
    )
    assert doc.published_on == date(2013, 7, 5)
    assert doc.kind is DocumentKind.WG_REPORT
    assert (doc.parser, doc.parser_version) == (PARSER_NAME, PARSER_VERSION)
    rec = parsed.recommendations[0]
    assert rec.key == "upr/BOL/2/109.1" and rec.state == "BOL" and rec.cycle == 2
    assert rec.source_url == URL and rec.effective_on == date(2013, 7, 5)


def test_cycle1_metadata() -> None:
    doc = parse_wg_report_text(fixture("cycle1_report.txt"), source_url=URL).document
    assert (doc.symbol, doc.state_under_review, doc.wg_session, doc.cycle) == (
        "A/HRC/11/98",
        "LAO",
        4,
        1,
    )


def test_explicit_arguments_override_detection() -> None:
    parsed = parse(
        PENDING_LEAD + "109.1 Ratify CPED (Chile).",
        symbol="A/HRC/24/13/X",
        state="Armenia",
        cycle=3,
    )
    rec = parsed.recommendations[0]
    assert rec.key == "upr/ARM/3/109.1" and rec.evidence == "A/HRC/24/13/X para. 109"
    assert any("cycle" in w for w in parsed.warnings) and any(
        "Armenia" in w for w in parsed.warnings
    )


def test_cycle_from_symbol_when_session_missing() -> None:
    text = (HEAD + PENDING_LEAD + "109.1 Ratify CPED (Chile)." + END).replace(
        "sixteenth session", "session"
    )
    parsed = parse_wg_report_text(text, source_url=URL)
    assert parsed.document.cycle == 2 and parsed.document.wg_session is None
    with pytest.raises(LayoutChanged, match="cycle"):
        parse_wg_report_text(text.replace("A/HRC/24/13", "A/HRC"), source_url=URL)


def test_unknown_state_argument_raises() -> None:
    with pytest.raises(LayoutChanged, match="Atlantis"):
        parse(PENDING_LEAD + "109.1 Ratify CPED (Chile).", state="Atlantis")


def test_explicit_code_outside_the_un_list_is_kept() -> None:
    parsed = parse(PENDING_LEAD + "109.1 Ratify CPED (Chile).", state="XSA")
    assert parsed.recommendations[0].key == "upr/XSA/2/109.1"
    assert any("not a UN member" in w for w in parsed.warnings)


def test_pdf_end_to_end_matches_text_parse() -> None:
    pages = fixture("cycle2_report.txt").split("\f")
    from_pdf = parse_wg_report(make_pdf(pages), source_url=URL)
    from_text = parse_wg_report_text("\f".join(pages), source_url=URL)
    assert from_pdf.document.content_type == "application/pdf"
    assert [
        (r.paragraph, r.recommending_states, r.position, r.text) for r in from_pdf.recommendations
    ] == [
        (r.paragraph, r.recommending_states, r.position, r.text) for r in from_text.recommendations
    ]
