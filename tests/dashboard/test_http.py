"""The dashboard over HTTP (no browser), on every test database backend: strict headers,
escaping, one address per query, htmx fragments, sessions, CSRF and the editor's write path."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.auth.keys import revoke_key
from service.config import Settings
from service.dashboard import auth
from service.dashboard import queries as dq
from tests.conftest import CORPUS
from tests.dashboard import data
from tests.dashboard.conftest import build_app


@dataclass
class Dash:
    client: TestClient
    ids: data.Loaded
    engine: object


def _dash(engine, settings: Settings) -> Iterator[Dash]:
    if not all((CORPUS / n).exists() for n in data.CORPUS_FILES):
        pytest.skip("corpus not available")
    ids = data.load(engine, settings, CORPUS)
    with TestClient(build_app(engine, settings)) as client:
        yield Dash(client, ids, engine)


@pytest.fixture
def dash(engine, settings) -> Iterator[Dash]:
    yield from _dash(engine, settings)


def sign_in(client: TestClient, key: str, next_url: str = "/") -> str:
    """Sign in like a browser; returns the session's CSRF token."""
    page = client.get("/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    res = client.post("/signin", data={"key": key, "csrf": csrf, "next": next_url}, follow_redirects=False)
    assert res.status_code == 303, res.text
    assert "httponly" in res.headers["set-cookie"].lower() and "samesite=lax" in res.headers["set-cookie"].lower()
    page = client.get(next_url)
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_pages_have_a_strict_csp_and_load_nothing_from_elsewhere(dash):
    ids = dash.ids
    for path in ("/", "/states/AZE", "/recommendations", f"/recommendations/{ids.xss_id}", "/sources",
                 "/documents/1", "/signin"):
        res = dash.client.get(path)
        assert res.status_code == 200, path
        csp = res.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "script-src 'self'" in csp
        loads = re.findall(r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="([^"]*)"', res.text)
        assert loads and all(u.startswith("/") and not u.startswith("//") for u in loads), (path, loads)
        assert ' style="' not in res.text, path


def test_source_text_is_escaped_everywhere_it_shows(dash):
    for path in (f"/recommendations/{dash.ids.xss_id}", "/recommendations?q=onerror", "/states/AZE"):
        html = dash.client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    assert "&lt;b&gt;Freedom&lt;/b&gt; of assembly" in dash.client.get("/states/AZE").text


