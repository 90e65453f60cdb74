"""Crafted pagination cursors: schemathesis sends random strings, which never decode; these are
well-formed cursors (base64 JSON) holding wrong values: objects, huge integers, bad dates.
Property: the API answers 2xx or a 422 in the error envelope, never a 5xx."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzz.apiapp import Api
from tests.fuzz.harness import fuzz_settings
from tests.fuzz.mutations import json_values

pytestmark = [pytest.mark.fuzz, pytest.mark.api_fuzz]

PAGED = [("/api/v1/documents", "cursor", {}), ("/api/v1/runs", "cursor", {}),
         ("/api/v1/audit", "cursor", {}), ("/api/v1/changes", "since", {}),
         *[("/api/v1/recommendations", "cursor", {"sort": s})
           for s in ("id", "-id", "updated_at", "-updated_at", "key", "-state")]]
VALUES = st.one_of(
    json_values(),
    st.sampled_from([2**63, -(2**63) - 1, 10**30, "2024-13-45T99:00", "not a date", 1.5, None,
                     7, True, "2024-01-01T00:00:00+05:00"]),
)


@pytest.fixture(scope="module")
def client(api: Api) -> Iterator[TestClient]:
    with TestClient(api.app, raise_server_exceptions=False) as test_client:
        yield test_client


def cursor_of(values: Any) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("path, param, extra", PAGED)
@fuzz_settings(0.7)
@given(values=st.one_of(st.lists(VALUES, min_size=1, max_size=2), VALUES))
@example(values=[7, 2])  # a number where updated_at's ISO text belongs (was a 500)
@example(values=[{"a": 1}])  # an object as an id (was a 500)
@example(values=[True])  # a boolean as an id: `id > true` (was a 500)
def test_crafted_cursors_are_refused_not_crashed(client: TestClient, api: Api, path: str,
                                                  param: str, extra: dict[str, str],
                                                  values: Any) -> None:
    response = client.get(path, params={param: cursor_of(values), **extra}, headers=api.headers)
    assert response.status_code in (200, 422), (response.status_code, response.text[:300])
    if response.status_code == 422:
        assert response.json()["error"]["code"] == "invalid_parameter"
