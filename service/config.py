"""Settings. This is the only module that reads the environment (prefix ``RECWATCH_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from service import __version__


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``RECWATCH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="RECWATCH_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("./recwatch-data"), description="Raw store and SQLite file")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in data_dir")
    contact_url: str = "https://github.com/recwatch/recwatch"
    http_connect_timeout: float = 10.0
    # docs.un.org takes ~10 s per call server-side (SOURCES.md §2.3): reads need headroom.
    http_read_timeout: float = 60.0
    http_max_bytes: int = 50 * 1024 * 1024
    ods_base_url: str = "https://documents.un.org"
    docs_un_base_url: str = "https://docs.un.org"
    source_failing_after: int = Field(default=3, description="Bad runs in a row before "
                                      "a source.failing event")
    page_size_default: int = 50
    page_size_max: int = 500

    # Webhooks (DESIGN.md §4 step 7).
    webhook_allowed_hosts: str = Field(default="", description="Comma-separated hosts or CIDR "
                                       "ranges a webhook may reach although they are private")
    webhook_timeout: float = 10.0  # receivers must answer fast; slow ones are retried later
    webhook_secret_grace_hours: float = 24.0  # the old secret keeps signing this long after rotation
    webhook_disable_after_days: float = 5.0
    webhook_batch_size: int = 50
    webhook_concurrency: int = 16
    public_base_url: str = Field(default="http://127.0.0.1:8000",
                                 description="Where links in webhook payloads and feeds point")

    @property
    def webhook_allowed(self) -> list[str]:
        return [h.strip() for h in self.webhook_allowed_hosts.split(",") if h.strip()]

    @property
    def user_agent(self) -> str:
        """Identifies us on every request (SOURCES.md §9.1); never imitates a browser."""
        return f"recwatch/{__version__} (+{self.contact_url})"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'recwatch.sqlite3').resolve()}"

    @property
    def is_embedded(self) -> bool:
        """True on the embedded SQLite default, where `serve` migrates by itself."""
        return self.effective_database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
