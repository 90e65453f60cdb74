"""Fuzz suite fixtures. Markers are registered here too, so the suite runs clean before
pyproject lists them (``fuzz``: hostile-input property tests; ``api_fuzz``: the API ones)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fuzz.apiapp import Api, build_api


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: hostile-input property tests of the parsers")
    config.addinivalue_line("markers", "api_fuzz: schemathesis run against the OpenAPI schema")


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The real app on a migrated SQLite database with a little data (see ``apiapp``)."""
    built = build_api(tmp_path_factory.mktemp("api-fuzz"))
    yield built
    built.engine.dispose()
