"""The subscriptions API: keys, validation, the secret shown once, ping, the delivery log,
redelivery and replay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.webhooks.delivery import deliver_due
from service.webhooks.worker import fan_out_all
from tests.service.webhooks.conftest import add_event, deliveries, later
from tests.service.webhooks.receiver import Reply

SUBS = "/api/v1/subscriptions"


def _create(client, auth, url: str, **extra) -> dict:
    res = client.post(SUBS, json={"url": url, **extra}, headers=auth)
    assert res.status_code == 201, res.text
    return res.json()


def test_without_a_key_is_401(client):
    res = client.post(SUBS, json={"url": "http://127.0.0.1:9/"})
    assert res.status_code == 401 and res.json()["error"]["code"] == "unauthorized"
    assert client.get(SUBS).status_code == 401
    assert client.post("/api/v1/deliveries/1/redeliver").status_code == 401


def test_a_reader_key_is_403(client, keys):
    res = client.get(SUBS, headers={"Authorization": f"Bearer {keys['reader']}"})
    assert res.status_code == 403 and res.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_create_shows_the_secret_once(client, keys, role):
    auth = {"Authorization": f"Bearer {keys[role]}"}
    sub = _create(client, auth, "http://127.0.0.1:9/hook",
                  event_types=["recommendation.created", "document.published"],
                  filters={"state": ["aze"], "mechanism": ["UPR"], "theme": ["Torture"],
                           "position": ["supported"]})
    assert sub["secret"].startswith("whsec_")
    assert sub["created_by"] == f"{role}-person" and sub["active"] is True
    assert sub["filters"] == {"state": ["AZE"], "mechanism": ["upr"], "theme": ["Torture"],
                              "position": ["supported"]}
    got = client.get(f"{SUBS}/{sub['id']}", headers=auth).json()
    assert "secret" not in got and got["url"] == "http://127.0.0.1:9/hook"
    listed = client.get(SUBS, headers=auth).json()
    assert listed["total"] == 1 and "secret" not in listed["items"][0]
    assert sub["secret"] not in client.get(SUBS, headers=auth).text


def test_unknown_event_type_is_422_with_the_allowed_list(client, auth):
    res = client.post(SUBS, json={"url": "http://127.0.0.1:9/", "event_types": ["recommendation.deleted"]},
                      headers=auth)
    assert res.status_code == 422
    message = res.json()["error"]["message"]
    assert "'recommendation.deleted'" in message and "recommendation.position_changed" in message


@pytest.mark.parametrize(("filters", "says"), [
    ({"state": ["Azerbaijan"]}, "not ISO 3166 alpha-3"),
    ({"states": ["Azerbaijan"]}, "not ISO 3166 alpha-3"),
    ({"mechanism": ["echr"]}, "unknown echr"),
    ({"position": ["accepted"]}, "unknown accepted"),
    ({"colour": ["red"]}, "colour"),
])
def test_bad_filters_are_422(client, auth, filters, says):
    res = client.post(SUBS, json={"url": "http://127.0.0.1:9/", "filters": filters}, headers=auth)
    assert res.status_code == 422 and says in res.json()["error"]["message"]


def test_list_paginates(client, auth):
    for i in range(3):
        _create(client, auth, f"http://127.0.0.1:9/{i}")
    page = client.get(SUBS, params={"limit": 2}, headers=auth).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["next"]
    rest = client.get(SUBS, params={"limit": 2, "cursor": page["next"]}, headers=auth).json()
    assert [s["url"] for s in rest["items"]] == ["http://127.0.0.1:9/2"] and rest["next"] is None


def test_patch_and_delete(client, auth):
    sub = _create(client, auth, "http://127.0.0.1:9/a")
    res = client.patch(f"{SUBS}/{sub['id']}", json={"event_types": ["*"], "filters": {"state": ["ARM"]},
                                                      "url": "http://127.0.0.1:9/b"}, headers=auth)
    assert res.status_code == 200 and res.json()["filters"] == {"state": ["ARM"]}
    assert res.json()["url"] == "http://127.0.0.1:9/b"
    off = client.patch(f"{SUBS}/{sub['id']}", json={"active": False}, headers=auth).json()
    assert off["active"] is False and off["disabled_reason"] == "disabled through the API"
    on = client.patch(f"{SUBS}/{sub['id']}", json={"active": True}, headers=auth).json()
    assert on["active"] is True and on["disabled_reason"] is None
    assert client.delete(f"{SUBS}/{sub['id']}", headers=auth).status_code == 204
    assert client.get(f"{SUBS}/{sub['id']}", headers=auth).status_code == 404


def test_ping_sends_a_signed_test_event(client, auth, receiver):
    sub = _create(client, auth, receiver.url())
    receiver.secrets = [sub["secret"]]
    res = client.post(f"{SUBS}/{sub['id']}/ping", headers=auth)
    assert res.status_code == 200, res.text
    out = res.json()
    assert out["ok"] is True and out["http_status"] == 200
    (req,) = receiver.requests
    assert req.json["type"] == "ping" and req.webhook_id == out["webhook_id"]


def test_ping_reports_a_failing_endpoint(client, auth, receiver):
    sub = _create(client, auth, receiver.url())
    receiver.secrets = [sub["secret"]]
    receiver.script = lambda req, seen: Reply(500, body=b"boom")
    out = client.post(f"{SUBS}/{sub['id']}/ping", headers=auth).json()
    assert out["ok"] is False and out["http_status"] == 500 and out["error"] == "HTTP 500"
    assert "response_excerpt" not in out and "boom" not in str(out)  # never the receiver's body


def test_delivery_log_is_newest_first_with_attempts(client, auth, engine, settings, receiver, sender):
    sub = _create(client, auth, receiver.url())
    receiver.secrets = [sub["secret"]]
    receiver.script = lambda req, seen: Reply(500, body=b"no") if seen == 0 else Reply()
    add_event(engine)
    add_event(engine, "document.published")
    fan_out_all(engine, settings)
    t0 = later()
    deliver_due(engine, settings, now=t0, client=sender)
    deliver_due(engine, settings, now=t0 + timedelta(seconds=10), client=sender)
    page = client.get(f"{SUBS}/{sub['id']}/deliveries", params={"limit": 1}, headers=auth).json()
    assert page["total"] == 2 and page["next"]
    (newest,) = page["items"]
    assert newest["event_type"] == "document.published" and newest["status"] == "succeeded"
    assert [a["http_status"] for a in newest["attempts"]] == [500, 200]
    assert newest["attempts"][0]["response_excerpt"] == "no" and newest["next_attempt_at"] is None
    older = client.get(f"{SUBS}/{sub['id']}/deliveries", params={"cursor": page["next"]},
                       headers=auth).json()["items"]
    assert [d["event_type"] for d in older] == ["recommendation.created"]


def test_redeliver_sends_the_event_again_with_a_new_webhook_id(client, auth, engine, settings, receiver, sender):
    sub = _create(client, auth, receiver.url())
    receiver.secrets = [sub["secret"]]
    add_event(engine)
    fan_out_all(engine, settings)
    deliver_due(engine, settings, client=sender)
    (original,) = deliveries(engine, sub["id"])
    res = client.post(f"/api/v1/deliveries/{original.id}/redeliver", headers=auth)
    assert res.status_code == 202, res.text
    assert res.json()["replay"] == 1 and res.json()["webhook_id"] != original.webhook_id
    deliver_due(engine, settings, client=sender)
    first, again = receiver.requests
    assert first.webhook_id != again.webhook_id
    assert first.json["data"]["event_id"] == again.json["data"]["event_id"]
    assert client.post("/api/v1/deliveries/999/redeliver", headers=auth).status_code == 404


def test_replay_resends_matching_events_since_a_time(client, auth, engine, settings, receiver, sender):
    sub = _create(client, auth, receiver.url(), filters={"state": ["AZE"]})
    receiver.secrets = [sub["secret"]]
    add_event(engine, state="AZE")
    add_event(engine, state="ARM")
    add_event(engine, state="AZE", baseline=True)
    since = later(seconds=-60).isoformat()
    fan_out_all(engine, settings)
    deliver_due(engine, settings, client=sender)
    assert len(receiver.requests) == 1
    res = client.post(f"{SUBS}/{sub['id']}/replay", params={"since": since}, headers=auth)
    assert res.status_code == 202, res.text
    assert res.json()["queued"] == 1
    deliver_due(engine, settings, client=sender)
    first, again = receiver.requests
    assert first.json["data"] == again.json["data"] and first.webhook_id != again.webhook_id
    future = later(hours=1).isoformat()
    assert client.post(f"{SUBS}/{sub['id']}/replay", params={"since": future},
                       headers=auth).status_code == 422


def test_replay_and_redeliver_on_a_disabled_subscription_are_409(client, auth, engine, settings):
    sub = _create(client, auth, "http://127.0.0.1:9/hook")
    add_event(engine)
    fan_out_all(engine, settings)
    client.patch(f"{SUBS}/{sub['id']}", json={"active": False}, headers=auth)
    (d,) = deliveries(engine, sub["id"])
    assert client.post(f"/api/v1/deliveries/{d.id}/redeliver", headers=auth).status_code == 409
    res = client.post(f"{SUBS}/{sub['id']}/replay", params={"since": "2000-01-01T00:00:00"}, headers=auth)
    assert res.status_code == 409 and "re-enable" in res.json()["error"]["message"]


def test_subscription_changes_are_audited_with_the_key_name(client, engine):
    from sqlalchemy import select as _select
    from sqlmodel import Session as _Session

    from service.auth.keys import create_key as _create_key
    from service.models import AuditEntry, Role

    with _Session(engine) as s:
        key = _create_key(s, "newsroom", Role.EDITOR)
        s.commit()
    auth = {"Authorization": f"Bearer {key}"}
    created = client.post("/api/v1/subscriptions", json={"url": "http://127.0.0.1:9/hook", "event_types": ["*"]},
                          headers=auth)
    assert created.status_code == 201, created.text
    sub_id = created.json()["id"]
    assert client.patch(f"/api/v1/subscriptions/{sub_id}", json={"active": False}, headers=auth).status_code == 200
    assert client.delete(f"/api/v1/subscriptions/{sub_id}", headers=auth).status_code == 204
    with _Session(engine) as s:
        actions = s.execute(_select(AuditEntry.actor, AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [("newsroom", "subscription.create"), ("newsroom", "subscription.update"),
                       ("newsroom", "subscription.delete")]
