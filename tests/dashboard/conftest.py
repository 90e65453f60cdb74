"""Fixtures for dashboard tests: the real app (with the dashboard installed) on a real HTTP
server on 127.0.0.1, a database loaded with the real corpus, and Debian's Chromium driven by
Playwright. Browser tests skip with a reason when Chromium or Playwright is missing."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from service import dashboard, migrate
from service.config import Settings, get_settings
from service.db import get_session, make_engine
from service.sample import load_sample
from tests.conftest import CORPUS
from tests.dashboard import data

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def build_app(engine: Engine, settings: Settings):
    """create_app as production builds it, plus the dashboard (until main.py installs it)."""
    from service.main import create_app

    app = create_app(engine_provider=lambda: engine, settings=settings)
    if not any(getattr(r, "path", "") == "/recommendations" for r in app.router.routes):
        dashboard.install(app)

    def _session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session:
            yield session

    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_session] = _session
    return app


@dataclass
class Site:
    """The loaded database and, once started, the server in front of it."""

    engine: Engine
    settings: Settings
    ids: data.Loaded | None  # None for the demo site: it holds the sample only
    base_url: str = ""
    server: object = field(default=None, repr=False)


def _migrated_database(root: Path) -> tuple[Engine, Settings]:
    """A migrated SQLite file under `root` and the settings the served site runs with."""
    url = f"sqlite:///{root / 'recwatch.sqlite3'}"
    migrate.upgrade(url)
    settings = Settings(data_dir=root / "data", database_url=url, rate_limit_per_minute=0,
                        public_base_url="http://127.0.0.1", webhook_allowed_hosts="127.0.0.1")
    return make_engine(url), settings


@pytest.fixture(scope="session")
def site_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One SQLite database with the corpus for all dashboard tests (importing takes ~1 s)."""
    if not all((CORPUS / name).exists() for name in data.CORPUS_FILES):
        pytest.skip(f"corpus files {', '.join(data.CORPUS_FILES)} not available in {CORPUS}")
    root = tmp_path_factory.mktemp("dashboard")
    engine, settings = _migrated_database(root)
    ids = data.load(engine, settings, CORPUS)
    yield Site(engine, settings, ids)
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(target: Site) -> Iterator[Site]:
    """Serve the real app over `target`'s database with uvicorn in a thread on 127.0.0.1."""
    import uvicorn

    port = _free_port()
    app = build_app(target.engine, target.settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 10 s")
        time.sleep(0.02)
    target.base_url, target.server = f"http://127.0.0.1:{port}", server
    yield target
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def site(site_data: Site) -> Iterator[Site]:
    """The real app served by uvicorn in a thread on 127.0.0.1."""
    yield from _serve(site_data)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """What `recwatch serve --demo` shows on a fresh database: the fictional sample and nothing
    else, served like `site` (no corpus needed)."""
    root = tmp_path_factory.mktemp("demo")
    engine, settings = _migrated_database(root)
    report = load_sample(engine, settings)
    assert report.ok, report.errors
    yield from _serve(Site(engine, settings, ids=None))
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (pip)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watch:
    """What a page did: console errors, page errors, dialogs, and every request's host."""

    def __init__(self, page, base_url: str) -> None:
        self.page, self.host = page, urlsplit(base_url).netloc
        self.console: list[tuple[str, str]] = []  # (text, resource url)
        self.error_pages: set[str] = set()  # documents answered 4xx on purpose (404 page, 422 form)
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.console.append((m.text, (m.location or {}).get("url", "")))
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console.append((str(e), "")))
        page.on("response", lambda r: self.error_pages.add(r.url)
                if r.status >= 400 and r.request.resource_type == "document" else None)
        page.on("request", self._request)
        page.on("dialog", self._dialog)

    @property
    def errors(self) -> list[str]:
        """Console errors, except Chromium's note that a page we asked for answered 4xx."""
        return [text for text, url in self.console
                if not (text.startswith("Failed to load resource") and url in self.error_pages)]

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != self.host:
            self.foreign.append(request.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def web(browser, site: Site, tmp_path: Path) -> Iterator[Watch]:
    """A fresh browser context (no cookies, no cache) with everything it does watched; at the
    end no request may have left the test server and no console error may have happened."""
    context = browser.new_context(base_url=site.base_url, viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = Watch(page, site.base_url)
    yield watch
    context.close()
    assert watch.foreign == [], f"requests left the test server: {watch.foreign}"
    assert watch.errors == [], f"console errors: {watch.errors}"
    assert watch.dialogs == [], f"dialogs fired: {watch.dialogs}"
