"""The API under fuzz: the real app on a migrated SQLite file holding a little data, rate limits
off, and an admin key for the writes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session

from service import migrate
from service.auth.keys import create_key
from service.config import Settings, get_settings
from service.db import get_session, make_engine
from service.ingest.importer import import_parsed
from service.main import create_app
from service.models import Role
from service.states.seed import seed_states
from service.store import RawStore
from tests.service.helpers import sample_report

__all__ = ["ADMIN", "Api", "build_api"]

PDF = b"%PDF-1.4 report one"
ADMIN = "schemathesis-admin-key-do-not-revoke"


@dataclass(frozen=True)
class Api:
    """The app under test, its engine and the admin key its writes use."""

    app: FastAPI
    engine: Engine
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def build_api(root: Path) -> Api:
    """Migrate a fresh SQLite file under ``root``, load states, one WG report with three
    recommendations and an admin key, and build the app on it."""
    url = f"sqlite:///{root / 'recwatch.sqlite3'}"
    migrate.upgrade(url)
    settings = Settings(data_dir=root / "data", database_url=url, rate_limit_per_minute=0)
    engine = make_engine(url)
    RawStore(settings.raw_dir).put(PDF)
    with Session(engine) as session:
        seed_states(session)
        import_parsed(session, sample_report(PDF), recorded_by="fuzz")
        key = create_key(session, ADMIN, Role.ADMIN)
        session.commit()
    app = create_app(engine_provider=lambda: engine, settings=settings)

    def _session():
        with Session(engine, expire_on_commit=False) as session:
            yield session

    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_session] = _session
    return Api(app, engine, key)
