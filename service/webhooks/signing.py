"""Standard Webhooks secrets and signatures (https://www.standardwebhooks.com/).

A signature is `v1,<base64 HMAC-SHA256 of "{webhook-id}.{timestamp}.{body}">`, keyed with the
base64-decoded part of the secret after `whsec_`. Several signatures are space-separated, which
is how a rotated secret keeps working during its grace period.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import datetime

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24-64 random bytes


def generate_secret() -> str:
    """A new `whsec_` secret: 32 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def new_webhook_id() -> str:
    """A fresh `webhook-id`: stable across retries of one delivery, new for a replay."""
    return f"msg_{uuid.uuid4().hex}"


def new_webhook_ids(count: int) -> list[str]:
    """`count` fresh webhook-ids from one read of the random source (fan-out makes thousands)."""
    raw = secrets.token_bytes(16 * count)
    return [f"msg_{raw[i:i + 16].hex()}" for i in range(0, 16 * count, 16)]


def secrets_in_force(secret: str, previous: str | None, previous_expires_at: datetime | None,
                     now: datetime) -> list[str]:
    """The secrets that sign at `now`: the current one, and the previous one during its grace."""
    if previous and previous_expires_at is not None and now < previous_expires_at:
        return [secret, previous]
    return [secret]


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a `whsec_` secret."""
    raw = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(raw + "=" * (-len(raw) % 4))


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,<base64>` signature over the exact bytes sent."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_header(active_secrets: list[str], webhook_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: one signature per secret in force, newest first."""
    return " ".join(sign(s, webhook_id, timestamp, body) for s in active_secrets)


def webhook_headers(active_secrets: list[str], webhook_id: str, timestamp: int, body: bytes,
                    user_agent: str) -> dict[str, str]:
    """All headers of one request; the body must be sent byte-for-byte as signed."""
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(active_secrets, webhook_id, timestamp, body),
        "content-type": "application/json",
        "user-agent": user_agent,
        # The excerpt of the answer is stored as is: ask for it uncompressed.
        "accept-encoding": "identity",
    }
