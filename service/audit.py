"""The audit trail: every write by a person records who, when, what and from where."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlmodel import Session

from service.auth.keys import Principal
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
