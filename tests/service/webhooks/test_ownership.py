"""Subscriptions belong to the key that created them: another editor can neither see nor touch
them (404, as if absent), admins manage all; ping answers status and timing, never the body;
ping, replay and redeliver are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from service.auth.keys import create_key
from service.models import AuditEntry, Role, WebhookSubscription
from service.webhooks.delivery import deliver_due
from service.webhooks.worker import fan_out_all
from tests.service.webhooks.conftest import add_event, deliveries, subscribe
from tests.service.webhooks.receiver import Reply

SUBS = "/api/v1/subscriptions"


@pytest.fixture
def people(engine) -> dict[str, dict[str, str]]:
    """Bearer headers for two editors and an admin."""
    with Session(engine) as s:
        keys = {"alice": create_key(s, "alice", Role.EDITOR), "bob": create_key(s, "bob", Role.EDITOR),
                "root": create_key(s, "root", Role.ADMIN)}
        s.commit()
    return {name: {"Authorization": f"Bearer {key}"} for name, key in keys.items()}


def _row(engine, sub_id: int) -> WebhookSubscription | None:
    with Session(engine) as s:
        return s.get(WebhookSubscription, sub_id)


def test_another_editor_cannot_see_or_touch_a_subscription(client, engine, settings, people, receiver, sender):
    alice, bob = people["alice"], people["bob"]
    sub = client.post(SUBS, json={"url": receiver.url()}, headers=alice).json()
    receiver.secrets = [sub["secret"]]
    add_event(engine)
    fan_out_all(engine, settings)
    deliver_due(engine, settings, client=sender)
    (delivery,) = deliveries(engine, sub["id"])
    before = _row(engine, sub["id"])
    sid = sub["id"]

    listed = client.get(SUBS, headers=bob).json()
    assert listed["total"] == 0 and listed["items"] == []
    refused = [
        client.get(f"{SUBS}/{sid}", headers=bob),
        client.patch(f"{SUBS}/{sid}", json={"url": "http://127.0.0.1:9/stolen"}, headers=bob),
        client.post(f"{SUBS}/{sid}/rotate-secret", headers=bob),
        client.post(f"{SUBS}/{sid}/ping", headers=bob),
        client.get(f"{SUBS}/{sid}/deliveries", headers=bob),
        client.post(f"{SUBS}/{sid}/replay", params={"since": "2000-01-01T00:00:00"}, headers=bob),
        client.post(f"/api/v1/deliveries/{delivery.id}/redeliver", headers=bob),
        client.delete(f"{SUBS}/{sid}", headers=bob),
    ]
    assert [r.status_code for r in refused] == [404] * len(refused), [r.text for r in refused]
    after = _row(engine, sid)
    assert after is not None and (after.url, after.secret) == (before.url, before.secret)
    assert len(deliveries(engine, sid)) == 1 and len(receiver.requests) == 1  # nothing sent or queued

    mine = client.get(SUBS, headers=alice).json()
    assert [s["id"] for s in mine["items"]] == [sid] and mine["items"][0]["owner_key_id"] is not None


def test_admins_see_and_manage_every_subscription(client, people):
    sub = client.post(SUBS, json={"url": "http://127.0.0.1:9/a"}, headers=people["alice"]).json()
    client.post(SUBS, json={"url": "http://127.0.0.1:9/b"}, headers=people["bob"])
    assert client.get(SUBS, headers=people["root"]).json()["total"] == 2
    res = client.patch(f"{SUBS}/{sub['id']}", json={"active": False}, headers=people["root"])
    assert res.status_code == 200 and res.json()["active"] is False
    assert client.delete(f"{SUBS}/{sub['id']}", headers=people["root"]).status_code == 204


def test_a_subscription_owned_by_no_key_is_for_admins_only(client, engine, people):
    """Rows from before ownership whose creator matches no key (owner NULL)."""
    sid, _ = subscribe(engine, "http://127.0.0.1:9/legacy", owner="someone-gone")
    assert client.get(f"{SUBS}/{sid}", headers=people["alice"]).status_code == 404
    assert client.get(SUBS, headers=people["alice"]).json()["total"] == 0
    got = client.get(f"{SUBS}/{sid}", headers=people["root"])
    assert got.status_code == 200 and got.json()["owner_key_id"] is None


@pytest.mark.parametrize(("reply", "error"), [
    (Reply(200, body=b"internal-admin-page: db password hunter2"), None),
    (Reply(500, body=b"internal-admin-page: db password hunter2"), "HTTP 500"),
    (Reply(302, body=b"internal-admin-page", headers={"Location": "http://10.0.0.1/secret-path"}),
     "HTTP 302 (redirect not followed)"),
])
def test_ping_answers_status_and_timing_never_the_body(client, people, receiver, reply, error):
    sub = client.post(SUBS, json={"url": receiver.url()}, headers=people["alice"]).json()
    receiver.secrets = [sub["secret"]]
    receiver.script = lambda req, seen: reply
    res = client.post(f"{SUBS}/{sub['id']}/ping", headers=people["alice"])
    assert res.status_code == 200, res.text
    out = res.json()
    assert set(out) == {"ok", "webhook_id", "http_status", "duration_ms", "error"}
    assert out["http_status"] == reply.status and out["error"] == error
    assert "internal-admin-page" not in res.text and "secret-path" not in res.text


def test_ping_to_nothing_reports_the_error(client, people):
    sub = client.post(SUBS, json={"url": "http://127.0.0.1:9/hook"}, headers=people["alice"]).json()
    out = client.post(f"{SUBS}/{sub['id']}/ping", headers=people["alice"]).json()
    assert out["ok"] is False and out["http_status"] is None and out["error"]


def test_ping_replay_and_redeliver_are_audited(client, engine, settings, people, receiver, sender):
    alice = people["alice"]
    sub = client.post(SUBS, json={"url": receiver.url()}, headers=alice).json()
    receiver.secrets = [sub["secret"]]
    assert client.post(f"{SUBS}/{sub['id']}/ping", headers=alice).status_code == 200
    add_event(engine)
    fan_out_all(engine, settings)
    deliver_due(engine, settings, client=sender)
    (delivery,) = deliveries(engine, sub["id"])
    assert client.post(f"/api/v1/deliveries/{delivery.id}/redeliver", headers=alice).status_code == 202
    assert client.post(f"{SUBS}/{sub['id']}/replay", params={"since": "2000-01-01T00:00:00"},
                       headers=alice).status_code == 202
    with Session(engine) as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.action != "subscription.create")
                         .order_by(AuditEntry.id)).scalars().all()
    assert [(r.actor, r.action, r.target) for r in rows] == [
        ("alice", "subscription.ping", f"subscription/{sub['id']}"),
        ("alice", "delivery.redeliver", f"delivery/{delivery.id}"),
        ("alice", "subscription.replay", f"subscription/{sub['id']}"),
    ]
    ping, redeliver, replay = (r.detail for r in rows)
    assert ping["http_status"] == 200 and ping["ok"] is True
    assert redeliver["subscription_id"] == sub["id"] and redeliver["new_delivery_id"] != delivery.id
    assert replay["queued"] == 1 and replay["since"].startswith("2000-01-01")
