"""The dashboard's pure parts: the signed session, link and redirect safety, charts, forms."""

from __future__ import annotations

import time
from datetime import date

from service.dashboard import auth
from service.dashboard.charts import Segment, TrendPoint, stacked_bar, trend_chart
from service.dashboard.forms import parse_assessment, parse_list_query
from service.dashboard.web import safe_href
from service.models import Role

SECRET = b"s" * 32


def test_a_session_round_trips_and_tampering_or_age_breaks_it():
    data = auth.new_session(auth.Viewer(7, "ana", Role.EDITOR))
    value = auth.encode(data, SECRET)
    assert auth.decode(value, SECRET) == data
    assert auth.decode(value, b"other" * 8) is None
    payload, _, mac = value.partition(".")
    assert auth.decode(payload + "x." + mac, SECRET) is None
    assert auth.decode("garbage", SECRET) is None
    assert auth.decode(value, SECRET, now=time.time() + auth.TTL_SECONDS + 5) is None


def test_csrf_tokens_must_match_the_session():
    data = auth.new_session()
    assert auth.csrf_ok(data, data.csrf)
    assert not auth.csrf_ok(data, "other") and not auth.csrf_ok(data, "") and not auth.csrf_ok(None, data.csrf)


def test_only_local_paths_are_followed_after_sign_in():
    assert auth.safe_next("/states/AZE?x=1") == "/states/AZE?x=1"
    for bad in ("//evil.example/", "https://evil.example/", "/\\evil.example", "", None, "javascript:alert(1)"):
        assert auth.safe_next(bad) == "/"


def test_only_web_links_are_printed():
    assert safe_href("https://www.ohchr.org/x?a=1") == "https://www.ohchr.org/x?a=1"
    assert safe_href("/api/v1/documents/1/raw") == "/api/v1/documents/1/raw"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "//evil.example", "file:///etc"):
        assert safe_href(bad) is None


def test_charts_escape_their_labels_and_say_their_numbers():
    svg = stacked_bar([Segment("<b>x</b>", 3, "st-acc"), Segment("no", 1, "st-rej")], name='"><script>')
    assert "<script>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "&lt;b&gt;x&lt;/b&gt; 3 (75 %)" in svg and "style=" not in svg
    trend = trend_chart([TrendPoint("Cycle 1", 0.5, 0.1), TrendPoint("Cycle 2", None, 0.2)], name="t")
    assert "Cycle 1: accepted 50 %, implemented 10 %" in trend and "Cycle 2: accepted n/a" in trend
    assert stacked_bar([], name="empty").count("<rect") == 1


def test_the_filter_form_reads_every_api_filter():
    q = parse_list_query({"q": " torture ", "state": "Azerbaijan", "recommending_state": "nor",
                          "mechanism": "upr", "cycle": "2", "position": "noted",
                          "implementation": "unknown", "status": "rejected", "theme": "Women",
                          "sdg": "16", "affected": "Children", "sort": "-updated_at"})
    assert q.errors == {}
    assert (q.flt.state, q.flt.recommending_state, q.flt.cycle, q.flt.q) == ("AZE", "NOR", 2, "torture")
    assert q.url() == ("/recommendations?q=torture&state=AZE&recommending_state=NOR&mechanism=upr&cycle=2"
                       "&position=noted&implementation=unknown&status=rejected&theme=Women&sdg=16"
                       "&affected=Children&sort=-updated_at")
    bad = parse_list_query({"mechanism": "un", "cycle": "0", "sort": "drop table"})
    assert set(bad.errors) == {"mechanism", "cycle", "sort"} and bad.url() == "/recommendations"


def test_an_assessment_needs_a_choice_a_past_date_and_evidence():
    today = date(2026, 1, 10)
    ok = parse_assessment({"implementation": "implemented", "effective_on": "2025-12-01",
                           "evidence_document_id": "4"}, {4}, today)
    assert ok.errors == {}
    bad = parse_assessment({"implementation": "unknown", "effective_on": "2026-02-01",
                            "evidence_url": "javascript:alert(1)", "evidence_document_id": "5"}, {4}, today)
    assert set(bad.errors) == {"implementation", "effective_on", "evidence_url", "evidence_document_id"}
    none = parse_assessment({"implementation": "implemented", "effective_on": "2025-01-01"}, set(), today)
    assert "needs evidence" in none.errors["evidence_url"]
