"""Dashboard sign-in sessions: a signed cookie that carries who signed in with which API key,
backed by a server-side `DashboardSession` row.

The cookie is signed, not encrypted: it holds the key's id, name and role (never the key) and
the id of the server-side session. Every request checks that session (not revoked, not expired,
key not revoked), so signing out or revoking the key ends a copied cookie at once. The access
middleware reads sessions here too, which is why they live beside the keys and not in the
dashboard.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlmodel import Session

from service.config import Settings
from service.models import ROLE_RANK, ApiKey, Role
from service.models._common import utcnow
from service.models.access import DashboardSession

COOKIE = "rw_dashboard"
TTL_SECONDS = 12 * 3600  # a working day; signing in again is cheap
SECRET_FILE = "dashboard-session.key"
log = logging.getLogger(__name__)
_secrets: dict[str, bytes] = {}


@dataclass(frozen=True)
class Viewer:
    """Who is signed in, as the cookie says (checked against the database before any write)."""

    key_id: int
    name: str
    role: Role
    sid: str = ""  # the server-side session; "" in cookies from before sessions were stored

    @property
    def can_edit(self) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[Role.EDITOR]


@dataclass(frozen=True)
class SessionData:
    csrf: str
    viewer: Viewer | None
    expires: int


def signing_secret(settings: Settings) -> bytes:
    """`RECWATCH_DASHBOARD_SECRET` when configured, else a random secret kept in DATA_DIR so
    that every process sharing the data directory (and a restart) accepts the same cookies."""
    configured = getattr(settings, "dashboard_secret", None)
    if hasattr(configured, "get_secret_value"):  # a pydantic SecretStr
        configured = configured.get_secret_value()
    if configured:
        return str(configured).encode()
    path = Path(settings.data_dir) / SECRET_FILE
    cache_key = str(path.resolve())
    if cache_key in _secrets:
        return _secrets[cache_key]
    try:
        if path.exists():
            value = bytes.fromhex(path.read_text().strip())
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            value = secrets.token_bytes(32)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(value.hex())
    except (OSError, ValueError):  # read-only or shared-nothing deployment: sessions per process
        log.warning("dashboard: no writable %s; sign-ins last until this process restarts", path)
        value = secrets.token_bytes(32)
    _secrets[cache_key] = value
    return value


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(data: SessionData, secret: bytes) -> str:
    viewer = data.viewer
    body = {"c": data.csrf, "e": data.expires,
            "v": [viewer.key_id, viewer.name, viewer.role.value, viewer.sid] if viewer else None}
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    mac = hmac.new(secret, payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def decode(value: str, secret: bytes, *, now: float | None = None) -> SessionData | None:
    """The session in a cookie value; None when forged, malformed or expired."""
    payload, _, mac = value.partition(".")
    try:
        expected = hmac.new(secret, payload.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return None
        body = json.loads(_unb64(payload))
        if int(body["e"]) < (now or time.time()):
            return None
        v = body.get("v")
        viewer = Viewer(int(v[0]), str(v[1]), Role(v[2]), str(v[3]) if len(v) > 3 else "") if v else None
        return SessionData(csrf=str(body["c"]), viewer=viewer, expires=int(body["e"]))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _token_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start_session(session: Session, key_id: int, *, now: float | None = None) -> tuple[str, int]:
    """Store a new sign-in for `key_id` (and drop its long-expired ones); returns (sid, expires)."""
    started = int(now or time.time())
    expires = started + TTL_SECONDS
    sid = secrets.token_urlsafe(24)
    stale = datetime.fromtimestamp(started - 7 * 86400, UTC)  # a week of history for a look back
    session.execute(delete(DashboardSession).where(DashboardSession.key_id == key_id,
                                                   DashboardSession.expires_at < stale))
    session.add(DashboardSession(token_hash=_token_hash(sid), key_id=key_id,
                                 expires_at=datetime.fromtimestamp(expires, UTC)))
    return sid, expires


def end_session(session: Session, viewer: Viewer | None) -> bool:
    """Revoke the viewer's session (sign-out); True when one was live."""
    if viewer is None or not viewer.sid:
        return False
    row = session.execute(select(DashboardSession).where(
        DashboardSession.token_hash == _token_hash(viewer.sid))).scalar_one_or_none()
    if row is None or row.revoked_at is not None or row.key_id != viewer.key_id:
        return False
    row.revoked_at = utcnow()
    session.add(row)
    return True


def session_live(session: Session, viewer: Viewer) -> bool:
    """The viewer's server-side session exists for their key, is not revoked or expired, and the
    key itself is not revoked."""
    if not viewer.sid:
        return False
    row = session.execute(
        select(DashboardSession.id)
        .join(ApiKey, ApiKey.id == DashboardSession.key_id)
        .where(DashboardSession.token_hash == _token_hash(viewer.sid),
               DashboardSession.key_id == viewer.key_id,
               DashboardSession.revoked_at.is_(None),
               DashboardSession.expires_at > utcnow(),
               ApiKey.revoked_at.is_(None))).first()
    return row is not None
