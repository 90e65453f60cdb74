"""JSON answers for dicts built to a response model's shape: serialised once by pydantic-core,
the encoder the response models use (so dates and times read exactly as everywhere else in the
API), without FastAPI validating the content against the model a second time."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json
from starlette.responses import Response


class JSONBytes(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return to_json(content)
