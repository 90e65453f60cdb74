"""Snapshot of every table's rows, to prove an operation changed nothing."""

from __future__ import annotations

from sqlalchemy import Engine, select

from service.models import metadata


def dump(engine: Engine) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name == "scrape_run":
                continue  # runs are the record of attempts, expected to grow
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out
