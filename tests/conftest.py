"""Shared fixtures: every database test runs on SQLite and, when RECWATCH_TEST_POSTGRES_URL is
set, on PostgreSQL too. The schema is built by Alembic; each run creates and drops its own
PostgreSQL database."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from service import migrate
from service.config import Settings
from service.db import make_engine
from service.models import metadata

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
PG_URL = os.environ.get("RECWATCH_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def corpus_file(name: str) -> Path:
    """A file of ../shared/corpus, or a clean skip when the corpus is absent."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied per test (migrating each time would dominate the run)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this run, migrated by Alembic, dropped at the end."""
    if not PG_URL:
        yield None
        return
    name = f"recwatch_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_pg(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path,
           pg_database: str | None) -> str:
    if request.param == "sqlite":
        path = tmp_path / "recwatch.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    assert pg_database is not None
    _truncate_pg(pg_database)
    return pg_database


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db_url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.effective_database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def client(settings: Settings, engine: Engine):
    """The real app against the test database (in-process ASGI transport)."""
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from service.config import get_settings
    from service.db import get_session
    from service.main import create_app

    app = create_app(engine_provider=lambda: engine, settings=settings)

    def _session():
        with Session(engine, expire_on_commit=False) as session:
            yield session

    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_session] = _session
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def source_server():
    from tests.fakes.source_server import SourceServer

    server = SourceServer().start()
    yield server
    server.stop()
