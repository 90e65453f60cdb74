"""Full-text search: stemming, phrases, OR and NOT — the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from scrapers.records import Position
from service.ingest.importer import import_parsed
from service.search import fts5_query, websearch_query
from tests.service.helpers import report, scraped_rec

TEXTS = {
    "1.1": "Release all persons detained for exercising their right to freedom of expression",
    "1.2": "Ensure freedom of assembly and investigate the detention of journalists",
    "1.3": "Abolish the death penalty",
    "1.4": "Ratify the Convention against Torture and its Optional Protocol",
}


@pytest.fixture
def searchable(engine):
    with Session(engine) as s:
        import_parsed(s, report(b"%PDF search", [scraped_rec(p, t, ["NOR"], Position.PENDING)
                                                 for p, t in TEXTS.items()]), recorded_by="test")
        s.commit()


@pytest.mark.parametrize("q, paragraphs", [
    ("freedom", {"1.1", "1.2"}),
    ("journalist", {"1.2"}),                       # stemming: journalist ~ journalists
    ("detained", {"1.1"}),
    ('"freedom of expression"', {"1.1"}),           # phrase
    ('"expression of freedom"', set()),
    ("torture OR penalty", {"1.3", "1.4"}),          # boolean OR
    ("freedom -assembly", {"1.1"}),                  # negation
    ("freedom NOT assembly", {"1.1"}),
    ("freedom AND journalists", {"1.2"}),
    ("ratify optional protocol", {"1.4"}),
    ("'); DROP TABLE recommendation; --", set()),   # hostile input is just words
    ("*", set()),
    ("-freedom", set()),
])
def test_search_syntax(client, searchable, q, paragraphs):
    body = client.get("/api/v1/recommendations", params={"q": q}).json()
    assert {i["paragraph"] for i in body["items"]} == paragraphs
    assert body["total"] == len(paragraphs)


def test_fts5_translation_quotes_every_term():
    assert fts5_query('freedom "of expression" -assembly OR x') == '"freedom" AND "of expression" NOT "assembly" OR "x"'
    assert fts5_query("NOT alone") is None
    assert fts5_query("***") is None
    assert websearch_query('freedom "of expression" NOT assembly OR x') == 'freedom "of expression" -assembly or x'
