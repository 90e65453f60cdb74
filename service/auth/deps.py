"""FastAPI dependencies: who is calling, and whether their role may do what they ask."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from service.auth.keys import Principal, verify_key
from service.db import get_session
from service.errors import Forbidden, Unauthorized
from service.models import ROLE_RANK, Role


def current_principal(request: Request,
                      session: Annotated[Session, Depends(get_session)]) -> Principal | None:
    header = request.headers.get("authorization", "")
    if not header:
        return None
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("send the API key as `Authorization: Bearer <key>`")
    principal = verify_key(session, key.strip())
    if principal is None:
        raise Unauthorized("the API key is not valid or has been revoked")
    return principal


def require_role(role: Role) -> Callable[..., Principal]:
    """A dependency that admits keys of `role` or higher: no key → 401, too weak → 403."""

    def dependency(principal: Annotated[Principal | None, Depends(current_principal)]) -> Principal:
        if principal is None:
            raise Unauthorized("this action needs an API key (`Authorization: Bearer <key>`)")
        if ROLE_RANK[principal.role] < ROLE_RANK[role]:
            raise Forbidden(f"this action needs the {role.value} role; the key "
                            f"{principal.name!r} has {principal.role.value}")
        return principal

    return dependency
