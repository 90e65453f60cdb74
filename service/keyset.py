"""One page of a table in id order, with the total: the shape every plain list endpoint shares."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

Row = TypeVar("Row")


def where_equal(*pairs: tuple[Any, Any]) -> list[Any]:
    """`column == value` for each pair whose value is given (None or empty: no condition)."""
    return [column == value for column, value in pairs if value]


def id_page(session: Session, model: type[Row], conds: list[Any], *, limit: int,
            after_id: int | None = None, before_id: int | None = None,
            newest_first: bool = False) -> tuple[list[Row], int]:
    """Rows of `model` matching `conds` past the id cursor (at most `limit`), and how many match
    in all. Callers ask for one row more than they show to learn whether a next page exists."""
    total = session.execute(select(func.count()).select_from(model).where(*conds)).scalar_one()
    stmt = select(model).where(*conds)
    if after_id is not None:
        stmt = stmt.where(model.id > after_id)  # type: ignore[attr-defined]
    if before_id is not None:
        stmt = stmt.where(model.id < before_id)  # type: ignore[attr-defined]
    order = model.id.desc() if newest_first else model.id  # type: ignore[attr-defined]
    return list(session.execute(stmt.order_by(order).limit(limit)).scalars()), total
