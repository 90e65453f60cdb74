"""Subscription filters use the `/recommendations` names (`state`, `mechanism`, `theme`,
`position`); the old plural keys are a deprecated alias, and rows stored with them keep matching."""

from __future__ import annotations

from sqlmodel import Session

from service.models import ChangeEvent, WebhookSubscription
from service.webhooks.delivery import deliver_due
from service.webhooks.worker import fan_out_all
from tests.service.webhooks.conftest import add_event, subscribe

SUBS = "/api/v1/subscriptions"
LEGACY = {"states": ["aze"], "mechanisms": ["UPR"], "themes": ["Torture"], "positions": ["supported"]}
CURRENT = {"state": ["AZE"], "mechanism": ["upr"], "theme": ["Torture"], "position": ["supported"]}


def _stored(engine, sub_id: int) -> dict:
    with Session(engine) as s:
        return s.get(WebhookSubscription, sub_id).filters


def test_the_plural_alias_is_accepted_and_stored_in_the_new_spelling(client, auth, engine):
    res = client.post(SUBS, json={"url": "http://127.0.0.1:9/hook", "filters": LEGACY}, headers=auth)
    assert res.status_code == 201, res.text
    sub = res.json()
    assert sub["filters"] == CURRENT
    assert _stored(engine, sub["id"]) == CURRENT
    patched = client.patch(f"{SUBS}/{sub['id']}", json={"filters": {"states": ["arm"], "state": ["SVN"]}},
                           headers=auth)
    assert patched.status_code == 200, patched.text
    assert patched.json()["filters"] == {"state": ["SVN", "ARM"]}
    assert _stored(engine, sub["id"]) == {"state": ["SVN", "ARM"]}


def test_the_alias_is_marked_deprecated_in_the_openapi_document(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Filters"]["properties"]
    for old, new in (("states", "state"), ("mechanisms", "mechanism"), ("themes", "theme"),
                     ("positions", "position")):
        assert schema[old].get("deprecated") is True
        assert "DEPRECATED" in schema[old]["description"] and f"`{new}`" in schema[old]["description"]
        assert not schema[new].get("deprecated")


def test_a_stored_legacy_subscription_is_shown_in_the_new_spelling(client, auth, engine):
    sub_id, _ = subscribe(engine, "http://127.0.0.1:9/hook", filters={"states": ["AZE"], "themes": ["Torture"]})
    got = client.get(f"{SUBS}/{sub_id}", headers=auth).json()
    assert got["filters"] == {"state": ["AZE"], "theme": ["Torture"]}
    assert _stored(engine, sub_id) == {"states": ["AZE"], "themes": ["Torture"]}  # reading writes nothing


def test_new_and_legacy_spelling_both_receive_a_matching_event(client, auth, engine, settings, receiver,
                                                               sender):
    new = client.post(SUBS, json={"url": receiver.url("/new"), "filters": {"state": ["AZE"]}},
                      headers=auth).json()
    legacy_id, legacy_secret = subscribe(engine, receiver.url("/legacy"), filters={"states": ["AZE"]})
    receiver.secrets = [new["secret"], legacy_secret]
    wanted = add_event(engine, state="AZE")
    add_event(engine, state="ARM")
    fan_out_all(engine, settings)
    deliver_due(engine, settings, client=sender)
    got = sorted((r.path, r.json["data"]["event_id"]) for r in receiver.wait_for(2))
    with Session(engine) as s:
        event_id = s.get(ChangeEvent, wanted).event_id
    assert got == [("/legacy", event_id), ("/new", event_id)]
    assert len(receiver.requests) == 2 and legacy_id != new["id"]
