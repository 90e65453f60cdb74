"""Webhook subscription pages for editors (placeholder until built against service/webhooks)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
