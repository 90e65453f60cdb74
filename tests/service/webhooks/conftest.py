"""Webhook test fixtures: settings that allow 127.0.0.1, the app with the webhooks router, API
keys, a verifying receiver, and helpers that write events the way the importer does."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from service.auth.keys import create_key
from service.config import Settings
from service.ingest.events import emit
from service.models import (
    ApiKey,
    Recommendation,
    RecommendationTheme,
    Review,
    Role,
    State,
    Theme,
    WebhookDelivery,
)
from service.webhooks import repository
from service.webhooks.sender import Sender
from tests.service.webhooks.receiver import Receiver

BASE_URL = "https://recwatch.example.org"


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db_url,
                    webhook_allowed_hosts="127.0.0.1", webhook_timeout=2.0,
                    webhook_batch_size=20, webhook_concurrency=8, public_base_url=BASE_URL)


def build_client(settings: Settings, engine: Engine):  # type: ignore[no-untyped-def]
    """The real app on the test database."""
    from fastapi.testclient import TestClient

    from service.config import get_settings
    from service.db import get_session
    from service.main import create_app

    app = create_app(engine_provider=lambda: engine, settings=settings)  # middleware reads keys too

    def _session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session:
            yield session

    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_session] = _session
    return TestClient(app)


@pytest.fixture
def client(settings: Settings, engine: Engine):  # type: ignore[no-untyped-def]
    with build_client(settings, engine) as test_client:
        yield test_client


@pytest.fixture
def keys(engine: Engine) -> dict[str, str]:
    with Session(engine) as s:
        out = {role.value: create_key(s, f"{role.value}-person", role) for role in Role}
        s.commit()
    return out


@pytest.fixture
def auth(keys: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys['editor']}"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()
    assert not server.unverified(), "a request did not verify with the reference library"


@pytest.fixture
def sender(settings: Settings) -> Iterator[Sender]:
    with Sender(settings) as s:
        yield s


@pytest.fixture
def rng() -> random.Random:
    return random.Random(7)


def subscribe(engine: Engine, url: str, *, event_types: list[str] | None = None,
              filters: dict[str, list[str]] | None = None, owner: str = "editor-person") -> tuple[int, str]:
    """A subscription straight in the database, owned by the key named `owner` when there is one
    (else by no key: admins only); returns (id, secret)."""
    with Session(engine, expire_on_commit=False) as s:
        owner_id = s.execute(select(ApiKey.id).where(ApiKey.name == owner)).scalar_one_or_none()
        sub = repository.create_subscription(s, url=url, event_types=event_types or ["*"],
                                             filters=filters or {}, created_by=owner, owner_key_id=owner_id)
        s.commit()
        return sub.id, sub.secret


def add_event(engine: Engine, type_: str = "recommendation.created", *, state: str | None = "AZE",
              mechanism: str | None = "upr", payload: dict[str, Any] | None = None,
              recommendation_id: int | None = None, baseline: bool = False) -> int:
    """One change event, written by `ingest.events.emit` and committed; returns its id."""
    with Session(engine, expire_on_commit=False) as s:
        event = emit(s, type_, payload=payload or {"note": type_}, state=state, mechanism=mechanism,
                     recommendation_id=recommendation_id, baseline=baseline)
        s.commit()
        assert event.id is not None
        return event.id


def add_recommendation(engine: Engine, *, state: str = "AZE", paragraph: str = "1.1",
                       position: str = "pending", themes: tuple[str, ...] = ()) -> int:
    """A recommendation (with its state and review) tagged with `themes`; returns its id."""
    with Session(engine, expire_on_commit=False) as s:
        if s.execute(select(State).where(State.iso3 == state)).first() is None:
            s.add(State(iso3=state, name=state, un_name=state))
        review = s.execute(select(Review).where(Review.state == state)).scalar_one_or_none()
        if review is None:
            review = Review(mechanism="upr", state=state, ref="3", cycle=3)
            s.add(review)
            s.flush()
        rec = Recommendation(key=f"upr/{state}/3/{paragraph}", mechanism="upr", state=state,
                             review_id=review.id, cycle=3, paragraph=paragraph,
                             text="Ratify the Optional Protocol", text_sha256="0" * 64,
                             position=position)
        s.add(rec)
        s.flush()
        for name in themes:
            theme = s.execute(select(Theme).where(Theme.name == name)).scalar_one_or_none()
            if theme is None:
                theme = Theme(kind="theme", name=name)
                s.add(theme)
                s.flush()
            s.add(RecommendationTheme(recommendation_id=rec.id, theme_id=theme.id, source="test"))
        s.commit()
        assert rec.id is not None
        return rec.id


def deliveries(engine: Engine, subscription_id: int | None = None) -> list[WebhookDelivery]:
    with Session(engine) as s:
        stmt = select(WebhookDelivery).order_by(WebhookDelivery.id)
        if subscription_id is not None:
            stmt = stmt.where(WebhookDelivery.subscription_id == subscription_id)
        return list(s.execute(stmt).scalars())


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def later(seconds: float = 0, **kw: float) -> datetime:
    """A time after now, for scheduling (the webhook-timestamp header stays real)."""
    return datetime.now(UTC) + timedelta(seconds=seconds, **kw)
