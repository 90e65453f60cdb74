"""The editor session: a signed cookie (HttpOnly, SameSite=Lax) that carries who signed in with
which API key, and a per-session CSRF token that every POST form must echo.

The cookie and its server-side session are `service.auth.sessions` (the access middleware
reads them too); this module ties them to requests, responses and roles.
"""

from __future__ import annotations

import hmac
import secrets
import time

from fastapi import Request, Response
from sqlalchemy import Engine
from sqlmodel import Session

from service.auth.keys import Principal
from service.auth.sessions import (
    COOKIE,
    TTL_SECONDS,
    SessionData,
    Viewer,
    decode,
    encode,
    end_session,
    session_live,
    signing_secret,
    start_session,
)
from service.config import Settings
from service.models import ROLE_RANK, ApiKey, Role

__all__ = ["COOKIE", "TTL_SECONDS", "SessionData", "Viewer", "decode", "encode", "end_session",
           "session_live", "signing_secret", "start_session"]


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
