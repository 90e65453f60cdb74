"""Fan-out: filters, baseline events, idempotency, and an outbox read that never skips events."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlmodel import Session

from service.models import OutboxCursor
from service.webhooks.fanout import fan_out, fan_out_batch
from service.webhooks.outbox import CURSOR_NAME
from service.webhooks.worker import fan_out_all
from tests.service.webhooks.conftest import add_event, add_recommendation, deliveries, subscribe

URL = "http://127.0.0.1:9/hook"


def _delivered_events(engine, sub_id: int) -> list[int]:
    return [d.event_id for d in deliveries(engine, sub_id)]


def _cursor(engine) -> int:
    with Session(engine) as s:
        return s.execute(select(OutboxCursor.position).where(OutboxCursor.name == CURSOR_NAME)).scalar_one()


def test_event_type_filter(engine, settings):
    sub, _ = subscribe(engine, URL, event_types=["recommendation.position_changed"])
    everything, _ = subscribe(engine, URL)
    created = add_event(engine, "recommendation.created")
    changed = add_event(engine, "recommendation.position_changed", payload={"new": "supported"})
    fan_out_all(engine, settings)
    assert _delivered_events(engine, sub) == [changed]
    assert _delivered_events(engine, everything) == [created, changed]


def test_state_and_mechanism_filters(engine, settings):
    aze, _ = subscribe(engine, URL, filters={"state": ["AZE"]})
    pace, _ = subscribe(engine, URL, filters={"mechanism": ["pace"]})
    both, _ = subscribe(engine, URL, filters={"state": ["ARM"], "mechanism": ["upr"]})
    e_aze = add_event(engine, state="AZE", mechanism="upr")
    e_arm_pace = add_event(engine, state="ARM", mechanism="pace")
    e_arm_upr = add_event(engine, state="ARM", mechanism="upr")
    stateless = add_event(engine, "source.failing", state=None, mechanism=None)
    unfiltered, _ = subscribe(engine, URL)
    late = add_event(engine, "source.recovered", state=None, mechanism=None)
    fan_out_all(engine, settings)
    assert _delivered_events(engine, aze) == [e_aze]
    assert _delivered_events(engine, pace) == [e_arm_pace]
    assert _delivered_events(engine, both) == [e_arm_upr]
    # Events without a state reach only subscriptions without a state filter, and a
    # subscription hears only of events from its creation on.
    assert stateless not in _delivered_events(engine, aze)
    assert _delivered_events(engine, unfiltered) == [late]


def test_theme_filter_matches_the_recommendations_themes(engine, settings):
    sub, _ = subscribe(engine, URL, filters={"theme": ["Torture and other CID"]})
    tagged = add_recommendation(engine, paragraph="1.1", themes=("Torture and other CID", "Detention"))
    other = add_recommendation(engine, paragraph="1.2", themes=("Detention",))
    e1 = add_event(engine, recommendation_id=tagged)
    add_event(engine, recommendation_id=other)
    add_event(engine, "document.published", payload={"document": {"id": 1}})
    fan_out_all(engine, settings)
    assert _delivered_events(engine, sub) == [e1]


def test_position_filter_uses_the_new_position_of_a_change(engine, settings):
    sub, _ = subscribe(engine, URL, filters={"position": ["supported"]})
    rec = {"id": 1, "position": "pending"}
    add_event(engine, "recommendation.created", payload={"recommendation": rec})
    changed = add_event(engine, "recommendation.position_changed",
                        payload={"recommendation": {**rec, "position": "supported"},
                                 "old": "pending", "new": "supported"})
    current = add_event(engine, "recommendation.text_changed",
                        payload={"recommendation": {**rec, "position": "supported"}})
    add_event(engine, "recommendation.position_changed",
              payload={"recommendation": {**rec, "position": "noted"}, "old": "supported", "new": "noted"})
    fan_out_all(engine, settings)
    assert _delivered_events(engine, sub) == [changed, current]


def test_baseline_events_are_not_delivered(engine, settings):
    sub, _ = subscribe(engine, URL)
    add_event(engine, baseline=True)
    real = add_event(engine)
    fan_out_all(engine, settings)
    assert _delivered_events(engine, sub) == [real]


def test_disabled_subscriptions_get_nothing(engine, settings, client, auth):
    sub, _ = subscribe(engine, URL)
    assert client.patch(f"/api/v1/subscriptions/{sub}", json={"active": False}, headers=auth).status_code == 200
    add_event(engine)
    fan_out_all(engine, settings)
    assert deliveries(engine, sub) == []


def test_fan_out_is_idempotent_and_advances_the_cursor(engine, settings):
    sub, _ = subscribe(engine, URL)
    ids = [add_event(engine) for _ in range(5)]
    with Session(engine) as s:
        assert fan_out(s, settings) == 5
        s.commit()
    assert _cursor(engine) == ids[-1]
    # Rewind the cursor, as after a crash between delivery and commit: nothing is doubled.
    with Session(engine) as s:
        s.execute(text("UPDATE outbox_cursor SET position = 0"))
        s.commit()
    engine.dispose()  # a fresh process would have no memory of what it read
    from service.webhooks import outbox
    outbox._states.clear()
    fan_out_all(engine, settings)
    assert _delivered_events(engine, sub) == ids
    assert len({d.webhook_id for d in deliveries(engine, sub)}) == 5


def test_a_rolled_back_fan_out_is_read_again(engine, settings):
    sub, _ = subscribe(engine, URL)
    add_event(engine)
    with Session(engine) as s:
        assert fan_out(s, settings) == 1
        s.rollback()
    fan_out_all(engine, settings)
    assert len(deliveries(engine, sub)) == 1


def test_batches_are_limited_and_continue(engine, settings):
    sub, _ = subscribe(engine, URL)
    for _ in range(7):
        add_event(engine)
    with Session(engine) as s:
        first = fan_out_batch(s, settings, limit=5)
        s.commit()
    assert (first.events, first.more) == (5, True)
    with Session(engine) as s:
        second = fan_out_batch(s, settings, limit=5)
        s.commit()
    assert (second.events, second.more) == (2, False)
    assert len(deliveries(engine, sub)) == 7


def test_an_event_committed_late_is_not_skipped(engine, settings, db_url):
    """PostgreSQL hands out ids at INSERT: a long transaction's event appears after newer ones."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: ids appear in order")
    from service.ingest.events import emit

    sub, _ = subscribe(engine, URL)
    slow = Session(engine)
    early = emit(slow, "recommendation.created", payload={"n": "slow"}, state="AZE", mechanism="upr")
    slow.flush()  # takes its id now, commits later
    early_id = early.id
    quick = add_event(engine)
    assert quick > early_id
    fan_out_all(engine, settings)
    assert _delivered_events(engine, sub) == [quick]
    assert _cursor(engine) < early_id  # held before the gap
    fan_out_all(engine, settings)
    slow.commit()
    slow.close()
    fan_out_all(engine, settings)
    assert sorted(_delivered_events(engine, sub)) == [early_id, quick]
    assert _cursor(engine) == quick


def test_a_rolled_back_event_does_not_hold_the_cursor_forever(engine, settings, db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL gaps only")
    from service.ingest.events import emit

    subscribe(engine, URL)
    failed = Session(engine)
    emit(failed, "recommendation.created", payload={}, state="AZE")
    failed.flush()
    quick = add_event(engine)
    fan_out_all(engine, settings)
    failed.rollback()
    failed.close()
    fan_out_all(engine, settings)  # notices the gap's horizon
    fan_out_all(engine, settings)  # every transaction older than it has ended: gap given up
    assert _cursor(engine) == quick
