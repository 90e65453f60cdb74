"""Our signatures against the `standardwebhooks` reference library."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from service.webhooks.signing import (
    generate_secret,
    new_webhook_id,
    secret_key,
    secrets_in_force,
    sign,
    webhook_headers,
)

BODY = b'{"type":"recommendation.created","timestamp":"2024-05-01T10:00:00Z","data":{"x":"\xc3\xa9"}}'


def _headers(secrets: list[str], ts: int | None = None) -> dict[str, str]:
    return webhook_headers(secrets, "msg_1", ts if ts is not None else int(time.time()), BODY, "recwatch/test")


def test_secret_is_whsec_with_32_random_bytes():
    secret = generate_secret()
    assert secret.startswith("whsec_") and len(secret_key(secret)) == 32
    assert generate_secret() != secret
    assert new_webhook_id().startswith("msg_") and new_webhook_id() != new_webhook_id()


def test_signature_verifies_with_the_reference_library():
    secret = generate_secret()
    assert Webhook(secret).verify(BODY, _headers([secret]))["data"]["x"] == "é"


def test_matches_the_reference_implementation_byte_for_byte():
    secret, ts = generate_secret(), 1_700_000_000
    ours = sign(secret, "msg_1", ts, BODY)
    theirs = Webhook(secret).sign("msg_1", datetime.fromtimestamp(ts, tz=UTC), BODY.decode())
    assert ours == theirs


def test_tampered_body_does_not_verify():
    secret = generate_secret()
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"created", b"deleted"), _headers([secret]))


def test_other_secret_does_not_verify():
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(BODY, _headers([generate_secret()]))


def test_stale_timestamp_does_not_verify():
    secret = generate_secret()
    stale = int(time.time()) - 10 * 60  # the library accepts 5 minutes either way
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, _headers([secret], stale))


def test_two_signatures_each_verify_alone():
    old, new = generate_secret(), generate_secret()
    headers = _headers([new, old])
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(BODY, headers)
    Webhook(new).verify(BODY, headers)


def test_previous_secret_signs_only_until_it_expires():
    now = datetime(2024, 5, 1, tzinfo=UTC)
    assert secrets_in_force("new", "old", now + timedelta(hours=1), now) == ["new", "old"]
    assert secrets_in_force("new", "old", now, now) == ["new"]
    assert secrets_in_force("new", None, None, now) == ["new"]
