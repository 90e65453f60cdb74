"""Fetching UN documents by symbol: the resolver's redirect, magic-byte checks, the fallback."""

from __future__ import annotations

import pytest

from scrapers.errors import SourceUnavailable
from scrapers.http import HttpPolicy, PoliteClient, _HostLimiter
from scrapers.ods import fetch_pdf, normalise_symbol, resolver_url
from tests.fakes.source_server import Scripted

PDF = b"%PDF-1.7\n% a small stand-in for a UN report\n"
RESOLVER = "/api/symbol/access?s=A/HRC/39/14&l=en&t=pdf"


@pytest.fixture
def client():
    with PoliteClient(HttpPolicy(user_agent="recwatch/test", min_interval=0, backoff_base=0.01,
                                 attempts=2), limiter=_HostLimiter(), sleep=lambda s: None) as c:
        yield c


def test_symbol_slashes_stay_literal_in_the_url_sent(source_server, client):
    source_server.route(RESOLVER, Scripted(302, headers={"Location": "/doc/undoc/gen/g18/123/45/pdf/g1812345.pdf"}))
    source_server.route("/doc/undoc/gen/g18/123/45/pdf/g1812345.pdf",
                        Scripted(200, PDF, {"Content-Type": "application/pdf"}))
    doc = fetch_pdf(client, "a/hrc/39/14", ods_base=source_server.base_url, docs_base=source_server.base_url)
    assert doc.data == PDF and doc.symbol == "A/HRC/39/14"
    assert source_server.requests[0].path == RESOLVER
    assert doc.url.endswith("g1812345.pdf")


def test_html_answer_is_not_accepted_and_fallback_is_tried(source_server, client):
    source_server.route(RESOLVER, Scripted(200, b"<html>Document not found</html>", {"Content-Type": "text/html"}))
    source_server.route("/en/A/HRC/39/14?direct=true", Scripted(200, b"<html>viewer</html>",
                                                                 {"Content-Type": "text/html"}))
    with pytest.raises(SourceUnavailable) as info:
        fetch_pdf(client, "A/HRC/39/14", ods_base=source_server.base_url, docs_base=source_server.base_url)
    assert "expected a PDF" in str(info.value) and "html" in str(info.value)
    assert [r.path for r in source_server.requests] == [RESOLVER, "/en/A/HRC/39/14?direct=true"]


def test_error_redirect_means_unknown_symbol(source_server, client):
    source_server.route("/api/symbol/access?s=A/HRC/1/999&l=en&t=pdf", Scripted(302, headers={"Location": "/error"}))
    source_server.route("/en/A/HRC/1/999?direct=true", Scripted(404))
    with pytest.raises(SourceUnavailable, match="does not know A/HRC/1/999"):
        fetch_pdf(client, "A/HRC/1/999", ods_base=source_server.base_url, docs_base=source_server.base_url)


def test_docs_un_fallback_serves_the_pdf(source_server, client):
    source_server.route(RESOLVER, Scripted(500))
    source_server.route("/en/A/HRC/39/14?direct=true", Scripted(200, PDF))
    doc = fetch_pdf(client, "A/HRC/39/14", ods_base=source_server.base_url, docs_base=source_server.base_url)
    assert doc.data == PDF


@pytest.mark.parametrize("raw, norm", [("a/hrc/43/15/add.1", "A/HRC/43/15/Add.1"),
                                        (" A/HRC/ 24/13 ", "A/HRC/24/13"),
                                        ("A/HRC/WG.6/30/AZE/2/CORR.1", "A/HRC/WG.6/30/AZE/2/Corr.1")])
def test_normalise_symbol(raw, norm):
    assert normalise_symbol(raw) == norm


def test_resolver_url_shape():
    assert resolver_url("https://documents.un.org/", "A/HRC/39/14/Add.1", fmt="docx") == \
        "https://documents.un.org/api/symbol/access?s=A/HRC/39/14/Add.1&l=en&t=docx"
