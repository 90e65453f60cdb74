"""Opaque keyset cursors and the common list envelope `{items, total, next}`."""

from __future__ import annotations

import base64
import json
import math
from typing import Annotated, Any

from fastapi import Path

from service.errors import InvalidParameter
from service.schemas import Page

__all__ = ["MAX_ID", "Page", "RowId", "decode_cursor", "encode_cursor"]

MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL (bigint) can hold
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="Numeric id")]


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, length: int,
                  kinds: tuple[type | None, ...] | None = None) -> list[Any]:
    """Decode a cursor made by encode_cursor; anything else is a 422, not a 500.

    Values must be plain scalars a database can compare (no objects, no integer beyond 64 bits);
    ``kinds`` optionally names the type of each value (``int`` for ids, ``None`` for any)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise InvalidParameter("cursor: not a cursor returned by this API") from exc
    if not isinstance(values, list) or len(values) != length or not all(map(_plain, values)):
        raise InvalidParameter("cursor: not a cursor returned by this API")
    if kinds and not all(k is None or (isinstance(v, k) and not isinstance(v, bool))
                         for v, k in zip(values, kinds, strict=False)):
        raise InvalidParameter("cursor: not a cursor returned by this API")
    return values


def _plain(value: Any) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return -MAX_ID - 1 <= value <= MAX_ID
    return isinstance(value, float) and math.isfinite(value)
