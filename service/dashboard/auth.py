"""The editor session: a signed cookie (HttpOnly, SameSite=Lax) that carries who signed in with
which API key, and a per-session CSRF token that every POST form must echo.

The cookie is signed, not encrypted: it holds the key's id, name and role (never the key) and
the id of a server-side `DashboardSession`. Every request checks that session (not revoked, not
expired, key not revoked), so signing out or revoking the key ends a copied cookie at once.
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

from fastapi import Request, Response
from sqlalchemy import Engine, delete, select
from sqlmodel import Session

from service.auth.keys import Principal
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


def _engine(request: Request) -> Engine:
    provider = getattr(request.app.state, "engine_provider", None)
    if provider is None:
        from service.db import get_engine

        return get_engine()
    return provider()


def load(request: Request, settings: Settings) -> SessionData | None:
    """The request's session; a viewer whose server-side session has ended is dropped (the
    CSRF token stays, for the sign-in form), so the request counts as signed out."""
    raw = request.cookies.get(COOKIE)
    data = decode(raw, signing_secret(settings)) if raw else None
    if data is None or data.viewer is None:
        return data
    with Session(_engine(request)) as session:
        live = session_live(session, data.viewer)
    return data if live else SessionData(csrf=data.csrf, viewer=None, expires=data.expires)


def new_session(viewer: Viewer | None = None) -> SessionData:
    """A fresh session with a new CSRF token (also on sign-in, against session fixation)."""
    return SessionData(csrf=secrets.token_urlsafe(24), viewer=viewer,
                       expires=int(time.time()) + TTL_SECONDS)


def set_cookie(response: Response, request: Request, data: SessionData, settings: Settings) -> None:
    response.set_cookie(COOKIE, encode(data, signing_secret(settings)), max_age=TTL_SECONDS,
                        path="/", httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")


def csrf_ok(data: SessionData | None, token: str | None) -> bool:
    return bool(data and token) and hmac.compare_digest(data.csrf, str(token))


def same_origin(request: Request) -> bool:
    """A second check for POSTs: a browser's Origin header, when sent, must be ours."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def principal(session: Session, viewer: Viewer | None, minimum: Role) -> Principal | None:
    """The viewer as a Principal if their session is live, their key still exists, is not revoked
    and has the role (checked again in the request's own transaction, before any write)."""
    if viewer is None or not session_live(session, viewer):
        return None
    row = session.get(ApiKey, viewer.key_id)
    if row is None or row.revoked_at is not None or ROLE_RANK[Role(row.role)] < ROLE_RANK[minimum]:
        return None
    return Principal(key_id=row.id, name=row.name, role=Role(row.role))


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site only (no `//host`, no scheme)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value
