"""API keys: created with a random secret shown once, stored as a SHA-256 hash only.

SHA-256 (not a slow password hash) is right here: keys are 32 random bytes, not guessable
passwords, and every request verifies one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from service.models import ApiKey, Role
from service.models._common import utcnow
from service.models.access import DashboardSession

KEY_PREFIX = "rw_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's name (recorded on everything they write) and role."""

    key_id: int
    name: str
    role: Role


def create_key(session: Session, name: str, role: Role) -> str:
    """Store a new key for `name`; returns the key itself, which is not kept anywhere."""
    if session.execute(select(ApiKey.id).where(ApiKey.name == name)).first() is not None:
        raise ValueError(f"a key named {name!r} already exists")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(name=name, key_hash=hash_key(key), prefix=key[:8], role=role))
    return key


def verify_key(session: Session, key: str) -> Principal | None:
    """The principal for a presented key, or None; revoked keys never verify."""
    digest = hash_key(key)
    row = session.execute(select(ApiKey).where(ApiKey.key_hash == digest)).scalar_one_or_none()
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.key_hash, digest):
        return None
    row.last_used_at = utcnow()
    session.add(row)
    session.commit()
    return Principal(key_id=row.id, name=row.name, role=Role(row.role))


def revoke_key(session: Session, name: str) -> bool:
    """Revoke the key and end its dashboard sessions in the same transaction (CLI and API alike),
    so a cookie copied from one of its sign-ins stops working too."""
    row = session.execute(select(ApiKey).where(ApiKey.name == name)).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return False
    now = utcnow()
    row.revoked_at = now
    session.add(row)
    session.execute(update(DashboardSession)
                    .where(DashboardSession.key_id == row.id, DashboardSession.revoked_at.is_(None))
                    .values(revoked_at=now))
    return True


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.execute(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)).scalars())


def key_named(session: Session, name: str) -> ApiKey:
    return session.execute(select(ApiKey).where(ApiKey.name == name)).scalar_one()
