"""HUDOC-EXEC, the execution of European Court judgments (SOURCES.md §8): pure scraper.

`ExecClient` queries the JSON API (canary first, hand-built query strings, partitions under the
10,000-row window); `parse_exec_results` turns a results page into records: each leading case
a recommendation keyed `coe_exec/{ISO3}/{execidentifier}`, a closure by Final Resolution an
implementation, action plans / reports / CM decisions / resolutions timeline links.
`document_text` reads bodies from the conversion endpoints and refuses scans without text.
"""

from __future__ import annotations

from scrapers.coe_exec._bodies import document_text
from scrapers.coe_exec._parse import (
    PARSER_NAME,
    PARSER_VERSION,
    CaseIndex,
    case_key,
    case_url,
    load_results,
    parse_exec_results,
)
from scrapers.coe_exec._query import (
    CANARY_QUERY,
    CASE_FIELDS,
    DOCUMENT_FIELDS,
    RANKING_MODELS,
    WINDOW,
    ExecClient,
    ExecPage,
    PartitionMismatch,
    case_query,
)

__all__ = [
    "CANARY_QUERY", "CASE_FIELDS", "DOCUMENT_FIELDS", "PARSER_NAME", "PARSER_VERSION",
    "RANKING_MODELS", "WINDOW", "CaseIndex", "ExecClient", "ExecPage", "PartitionMismatch",
    "case_key", "case_query", "case_url", "document_text", "load_results", "parse_exec_results",
]
