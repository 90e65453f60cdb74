"""The read API answers with the documented shapes (DESIGN.md §6) on every backend."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from scrapers.records import Position
from service.ingest.importer import import_parsed
from service.states.seed import seed_states
from service.store import RawStore
from tests.service.helpers import report, sample_report, scraped_rec

PDF = b"%PDF-1.4 report one"


@pytest.fixture
def loaded(engine, settings):
    RawStore(settings.raw_dir).put(PDF)
    with Session(engine) as s:
        seed_states(s)
        import_parsed(s, sample_report(PDF), recorded_by="test")
        s.commit()


def _list_shape(body: dict) -> None:
    assert set(body) == {"items", "total", "next"}
    assert isinstance(body["items"], list) and isinstance(body["total"], int)


def test_states_list_and_detail(client, loaded):
    body = client.get("/api/v1/states").json()
    _list_shape(body)
    assert body["total"] >= 195
    tracked = client.get("/api/v1/states", params={"tracked": "true"}).json()
    assert [s["iso3"] for s in tracked["items"]] == ["AZE"]
    detail = client.get("/api/v1/states/aze").json()
    assert detail["recommendations"] == 3
    assert detail["by_status"]["pending"] == 2 and detail["by_status"]["rejected"] == 1
    assert detail["reviews"][0]["by_position"] == {"pending": 2, "noted": 1}
    missing = client.get("/api/v1/states/XXX")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("params, expected", [
    ({}, 3),
    ({"state": "AZE"}, 3),
    ({"state": "Azerbaijan"}, 3),
    ({"recommending_state": "CHL"}, 1),
    ({"recommending_state": "Norway"}, 1),
    ({"cycle": 2}, 3),
    ({"cycle": 3}, 0),
    ({"position": "noted"}, 1),
    ({"status": "pending"}, 2),
    ({"status": "rejected"}, 1),
    ({"mechanism": "pace"}, 0),
    ({"q": "torture"}, 1),
    ({"q": "FREEDOM expression"}, 1),
    ({"q": "100%"}, 0),
])
def test_recommendation_filters(client, loaded, params, expected):
    body = client.get("/api/v1/recommendations", params=params).json()
    _list_shape(body)
    assert body["total"] == expected
    assert len(body["items"]) == expected


def test_recommendations_paginate_with_cursor_in_every_sort(client, loaded):
    for sort in ("id", "-id", "key", "-key", "updated_at", "-updated_at"):
        seen, cursor = [], None
        while True:
            params = {"limit": 1, "sort": sort} | ({"cursor": cursor} if cursor else {})
            body = client.get("/api/v1/recommendations", params=params).json()
            assert body["total"] == 3
            seen += [i["key"] for i in body["items"]]
            cursor = body["next"]
            if not cursor:
                break
        assert sorted(seen) == sorted(set(seen)) and len(seen) == 3, sort
    keys = [i["key"] for i in client.get("/api/v1/recommendations", params={"sort": "-key"}).json()["items"]]
    assert keys == sorted(keys, reverse=True)


def test_bad_parameters_are_clear_422s(client, loaded):
    for params in ({"position": "maybe"}, {"cursor": "garbage!"}, {"state": "Atlantis"},
                   {"limit": 0}, {"sort": "text"}):
        res = client.get("/api/v1/recommendations", params=params)
        assert res.status_code == 422, params
        assert res.json()["error"]["code"] == "invalid_parameter"
        assert res.json()["error"]["message"]


def test_recommendation_detail_has_history_with_evidence(client, loaded):
    item = client.get("/api/v1/recommendations", params={"recommending_state": "BRA"}).json()["items"][0]
    detail = client.get(f"/api/v1/recommendations/{item['id']}").json()
    assert detail["key"] == "upr/AZE/2/109.1"
    assert detail["recommending_states"] == ["BRA", "CHL"]
    assert detail["status"] == "pending"
    assert detail["review"]["cycle"] == 2
    [event] = detail["history"]
    assert (event["axis"], event["old"], event["new"]) == ("position", None, "pending")
    assert event["evidence"] == "A/HRC/99/1 para. 109"
    assert event["document"]["symbol"] == "A/HRC/99/1"
    assert detail["external_refs"][0]["external_id"] == "A/HRC/99/1 para. 109.1"
    raw = client.get(event["document"]["download_url"])
    assert raw.status_code == 200 and raw.content == PDF
    assert raw.headers["content-type"] == "application/pdf"
    assert client.get("/api/v1/recommendations/999999").status_code == 404


def test_documents_list_and_detail(client, loaded):
    docs = client.get("/api/v1/documents").json()
    _list_shape(docs)
    assert docs["total"] == 1
    doc = client.get(f"/api/v1/documents/{docs['items'][0]['id']}").json()
    assert doc["symbol"] == "A/HRC/99/1" and doc["recommendations"] == 3 and doc["size"] == len(PDF)


def test_changes_poll_incrementally(client, loaded, engine):
    first = client.get("/api/v1/changes", params={"limit": 2}).json()
    _list_shape(first)
    assert first["total"] == 4 and len(first["items"]) == 2 and first["next"]
    rest = client.get("/api/v1/changes", params={"since": first["next"]}).json()
    assert len(rest["items"]) == 2 and rest["next"] is None
    last_cursor = rest["items"][-1]["cursor"]
    assert client.get("/api/v1/changes", params={"since": last_cursor}).json()["items"] == []
    with Session(engine) as s:
        import_parsed(s, report(b"%PDF-1.4 add", [scraped_rec(
            "109.2", "Release all persons detained for exercising their right to freedom of "
            "expression", ["NOR"], Position.SUPPORTED)], symbol="A/HRC/99/1/Add.1",
            published_on=date(2013, 9, 1)), recorded_by="test")
        s.commit()
    new = client.get("/api/v1/changes", params={"since": last_cursor}).json()["items"]
    assert [e["type"] for e in new] == ["document.published", "recommendation.position_changed"]
    assert new[1]["data"]["new"] == "supported"


def test_openapi_is_served(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/v1/recommendations/{recommendation_id}" in spec["paths"]
