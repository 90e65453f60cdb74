"""Migrations run both ways on every backend and match the models exactly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from service import migrate
from service.db import make_engine
from service.models import metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """The same filter as migrations/env.py: full-text search objects are not modelled."""
    return not (name or "").startswith(("recommendation_fts", "ix_recommendation_fts"))


def _diff(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            opts = {"compare_type": True, "include_object": include_object}
            return compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    finally:
        engine.dispose()


def test_models_match_migrations(db_url):
    assert _diff(db_url) == []


def test_upgrade_downgrade_upgrade(db_url):
    engine = make_engine(db_url)
    try:
        migrate.downgrade(db_url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(db_url)
        assert migrate.is_current(engine)
        assert {t.name for t in metadata.sorted_tables} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert _diff(db_url) == []


@pytest.mark.parametrize("revision", ["0001", "0002", "0003", "0004"])
def test_each_revision_downgrades_cleanly(db_url, revision):
    migrate.downgrade(db_url, revision)
    migrate.upgrade(db_url)
    assert _diff(db_url) == []


def test_enum_checks_hold_after_every_migration(db_url):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO state (iso3, name, un_name, coe_member) "
                              "VALUES ('AZE', 'Azerbaijan', 'Azerbaijan', true)"))
            conn.execute(text("INSERT INTO review (mechanism, state, ref, is_sample) VALUES ('upr', 'AZE', '2', false)"))
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO recommendation (key, mechanism, state, review_id, text, text_sha256, position, "
                "implementation, first_seen_at, updated_at, is_sample) VALUES ('k', 'upr', 'AZE', "
                "(SELECT id FROM review), 't', 'h', 'maybe', 'unknown', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, false)"))
    finally:
        engine.dispose()
