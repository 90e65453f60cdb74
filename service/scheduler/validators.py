"""ETag / Last-Modified / body hash per URL, kept in the database between runs."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlmodel import Session

from service.models import HttpCacheEntry
from service.models._common import utcnow


class DbValidatorStore:
    """scrapers.http.ValidatorStore backed by the http_cache table; each write commits alone."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, url: str) -> tuple[str | None, str | None, str | None] | None:
        with Session(self.engine) as session:
            row = session.execute(select(HttpCacheEntry).where(HttpCacheEntry.url == url)).scalar_one_or_none()
            return (row.etag, row.last_modified, row.sha256) if row else None

    def put(self, url: str, etag: str | None, last_modified: str | None, sha256: str) -> None:
        with Session(self.engine) as session:
            row = session.execute(select(HttpCacheEntry).where(HttpCacheEntry.url == url)).scalar_one_or_none()
            row = row or HttpCacheEntry(url=url)
            row.etag, row.last_modified, row.sha256, row.checked_at = etag, last_modified, sha256, utcnow()
            session.add(row)
            session.commit()

    def forget(self, url: str) -> None:
        """Drop what we know of `url`, so a document that failed to import is fetched again."""
        with Session(self.engine) as session:
            row = session.execute(select(HttpCacheEntry).where(HttpCacheEntry.url == url)).scalar_one_or_none()
            if row is not None:
                session.delete(row)
                session.commit()
