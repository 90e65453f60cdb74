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


@pytest.mark.parametrize("revision", ["0001", "0002", "0003", "0004", "0005", "0006", "0007"])
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


def test_0006_accepts_skipped_and_relabels_old_successes_that_fetched_nothing(db_url):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    run = ("INSERT INTO scrape_run (source, trigger, started_at, outcome, fetched, skipped_unchanged, inserted, "
           "updated, unchanged, rejected, errors) VALUES ('pace', 'schedule', CURRENT_TIMESTAMP, '{}', {}, 0, {}, "
           "0, 0, 0, '[]')")
    migrate.downgrade(db_url, "0005")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            for outcome, fetched, inserted in (("ok", 0, 0), ("ok", 2, 0), ("ok", 0, 5), ("failed", 0, 0)):
                conn.execute(text(run.format(outcome, fetched, inserted)))
        migrate.upgrade(db_url)
        with engine.begin() as conn:
            outcomes = conn.execute(text("SELECT outcome FROM scrape_run ORDER BY id")).scalars().all()
            conn.execute(text(run.format("skipped", 0, 0)))
        # nothing was fetched: not a success; a fetch or an import (a person's saved page) was one
        assert outcomes == ["skipped", "ok", "ok", "failed"]
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(run.format("maybe", 0, 0)))
        migrate.downgrade(db_url, "0005")
        with engine.begin() as conn:
            assert "skipped" not in conn.execute(text("SELECT outcome FROM scrape_run")).scalars().all()
        migrate.upgrade(db_url)
    finally:
        engine.dispose()
