"""A report with one paragraph the parser cannot read still imports everything else: the run is
`partial`, the paragraph is named on the run and on the document, and `recwatch parse` prints it.
The report is the real Azerbaijan 2013 text (corpus) with one unclassifiable list inserted in
the middle of its conclusions; the expected rows come from the corpus ground truth."""

from __future__ import annotations

import pytest

from scrapers.upr_reports import parse_wg_report_text
from service.ingest.pipeline import import_bytes
from service.models import RunOutcome
from tests.scrapers.corpus_truth import load_truth, shifted
from tests.scrapers.test_upr_reports_corpus_edits import insert_paragraph, real_text, slot
from tests.conftest import corpus_file

pytestmark = pytest.mark.corpus

NAME = "azerbaijan2013"
ODD = ("{n}. The following recommendations were discussed at length with the delegation:\n"
       "{n}.1 Ratify the Convention on the Reduction of Statelessness (Chile);\n"
       "{n}.2 Invite the Special Rapporteur on education (Peru).")


def _edited_report() -> tuple[str, int, set[str]]:
    """The real text with the odd list inserted before the conclusions' second lead-in, and the
    item paragraphs the ground truth then expects (renumbered after the insertion)."""
    corpus_file(f"{NAME}.pdf")  # skips when the corpus is absent
    truth = load_truth(NAME)
    at = slot(truth)
    expected = {paragraph for paragraph, _, _ in shifted(truth, at).exact}
    return insert_paragraph(real_text(NAME), at, ODD.format(n=at)), at, expected


def test_one_unreadable_paragraph_makes_a_partial_run_that_keeps_everything_else(engine, settings,
                                                                                  client) -> None:
    text, at, expected = _edited_report()
    report = import_bytes(engine, settings, text.encode(), source="manual-import",
                          source_url="upload:azerbaijan2013-edited.txt",
                          parser=lambda data, url: parse_wg_report_text(data.decode(), source_url=url),
                          recorded_by="test")
    assert report.outcome is RunOutcome.PARTIAL
    listing = client.get("/api/v1/recommendations", params={"state": "AZE", "limit": 500}).json()
    imported = {item["paragraph"] for item in listing["items"]}
    assert expected <= imported and not any(p.startswith(f"{at}.") for p in imported)
    run = client.get("/api/v1/runs", params={"limit": 1}).json()["items"][0]
    assert run["outcome"] == "partial"
    unread = [e for e in run["errors"] if e["class"] == "UnreadPart"]
    assert len(unread) == 1 and unread[0]["message"].startswith(f"para {at}:")
    assert "discussed at length" in unread[0]["message"]
    document = client.get("/api/v1/documents", params={"state": "AZE"}).json()["items"][0]
    assert document["parse_problems"] == [unread[0]["message"]]
    page = client.get(f"/documents/{document['id']}")
    assert "Parts that could not be read" in page.text and f"para {at}:" in page.text
