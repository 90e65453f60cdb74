"""Delivery to a real receiver: signatures, retries on a controlled clock, disabling, redirects,
Retry-After, secret rotation, payloads and the attempt log."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from service.models import ChangeEvent, WebhookAttempt, WebhookSubscription
from service.webhooks.delivery import deliver_due
from service.webhooks.payloads import MAX_BODY_BYTES, TRUNCATION_MARKER
from service.webhooks.retries import MAX_ATTEMPTS
from service.webhooks.worker import fan_out_all, run_webhooks_once
from tests.service.webhooks.conftest import BASE_URL, add_event, deliveries, later, subscribe
from tests.service.webhooks.receiver import Reply


def _run(engine, settings, sender, rng, now=None) -> int:
    fan_out_all(engine, settings, now=now)
    return deliver_due(engine, settings, now=now, client=sender, rng=rng)


def _attempts(engine, delivery_id: int) -> list[WebhookAttempt]:
    with Session(engine) as s:
        return list(s.execute(select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id)
                              .order_by(WebhookAttempt.attempt)).scalars())


def _sub(engine, sub_id: int) -> WebhookSubscription:
    with Session(engine) as s:
        sub = s.get(WebhookSubscription, sub_id)
        assert sub is not None
        return sub


def test_every_delivery_is_signed_and_verifies_with_the_reference_library(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    event_id = add_event(engine, payload={"recommendation": {"id": 1, "text": "Ratify"}},
                         recommendation_id=None)
    assert _run(engine, settings, sender, rng) == 1
    (req,) = receiver.requests
    assert req.verified_with == [secret]
    assert req.headers["content-type"] == "application/json"
    assert req.headers["user-agent"] == settings.user_agent
    body = req.json
    with Session(engine) as s:
        event = s.get(ChangeEvent, event_id)
    assert body["type"] == "recommendation.created"
    assert body["data"]["event_id"] == event.event_id
    assert body["data"]["recommendation"] == {"id": 1, "text": "Ratify"}
    (d,) = deliveries(engine, sub_id)
    assert d.status == "succeeded" and d.attempts == 1 and req.webhook_id == d.webhook_id
    (a,) = _attempts(engine, d.id)
    assert a.http_status == 200 and a.response_excerpt == "ok" and a.duration_ms is not None


def test_outage_then_recovery_delivers_every_event_with_stable_ids(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    down = {"on": True}
    receiver.script = lambda req, seen: Reply(500, body=b"down") if down["on"] else Reply()
    for i in range(5):
        add_event(engine, payload={"n": i})
    t0 = later()
    assert _run(engine, settings, sender, rng, t0) == 5
    assert _run(engine, settings, sender, rng, t0 + timedelta(seconds=3)) == 0  # not due yet
    assert _run(engine, settings, sender, rng, t0 + timedelta(seconds=6)) == 5  # 5 s retry
    down["on"] = False
    add_event(engine, payload={"n": 5})
    assert _run(engine, settings, sender, rng, t0 + timedelta(seconds=10)) == 1  # the new one
    assert _run(engine, settings, sender, rng, t0 + timedelta(minutes=6)) == 5  # 5 min retry
    rows = deliveries(engine, sub_id)
    assert [d.status for d in rows] == ["succeeded"] * 6
    counts = receiver.per_id()
    assert sorted(counts.values()) == [1, 3, 3, 3, 3, 3]
    assert set(counts) == {d.webhook_id for d in rows}
    assert sorted(r.json["data"]["n"] for r in receiver.requests if r.webhook_id in
                  {d.webhook_id for d in rows if d.attempts == 3}) == sorted([0, 1, 2, 3, 4] * 3)
    assert [a.attempt for a in _attempts(engine, rows[0].id)] == [1, 2, 3]
    assert all(len(set(ids)) == 1 for ids in [[r.webhook_id for r in receiver.requests
                                                if r.json["data"]["n"] == n] for n in range(6)])
    assert _sub(engine, sub_id).failing_since is None


def test_retries_give_up_after_the_last_attempt(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    receiver.script = lambda req, seen: Reply(503)
    add_event(engine)
    now = later()
    _run(engine, settings, sender, rng, now)
    for _ in range(MAX_ATTEMPTS + 2):
        (d,) = deliveries(engine, sub_id)
        now = max(now, d.next_attempt_at) + timedelta(seconds=1)
        deliver_due(engine, settings, now=now, client=sender, rng=rng)
    (d,) = deliveries(engine, sub_id)
    assert d.status == "failed" and d.attempts == MAX_ATTEMPTS == 8
    assert len(receiver.requests) == 8 and len(receiver.per_id()) == 1
    assert d.last_http_status == 503 and d.last_error == "HTTP 503"
    assert _sub(engine, sub_id).active  # ~28 h of failures: not yet 5 days


def test_410_gone_disables_the_subscription_at_once(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    receiver.script = lambda req, seen: Reply(410, body=b"gone")
    add_event(engine)
    add_event(engine)
    _run(engine, settings, sender, rng)
    sub = _sub(engine, sub_id)
    assert not sub.active and "410" in sub.disabled_reason
    assert {d.status for d in deliveries(engine, sub_id)} == {"failed"}
    add_event(engine)
    assert _run(engine, settings, sender, rng) == 0
    with Session(engine) as s:
        (disabled,) = s.execute(select(ChangeEvent).where(ChangeEvent.type == "subscription.disabled")).scalars()
    assert disabled.payload["subscription"]["id"] == sub_id


def test_five_days_of_failures_disable_and_record_an_event(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url())
    other_id, other_secret = subscribe(engine, receiver.url("/other"),
                                       event_types=["subscription.disabled"])
    stranger_id, stranger_secret = subscribe(engine, receiver.url("/stranger"),
                                             event_types=["subscription.disabled"], owner="someone-else")
    receiver.secrets = [secret, other_secret, stranger_secret]
    receiver.script = lambda req, seen: Reply(500) if req.path == "/hook" else Reply()
    t0 = later()
    for day in range(6):
        add_event(engine, payload={"day": day})
        _run(engine, settings, sender, rng, t0 + timedelta(days=day))
        assert _sub(engine, sub_id).active == (day < 5)
    sub = _sub(engine, sub_id)
    assert "failed for 5 days" in sub.disabled_reason
    with Session(engine) as s:
        (disabled,) = s.execute(select(ChangeEvent).where(ChangeEvent.type == "subscription.disabled")).scalars()
    assert disabled.payload["subscription"]["id"] == sub_id
    assert disabled.state is None
    assert {d.status for d in deliveries(engine, sub_id)} == {"failed"}
    # The owner's other subscription hears of it; somebody else's does not.
    _run(engine, settings, sender, rng, t0 + timedelta(days=5, seconds=1))
    notices = [r for r in receiver.requests if r.path == "/other"]
    assert len(notices) == 1 and notices[0].json["type"] == "subscription.disabled"
    assert deliveries(engine, stranger_id) == [] and _sub(engine, other_id).active


def test_a_success_ends_the_failing_streak(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    receiver.script = lambda req, seen: Reply(500) if seen == 0 else Reply()
    t0 = later()
    add_event(engine)
    _run(engine, settings, sender, rng, t0)
    assert _sub(engine, sub_id).failing_since is not None
    _run(engine, settings, sender, rng, t0 + timedelta(seconds=10))
    assert _sub(engine, sub_id).failing_since is None


def test_redirects_are_not_followed_and_count_as_failures(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url("/old"))
    receiver.secrets = [secret]
    receiver.script = lambda req, seen: Reply(301, {"location": receiver.url("/new")}) \
        if req.path == "/old" else Reply()
    add_event(engine)
    _run(engine, settings, sender, rng)
    assert [r.path for r in receiver.requests] == ["/old"]
    (d,) = deliveries(engine, sub_id)
    assert d.status == "pending" and d.last_http_status == 301
    assert "redirect" in d.last_error and "/new" in d.last_error


def test_retry_after_is_honoured(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    receiver.script = lambda req, seen: Reply(429, {"retry-after": "120"}) if seen == 0 else Reply()
    add_event(engine)
    t0 = later()
    _run(engine, settings, sender, rng, t0)
    (d,) = deliveries(engine, sub_id)
    assert d.next_attempt_at >= t0 + timedelta(seconds=120)
    assert _run(engine, settings, sender, rng, t0 + timedelta(seconds=60)) == 0
    assert _run(engine, settings, sender, rng, t0 + timedelta(seconds=121)) == 1
    assert deliveries(engine, sub_id)[0].status == "succeeded"


def test_503_with_an_http_date_retry_after(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    t0 = later()
    when = (t0 + timedelta(minutes=20)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    receiver.script = lambda req, seen: Reply(503, {"retry-after": when})
    add_event(engine)
    _run(engine, settings, sender, rng, t0)
    (d,) = deliveries(engine, sub_id)
    assert timedelta(minutes=19) < d.next_attempt_at - t0 <= timedelta(minutes=20)


def test_a_receiver_that_does_not_answer_in_time_is_retried(engine, settings, receiver, sender, rng):
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    receiver.script = lambda req, seen: Reply(delay=settings.webhook_timeout + 1) if seen == 0 else Reply()
    add_event(engine)
    t0 = later()
    _run(engine, settings, sender, rng, t0)
    (d,) = deliveries(engine, sub_id)
    assert d.status == "pending" and d.last_http_status is None
    assert "within 2 s" in d.last_error
    _run(engine, settings, sender, rng, t0 + timedelta(seconds=10))
    assert deliveries(engine, sub_id)[0].status == "succeeded"
    assert len(receiver.per_id()) == 1


def test_rotation_signs_with_both_secrets_during_the_grace_period_only(engine, settings, client, auth,
                                                                       receiver, sender, rng):
    sub_id, old = subscribe(engine, receiver.url())
    res = client.post(f"/api/v1/subscriptions/{sub_id}/rotate-secret", headers=auth)
    assert res.status_code == 200, res.text
    new = res.json()["secret"]
    assert new.startswith("whsec_") and new != old
    receiver.secrets = [old, new]
    add_event(engine)
    _run(engine, settings, sender, rng)
    (during,) = receiver.requests
    assert during.verified_with == [old, new]
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    add_event(engine)
    _run(engine, settings, sender, rng, later(hours=settings.webhook_secret_grace_hours + 1))
    after = receiver.requests[1]
    assert after.verified_with == [new]
    assert len(after.headers["webhook-signature"].split(" ")) == 1


def test_payload_carries_links_and_stays_under_20_kb(engine, settings, receiver, sender, rng):
    _, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    long_text = "Ratify the convention. " * 3000
    add_event(engine, "recommendation.text_changed", recommendation_id=None,
              payload={"recommendation": {"id": 42, "text": long_text}, "old": long_text, "new": long_text})
    add_event(engine, "document.published", payload={"document": {"id": 7, "symbol": "A/HRC/1/1"}})
    _run(engine, settings, sender, rng)
    by_type = {r.json["type"]: r for r in receiver.requests}
    big, doc = by_type["recommendation.text_changed"], by_type["document.published"]
    assert len(big.body) <= MAX_BODY_BYTES
    data = big.json["data"]
    assert data["truncated"] is True and data["new"].endswith(TRUNCATION_MARKER)
    assert doc.json["data"]["links"] == {"api": f"{BASE_URL}/api/v1/documents/7",
                                         "dashboard": f"{BASE_URL}/documents/7"}
    assert json.loads(doc.body)["timestamp"].endswith("Z")


def test_recommendation_links_point_at_the_public_base_url(engine, settings, receiver, sender, rng):
    from tests.service.webhooks.conftest import add_recommendation

    _, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    rec_id = add_recommendation(engine)
    add_event(engine, recommendation_id=rec_id, payload={"recommendation": {"id": rec_id}})
    _run(engine, settings, sender, rng)
    assert receiver.requests[0].json["data"]["links"] == {
        "api": f"{BASE_URL}/api/v1/recommendations/{rec_id}",
        "dashboard": f"{BASE_URL}/recommendations/{rec_id}"}


def test_run_webhooks_once_fans_out_and_delivers(engine, settings, receiver):
    _, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    for _ in range(3):
        add_event(engine)
    add_event(engine, baseline=True)
    assert run_webhooks_once(engine, settings) == {"events": 4, "deliveries_created": 3, "attempted": 3}
    assert run_webhooks_once(engine, settings) == {"events": 0, "deliveries_created": 0, "attempted": 0}
    assert len(receiver.requests) == 3
