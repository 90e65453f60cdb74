"""Snapshot of every table's rows, to prove an operation changed nothing."""

from __future__ import annotations

from sqlalchemy import Engine, select

from service.models import metadata


def dump(engine: Engine) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in ("scrape_run", "audit_entry", "http_cache"):
                continue  # records of attempts and who made them: expected to grow
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out
