"""Editors manage webhook subscriptions in the browser and read their delivery logs."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlmodel import Session

from service.models import ChangeEvent, WebhookAttempt, WebhookDelivery, WebhookSubscription

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect


def sign_in(page, key: str, next_url: str) -> None:
    page.goto(f"/signin?next={next_url}")
    page.fill("#key", key)
    page.click("button:has-text('Sign in')")
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


def add_failed_delivery(engine, subscription_id: int) -> None:
    """What the delivery worker leaves after a receiver failed (it does not run in this test)."""
    with Session(engine) as s:
        event = s.execute(select(ChangeEvent).where(ChangeEvent.baseline.is_(False))
                          .order_by(ChangeEvent.id.desc())).scalars().first()
        delivery = WebhookDelivery(subscription_id=subscription_id, event_id=event.id, webhook_id="msg_test1",
                                   status="failed", attempts=1, last_http_status=500,
                                   last_error="HTTP 500 from receiver")
        s.add(delivery)
        s.flush()
        s.add(WebhookAttempt(delivery_id=delivery.id, attempt=1, started_at=datetime.now(UTC), http_status=500,
                             duration_ms=42, error="HTTP 500", response_excerpt="<h1>oops</h1>"))
        s.commit()


def test_editor_creates_a_subscription_and_reads_its_delivery_log(web, site):
    page = web.page
    sign_in(page, site.ids.editor_key, "/subscriptions")
    page.fill("#s-url", "ftp://127.0.0.1/hook")
    page.click("button:has-text('Create subscription')")
    assert "only http and https" in page.locator("#url-error").inner_text()
    page.fill("#s-url", "http://127.0.0.1:9/recwatch-hook")
    page.check("input[name=event_types][value='recommendation.implementation_changed']")
    page.fill("#s-state", "aze")
    page.check("input[name=mechanism][value=upr]")
    page.click("button:has-text('Create subscription')")
    secret = page.locator(".secret-value").inner_text()
    assert secret.startswith("whsec_")
    web.screenshot("webhook-created")
    with Session(site.engine) as s:
        sub = s.execute(select(WebhookSubscription).where(
            WebhookSubscription.url == "http://127.0.0.1:9/recwatch-hook")).scalar_one()
        assert sub.filters == {"state": ["AZE"], "mechanism": ["upr"]} and sub.created_by == "dashboard-editor"
    add_failed_delivery(site.engine, sub.id)
    page.goto(f"/subscriptions/{sub.id}")
    assert secret not in page.content()  # shown once only
    log = page.locator(".deliveries").inner_text()
    assert "HTTP 500" in log and "Failed" in log
    page.click("summary:has-text('Attempts')")
    assert "<h1>oops</h1>" in page.locator(".attempts").inner_text()  # the receiver's answer, as text
    web.screenshot("webhook-delivery-log")
    page.click("button:has-text('Send again')")
    expect(page.locator(".notice")).to_contain_text("queued for delivery again")
    assert page.locator(".deliveries > li").count() == 2
    page.click("button:has-text('Disable')")
    expect(page.locator(".notice")).to_contain_text("disabled")
    page.click("button:has-text('Delete with its delivery log')")
    expect(page).to_have_url(re.compile(r"/subscriptions$"))
    with Session(site.engine) as s:
        assert s.get(WebhookSubscription, sub.id) is None


def test_webhook_pages_are_for_editors_only(web, site):
    page = web.page
    page.goto("/subscriptions")
    expect(page).to_have_url(re.compile(r"/signin\?next=/subscriptions$"))
    page.fill("#key", site.ids.reader_key)
    page.click("button:has-text('Sign in')")
    assert page.locator("main h1").inner_text() == "Editors only"
    assert page.locator("nav a", has_text="Webhooks").count() == 0
