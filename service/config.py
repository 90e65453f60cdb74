"""Settings. This is the only module that reads the environment (prefix ``RECWATCH_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
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
    # Monitoring (DESIGN.md §4–5): cron expressions per source, the states to watch, and what
    # to fetch for them. Lists are comma-separated; entries are "ISO3:value".
    watchlist: str = Field(default="", description="States to monitor, e.g. AZE,SVN")
    schedule_upr_reports: str = "17 3 * * *"
    schedule_upr_info: str = "37 3 * * 1"
    schedule_pace: str = "7 4 * * *"
    schedule_coe_exec: str = "27 4 * * *"
    webhook_interval_seconds: float = 3.0
    run_sources_on_start: bool = Field(default=False, description="The scheduling worker runs "
                                       "every source once as soon as it takes over")
    worker_poll_seconds: float = 5.0
    misfire_grace_seconds: int = 3600
    upr_calendar: str = Field(default="", description="WG report symbols per state, e.g. "
                              "AZE:A/HRC/39/14,SVN:A/HRC/43/15")
    pace_fileids: str = Field(default="", description="PACE file ids per state, e.g. AZE:28584")
    upr_info_base_url: str = "https://upr-info-database.uwazi.io"
    pace_base_url: str = "https://pace.coe.int"
    pace_legacy_base_url: str = "http://assembly.coe.int"
    hudoc_exec_base_url: str = "https://hudoc.exec.coe.int"
    source_failing_after: int = Field(default=3, description="Bad runs in a row before "
                                      "a source.failing event")
    page_size_default: int = 50
    page_size_max: int = 500

    # Access and limits.
    read_requires_key: bool = Field(default=False, description="Reading the API needs a key too")
    rate_limit_per_minute: int = Field(default=600, description="Requests per minute per key or "
                                       "client address; 0 turns limiting off")
    max_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = 50 * 1024 * 1024
    cors_origins: str = Field(default="", description="Comma-separated origins; empty = CORS off")
    dashboard_secret: SecretStr | None = Field(default=None, description="Signs dashboard session "
                                               "cookies; set the same value on every web server")

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    # Webhooks (DESIGN.md §4 step 7).
    webhook_allowed_hosts: str = Field(default="", description="Comma-separated hosts or CIDR "
                                       "ranges a webhook may reach although they are private")
    webhook_timeout: float = 10.0  # receivers must answer fast; slow ones are retried later
    webhook_secret_grace_hours: float = 24.0  # the old secret keeps signing this long after rotation
    webhook_disable_after_days: float = 5.0
    webhook_batch_size: int = 200  # measured: 50 gave 0.75x a raw POST loop, 200 gave 0.87x
    webhook_concurrency: int = 16
    public_base_url: str = Field(default="http://127.0.0.1:8000",
                                 description="Where links in webhook payloads and feeds point")

    def schedule_for(self, source: str) -> str:
        return getattr(self, "schedule_" + source.replace("-", "_"))

    @property
    def watched_states(self) -> list[str]:
        return [s.strip().upper() for s in self.watchlist.split(",") if s.strip()]

    @staticmethod
    def _per_state(raw: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for item in (x.strip() for x in raw.split(",")):
            state, sep, value = item.partition(":")
            if sep and value.strip():
                out.setdefault(state.strip().upper(), []).append(value.strip())
        return out

    @property
    def upr_symbols(self) -> dict[str, list[str]]:
        return self._per_state(self.upr_calendar)

    @property
    def pace_files(self) -> dict[str, list[str]]:
        return self._per_state(self.pace_fileids)

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
