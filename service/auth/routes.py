"""`/api/v1/keys` and `/api/v1/audit`: key management and the audit trail, for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session

from service import audit
from service.auth.deps import require_role
from service.auth.keys import Principal, create_key, key_named, list_keys, revoke_key
from service.auth.schemas import AuditOut, KeyCreated, KeyIn, KeyOut
from service.db import get_session
from service.errors import Conflict, NotFound
from service.models import Role
from service.pagination import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/api/v1", tags=["access"])
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]


@router.get("/keys", response_model=Page[KeyOut], summary="API keys (never the keys themselves)")
def get_keys(session: Annotated[Session, Depends(get_session)], _: Admin) -> Page[KeyOut]:
    items = [KeyOut.model_validate(k, from_attributes=True) for k in list_keys(session)]
    return Page(items=items, total=len(items), next=None)


@router.post("/keys", response_model=KeyCreated, status_code=201, summary="Create a key (shown once)")
def post_key(body: KeyIn, request: Request, session: Annotated[Session, Depends(get_session)],
             principal: Admin) -> KeyCreated:
    try:
        key = create_key(session, body.name, body.role)
    except ValueError as exc:
        raise Conflict(str(exc)) from exc
    audit.record(session, principal, "key.create", target=f"key/{body.name}", request=request,
                 detail={"role": body.role.value})
    session.commit()
    row = key_named(session, body.name)
    return KeyCreated(**KeyOut.model_validate(row, from_attributes=True).model_dump(), key=key)


@router.delete("/keys/{name}", status_code=204, summary="Revoke a key")
def delete_key(name: str, request: Request, session: Annotated[Session, Depends(get_session)],
               principal: Admin) -> None:
    if not revoke_key(session, name):
        raise NotFound(f"no active key named {name!r}")
    audit.record(session, principal, "key.revoke", target=f"key/{name}", request=request)
    session.commit()


@router.get("/audit", response_model=Page[AuditOut], summary="Who wrote what, newest first")
def get_audit(session: Annotated[Session, Depends(get_session)], _: Admin,
              actor: Annotated[str | None, Query(max_length=120)] = None,
              action: Annotated[str | None, Query(max_length=64)] = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 100,
              cursor: Annotated[str | None, Query(max_length=200)] = None) -> Page[AuditOut]:
    before = decode_cursor(cursor, 1, (int,))[0] if cursor else None
    rows, total = audit.page(session, actor=actor, action=action, limit=limit, before_id=before)
    nxt = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return Page(items=[AuditOut.model_validate(r, from_attributes=True) for r in rows[:limit]],
                total=total, next=nxt)
