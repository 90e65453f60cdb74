"""0008 backfills subscription owners from `created_by` (exact key names only; the rest become
admin-only) and adds the dashboard session table, on every backend, and downgrades cleanly."""

from __future__ import annotations

from sqlalchemy import inspect, text

from service import migrate
from service.db import make_engine


def _seed_0007(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for name in ("alice", "bob"):
                conn.execute(text("INSERT INTO api_key (name, key_hash, prefix, role, created_at) "
                                  "VALUES (:n, :h, 'rw_x', 'editor', CURRENT_TIMESTAMP)"),
                             {"n": name, "h": name * 8})
            for url_, by in (("http://a/", "alice"), ("http://b/", "bob"), ("http://c/", "gone-key")):
                conn.execute(text("INSERT INTO webhook_subscription (url, secret, event_types, filters, active, "
                                  "created_by, created_at, updated_at) VALUES (:u, 's', '[\"*\"]', '{}', true, "
                                  ":b, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"u": url_, "b": by})
    finally:
        engine.dispose()


def test_0008_backfills_owners_by_key_name_and_leaves_the_rest_to_admins(db_url):
    migrate.downgrade(db_url, "0007")
    _seed_0007(db_url)
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT s.url, k.name FROM webhook_subscription s LEFT JOIN api_key k ON k.id = s.owner_key_id "
                "ORDER BY s.url")).all()
        assert [tuple(r) for r in rows] == [("http://a/", "alice"), ("http://b/", "bob"), ("http://c/", None)]
        assert "dashboard_session" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_0008_downgrade_keeps_the_subscriptions(db_url):
    migrate.downgrade(db_url, "0007")
    _seed_0007(db_url)
    migrate.upgrade(db_url)
    migrate.downgrade(db_url, "0007")
    engine = make_engine(db_url)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("webhook_subscription")}
        assert "owner_key_id" not in columns
        assert "dashboard_session" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM webhook_subscription")).scalar_one() == 3
    finally:
        engine.dispose()
    migrate.upgrade(db_url)
