"""The audit trail: every write by a person records who, when, what and from where."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlmodel import Session

from service.auth.keys import Principal
from service.keyset import id_page, where_equal
from service.models import AuditEntry


def record(session: Session, principal: Principal | None, action: str, *, target: str | None = None,
           request: Request | None = None, detail: dict[str, Any] | None = None,
           actor: str | None = None) -> AuditEntry:
    """Append an entry in the caller's transaction, so it commits with the write it describes."""
    client = request.client.host if request is not None and request.client else None
    entry = AuditEntry(actor=actor or (principal.name if principal else "anonymous"),
                       role=principal.role.value if principal else None, action=action, target=target,
                       client=client, detail=detail or {})
    session.add(entry)
    return entry


def page(session: Session, *, actor: str | None, action: str | None, limit: int,
         before_id: int | None) -> tuple[list[AuditEntry], int]:
    """Newest entries first (one more than `limit`, to tell whether a next page exists), and the
    total matching `actor` and `action`."""
    conds = where_equal((AuditEntry.actor, actor), (AuditEntry.action, action))
    return id_page(session, AuditEntry, conds, limit=limit + 1, before_id=before_id, newest_first=True)
