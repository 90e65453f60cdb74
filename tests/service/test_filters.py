"""One recommendation filter everywhere: the list API, the bulk export and the Atom feed take the
same parameters, validate them alike, and the dashboard's form builds the same class."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import pytest
from sqlmodel import Session

from scrapers.records import Position
from service.dashboard import forms
from service.feeds import routes as feed_routes
from service.filters import QUERY_FIELDS, RecommendationFilter
from service.ingest.importer import import_parsed
from service.recommendations import repository
from service.recommendations import routes as recommendation_routes
from service.reports import routes as report_routes
from service.states.seed import seed_states
from tests.service.helpers import report, sample_report, scraped_rec

# Each surface's own parameters besides the filter.
SURFACES = {"/api/v1/recommendations": {"sort", "limit", "cursor"},
            "/api/v1/export": {"format"},
            "/feeds/changes.atom": {"limit"}}


@pytest.fixture
def loaded(engine):
    """Three AZE recommendations (one noted, one from Norway, one on torture) and one to SVN."""
    with Session(engine) as s:
        seed_states(s)
        import_parsed(s, sample_report(), recorded_by="test")
        import_parsed(s, report(b"%PDF other", [scraped_rec("121.1", "Abolish the death penalty", ["FRA"],
                                                             Position.PENDING, state="SVN", cycle=3)],
                                state="SVN", cycle=3, symbol="A/HRC/43/15"), recorded_by="test")
        s.commit()


def _query_names(dependant) -> set[str]:
    """The query parameters a route reads, its dependencies' included."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _route(path: str):
    routers = (recommendation_routes.router, report_routes.router, feed_routes.router)
    return next(r for router in routers for r in router.routes
                if getattr(r, "path", None) == path and "GET" in r.methods)


def test_every_surface_takes_exactly_the_filter_names():
    for path, own in SURFACES.items():
        names = _query_names(_route(path).dependant)
        assert names - own == set(QUERY_FIELDS), path
    assert "review_id" not in QUERY_FIELDS  # set inside the service, never by a caller


def test_every_surface_documents_each_filter_identically(client):
    paths = client.get("/openapi.json").json()["paths"]
    schemas = {path: {p["name"]: json.dumps(p["schema"], sort_keys=True)
                      for p in paths[path]["get"]["parameters"] if p["in"] == "query"}
               for path in SURFACES}
    for name in QUERY_FIELDS:
        assert len({schemas[path][name] for path in SURFACES}) == 1, name


def test_the_dashboard_form_spells_the_filter_as_the_api_does():
    assert set(forms.FIELDS) - {"sort"} <= set(QUERY_FIELDS)
    q = forms.parse_list_query({"state": "aze", "recommending_state": "Norway", "position": "noted"})
    assert type(q.flt) is RecommendationFilter is repository.RecommendationFilter
    assert (q.flt.state, q.flt.recommending_state, q.flt.position) == ("AZE", "NOR", "noted")


@pytest.mark.parametrize("name", ["state", "recommending_state"])
def test_an_unknown_state_is_the_same_422_on_every_surface(client, loaded, name):
    answers = [client.get(path, params={name: "Narnia"}) for path in SURFACES]
    assert [a.status_code for a in answers] == [422, 422, 422]
    assert len({json.dumps(a.json(), sort_keys=True) for a in answers}) == 1
    message = answers[0].json()["error"]["message"]
    assert message.startswith(f"{name}: unknown state 'Narnia'")


def _export_states(client, **params) -> list[str]:
    res = client.get("/api/v1/export", params=params)
    assert res.status_code == 200, res.text
    return [row["state"] for row in csv.DictReader(io.StringIO(res.text))]


def _feed_titles(client, **params) -> list[str]:
    res = client.get("/feeds/changes.atom", params=params)
    assert res.status_code == 200, res.text
    return [e.title for e in feedparser.parse(res.content).entries]


@pytest.mark.parametrize("state", ["AZE", "aze", "Azerbaijan"])
def test_codes_in_any_case_and_names_work_everywhere(client, loaded, state):
    assert client.get("/api/v1/recommendations", params={"state": state}).json()["total"] == 3
    assert _export_states(client, state=state) == ["AZE"] * 3
    titles = _feed_titles(client, state=state)
    assert len(titles) == 4 and all("SVN" not in t for t in titles)  # 3 recommendations + the document


@pytest.mark.parametrize(("params", "paragraphs"), [
    ({"position": "noted"}, {"110.1"}),
    ({"recommending_state": "Norway"}, {"109.2"}),
    ({"q": "torture"}, {"109.1"}),
    ({"status": "pending", "state": "AZE"}, {"109.1", "109.2"}),
    ({"cycle": 3}, {"121.1"}),
])
def test_the_feed_applies_the_recommendation_filters(client, loaded, params, paragraphs):
    listed = client.get("/api/v1/recommendations", params=params).json()["items"]
    assert {r["paragraph"] for r in listed} == paragraphs
    titles = _feed_titles(client, **params)
    assert len(titles) == len(paragraphs)  # only the events of those recommendations, no documents
    assert {t.rsplit(" ", 1)[-1] for t in titles} == paragraphs


def test_the_export_leaves_sample_data_out_unless_asked_and_the_list_keeps_it(client, loaded, engine):
    with Session(engine) as s:
        rec = s.get(repository.Recommendation, 1)
        rec.is_sample = True
        s.add(rec)
        s.commit()
    assert len(_export_states(client)) == 3
    assert len(_export_states(client, include_sample="true")) == 4
    assert client.get("/api/v1/recommendations").json()["total"] == 4
    assert client.get("/api/v1/recommendations", params={"include_sample": "false"}).json()["total"] == 3
