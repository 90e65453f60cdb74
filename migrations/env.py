"""Alembic environment: the URL comes from service.config unless the caller set one."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

import service.models  # noqa: F401  (registers every table)
from service.config import get_settings
from service.db import make_engine
from service.models import metadata

config = context.config


# Objects the models do not describe on purpose (full-text search, see 0004).
UNMODELLED = {"recommendation_fts", "ix_recommendation_fts"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith(tuple(UNMODELLED))


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().effective_database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection) -> None:
    # render_as_batch: SQLite cannot ALTER constraints in place; batch mode recreates tables.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
