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

from tests.fuzz.apiapp import Api
from tests.fuzz.harness import profile_name

pytestmark = [pytest.mark.fuzz, pytest.mark.api_fuzz]

EXAMPLES = {"ci": 12, "long": 300}[profile_name()]


@pytest.fixture(scope="module")
def api_schema(api: Api):
    return schemathesis.openapi.from_asgi("/openapi.json", api.app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_match_the_schema_and_never_fail(case, api: Api) -> None:
    case.call_and_validate(
        headers=api.headers,
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance,
                content_type_conformance],
    )
