"""Implementation assessments need an editor key and are recorded under the key's name."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from service.auth.keys import create_key
from service.ingest.importer import import_parsed
from service.models import Role
from tests.service.helpers import sample_report


@pytest.fixture
def rec_id(engine, client) -> int:
    with Session(engine) as s:
        import_parsed(s, sample_report(), recorded_by="test")
        s.commit()
    return client.get("/api/v1/recommendations", params={"recommending_state": "NOR"}).json()["items"][0]["id"]


@pytest.fixture
def keys(engine) -> dict[str, str]:
    with Session(engine) as s:
        out = {role.value: create_key(s, f"{role.value}-person", role) for role in Role}
        s.commit()
    return out


BODY = {"implementation": "partially_implemented", "effective_on": "2016-05-01",
        "evidence_url": "https://example.org/midterm-report.pdf", "note": "Two of five released"}


def test_without_key_is_401(client, rec_id):
    res = client.post(f"/api/v1/recommendations/{rec_id}/assessments", json=BODY)
    assert res.status_code == 401 and res.json()["error"]["code"] == "unauthorized"


def test_wrong_key_is_401(client, rec_id, keys):
    res = client.post(f"/api/v1/recommendations/{rec_id}/assessments", json=BODY,
                      headers={"Authorization": "Bearer rw_not-a-key"})
    assert res.status_code == 401


def test_reader_key_is_403(client, rec_id, keys):
    res = client.post(f"/api/v1/recommendations/{rec_id}/assessments", json=BODY,
                      headers={"Authorization": f"Bearer {keys['reader']}"})
    assert res.status_code == 403 and res.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editor_assessment_is_recorded_with_its_name(client, rec_id, keys, role):
    res = client.post(f"/api/v1/recommendations/{rec_id}/assessments", json=BODY,
                      headers={"Authorization": f"Bearer {keys[role]}"})
    assert res.status_code == 201, res.text
    assert res.json()["recorded_by"] == f"{role}-person"
    detail = client.get(f"/api/v1/recommendations/{rec_id}").json()
    assert detail["implementation"] == "partially_implemented"
    assert detail["status"] == "partially_implemented"
    last = detail["history"][-1]
    assert (last["axis"], last["old"], last["new"]) == ("implementation", "unknown", "partially_implemented")
    assert last["recorded_by"] == f"{role}-person" and last["evidence_url"] == BODY["evidence_url"]
    changes = client.get("/api/v1/changes", params={"type": "recommendation.implementation_changed"}).json()
    assert changes["total"] == 1


def test_assessment_needs_evidence(client, rec_id, keys):
    body = {k: v for k, v in BODY.items() if k != "evidence_url"}
    res = client.post(f"/api/v1/recommendations/{rec_id}/assessments", json=body,
                      headers={"Authorization": f"Bearer {keys['editor']}"})
    assert res.status_code == 422 and "evidence" in res.json()["error"]["message"]


def test_older_assessment_does_not_override_newer(client, rec_id, keys):
    auth = {"Authorization": f"Bearer {keys['editor']}"}
    client.post(f"/api/v1/recommendations/{rec_id}/assessments", json=BODY | {"implementation": "implemented",
                                                                           "effective_on": "2020-01-01"}, headers=auth)
    client.post(f"/api/v1/recommendations/{rec_id}/assessments", json=BODY, headers=auth)
    assert client.get(f"/api/v1/recommendations/{rec_id}").json()["implementation"] == "implemented"


def test_unknown_recommendation_is_404(client, keys):
    res = client.post("/api/v1/recommendations/424242/assessments", json=BODY,
                      headers={"Authorization": f"Bearer {keys['editor']}"})
    assert res.status_code == 404