def test_the_list_has_one_address_per_query(dash):
    res = dash.client.get("/recommendations?cycle=&state=aze&position=noted&sort=id", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/recommendations?state=AZE&position=noted"
    html = dash.client.get(res.headers["location"]).text
    assert re.search(r'id="results-h"[^>]*>4 recommendations match', html)


def test_bad_filter_values_are_explained_not_rejected(dash):
    res = dash.client.get("/recommendations?state=Atlantis&cycle=abc&cursor=garbage")
    assert res.status_code == 200
    assert "Unknown state “Atlantis”" in res.text and "A cycle is a number" in res.text
    assert "That page link has expired" in res.text


def test_htmx_gets_the_results_fragment_and_the_address_to_show(dash):
    res = dash.client.get("/recommendations?state=AZE&mechanism=pace&cycle=", headers={"HX-Request": "true"})
    assert res.status_code == 200 and res.text.lstrip().startswith('<section id="results"')
    assert res.headers["hx-push-url"] == "/recommendations?state=AZE&mechanism=pace"
    assert "<html" not in res.text and "HX-Request" in res.headers["vary"]
    restore = dash.client.get("/recommendations?state=AZE", headers={"HX-Request": "true",
                                                                     "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_the_state_page_counts_match_the_api(dash):
    api = dash.client.get("/api/v1/states/AZE").json()
    with Session(dash.engine) as s:
        total = dq.Tally.combine(dq.review_tallies(s, "AZE").values())
        recurring = dq.recurring(s, "AZE")
    assert total.status == {k: api["by_status"][k] for k in total.status}
    assert recurring and all(r.cycles >= 2 for r in recurring)
    html = dash.client.get("/states/AZE").text
    for piece in ("Recommended in 2 cycles", "/api/v1/reports/AZE?cycle=2&amp;format=docx",
                  "/feeds/changes.atom?state=AZE", "Mammadli group", "Enhanced",
                  "The functioning of democratic institutions in Azerbaijan"):
        assert piece in html, piece


def test_posting_an_assessment_needs_a_session_and_its_csrf_token(dash):
    url = f"/recommendations/{dash.ids.pace_id}/assessments"
    form = {"implementation": "implemented", "effective_on": "2024-01-02",
            "evidence_url": "https://example.org/x"}
    assert dash.client.post(url, data=form, follow_redirects=False).status_code == 403  # no session
    csrf = sign_in(dash.client, dash.ids.editor_key, f"/recommendations/{dash.ids.pace_id}")
    assert dash.client.post(url, data=form | {"csrf": "wrong"}, follow_redirects=False).status_code == 403
    assert dash.client.post(url, data=form | {"csrf": csrf}, headers={"Origin": "https://evil.example"},
                            follow_redirects=False).status_code == 403
    res = dash.client.post(url, data=form | {"csrf": csrf}, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].endswith("?saved=1#history")
    detail = dash.client.get(f"/api/v1/recommendations/{dash.ids.pace_id}").json()
    assert detail["implementation"] == "implemented" and detail["history"][-1]["recorded_by"] == "dashboard-editor"


def test_a_revoked_key_stops_writing_at_once(dash):
    csrf = sign_in(dash.client, dash.ids.editor_key, f"/recommendations/{dash.ids.pace_id}")
    with Session(dash.engine) as s:
        assert revoke_key(s, "dashboard-editor")
        s.commit()
    res = dash.client.post(f"/recommendations/{dash.ids.pace_id}/assessments", follow_redirects=False,
                           data={"csrf": csrf, "implementation": "implemented", "effective_on": "2024-01-02",
                                 "evidence_url": "https://example.org/x"})
    assert res.status_code == 303 and res.headers["location"].startswith("/signin")


def test_a_forged_cookie_is_ignored(dash):
    csrf = sign_in(dash.client, dash.ids.reader_key)
    value = dash.client.cookies.get(auth.COOKIE)
    payload, _, mac = value.partition(".")
    dash.client.cookies.set(auth.COOKIE, payload[:-2] + "xx." + mac)
    assert "Signed in as" not in dash.client.get("/").text
    assert csrf


def test_reading_can_require_a_key(engine, settings):
    closed = settings.model_copy(update={"read_requires_key": True})
    with TestClient(build_app(engine, closed)) as client:
        res = client.get("/states/AZE?x=1", follow_redirects=False)
        assert res.status_code == 303 and res.headers["location"] == "/signin?next=%2Fstates%2FAZE%3Fx%3D1"
        assert client.get("/signin").status_code == 200


def test_unknown_things_are_html_404s(dash):
    for path in ("/states/ZZZ", "/recommendations/999999", "/documents/999999", "/recommendations/abc",
                 "/documents/x"):
        res = dash.client.get(path)
        assert res.status_code == 404 and "text/html" in res.headers["content-type"]
    for path in ("/states/aze", "/states/Azerbaijan"):
        assert dash.client.get(path, follow_redirects=False).headers["location"] == "/states/AZE"


def test_sample_data_is_labelled_wherever_it_shows(dash):
    badge = "Sample data (fictional)"
    listing = dash.client.get("/recommendations?state=XSA").text
    assert listing.count(badge) == 10
    assert badge in dash.client.get("/").text and badge in dash.client.get("/states/XSA").text
    xsa = re.search(r'href="/recommendations/(\d+)"', listing).group(1)
    assert "fictional sample data" in dash.client.get(f"/recommendations/{xsa}").text
    assert badge not in dash.client.get("/recommendations?state=AZE").text


def test_signing_out_ends_the_session(dash):
    csrf = sign_in(dash.client, dash.ids.editor_key)
    res = dash.client.post("/signout", data={"csrf": csrf}, follow_redirects=False)
    assert res.status_code == 303 and auth.COOKIE in res.headers["set-cookie"]
    assert "Signed in as" not in dash.client.get("/").text
