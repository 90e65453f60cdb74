"""The bulk export's batching: every row once, in id order, across batch boundaries."""

from __future__ import annotations

import json

import pytest

from service.recommendations.repository import RecommendationFilter
from service.reports import export as bulk

pytestmark = pytest.mark.corpus


def test_batches_cover_every_row_once_in_order(engine, azerbaijan):
    flt = RecommendationFilter(include_sample=False)
    sizes = [len(b) for b in bulk.batches(engine, flt, size=7)]
    assert sum(sizes) == 194 and max(sizes) == 7 and len(sizes) == 28
    chunks = list(bulk.stream(engine, flt, bulk.ExportFormat.JSONL, size=50))
    ids = [json.loads(line)["id"] for chunk in chunks for line in chunk.decode().splitlines()]
    assert len(chunks) == 4 and ids == sorted(set(ids)) and len(ids) == 194


def test_an_empty_export_is_a_header_or_nothing(engine):
    flt = RecommendationFilter(state="AZE")
    assert b"".join(bulk.stream(engine, flt, bulk.ExportFormat.JSONL)) == b""
    header = b"".join(bulk.stream(engine, flt, bulk.ExportFormat.CSV)).decode()
    assert header.strip().split(",") == bulk.FIELDS


def test_progress_is_told_each_batch(engine, azerbaijan):
    seen: list[int] = []
    for _ in bulk.stream(engine, RecommendationFilter(cycle=2), bulk.ExportFormat.CSV, size=100,
                         progress=seen.append):
        pass
    assert seen == [100, 62]
