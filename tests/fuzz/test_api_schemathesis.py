"""Schema fuzzing of the JSON API with schemathesis: every operation of our OpenAPI document,
reads and writes (with an admin key), against a real migrated SQLite database holding a little
data. Properties: no 5xx (``not_a_server_error``), every answer matches the schema the API
documents for it (``response_schema_conformance``), with a documented status code and content
type. Client errors (401/403/404/409/413/422/429) are fine answers to generated input, as long
as they are documented and shaped as documented (the error envelope, see service.errors).

Example counts: ``RECWATCH_FUZZ_PROFILE`` (``ci``: a few per operation, under a minute in all).
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine

from service.config import Settings
from service.main import create_app
from tests.fuzz.apiapp import Api
from tests.fuzz.harness import profile_name

pytestmark = [pytest.mark.fuzz, pytest.mark.api_fuzz]

EXAMPLES = {"ci": 12, "long": 300}[profile_name()]


def _published_openapi() -> dict:
    """The OpenAPI document the app publishes. Building the app opens no database, so the schema
    is loaded eagerly at collection: schemathesis' fixture-based loader relies on pytest
    internals that pytest 9.2 removed, and eager loading needs none of them."""
    app = create_app(engine_provider=lambda: create_engine("sqlite://"),
                     settings=Settings(database_url="sqlite://"))
    return app.openapi()


schema = schemathesis.openapi.from_dict(_published_openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_match_the_schema_and_never_fail(case, api: Api) -> None:
    case.call_and_validate(
        app=api.app,
        headers=api.headers,
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance,
                content_type_conformance],
    )
