"""The `coe-exec` source: HUDOC-EXEC, the execution of European Court judgments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from scrapers.coe_exec import CaseIndex, ExecClient, parse_exec_results
from scrapers.countries import state_by_iso3
from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import PoliteClient
from scrapers.records import DocumentKind, Mechanism, ScrapedDocument, ScrapedRecommendation
from scrapers.source import WATCHLIST, KindSpec, NothingToDo, Request, Sink, Source, Stored


def case_title(_doc: ScrapedDocument, case: ScrapedRecommendation) -> str:
    """Each case (or group of cases) is its own review, titled by the first line of its text."""
    return case.text.split("\n")[0][:500]


KINDS = (KindSpec(DocumentKind.EXEC_RECORD.value, "HUDOC-EXEC record", review_title=case_title),)


def members(states: list[str]) -> list[str]:
    """HUDOC-EXEC supervises judgments against Council of Europe member states only."""
    return [s for s in states if (info := state_by_iso3(s)) is not None and info.coe_member]


@dataclass(frozen=True)
class CoeExec(Source):
    def plan(self, request: Request, config: Any, stored: Stored) -> NothingToDo | None:
        if (gap := super().plan(request, config, stored)) is not None:
            return gap
        if not members(request.states):
            return NothingToDo(self.key, f"{', '.join(request.states)}: not a Council of Europe member state, "
                               "and HUDOC-EXEC covers member states only", f"add a member state to {WATCHLIST}",
                               "--state and a member state's code (e.g. --state AZE)")
        return None

    def collect(self, request: Request, config: Any, stored: Stored, client: PoliteClient, sink: Sink) -> None:
        """Case rows per respondent state, then their timeline documents (action plans, decisions)."""
        api = ExecClient(client, config.hudoc_exec_base_url)
        since = date.fromisoformat(request.since) if request.since else None
        for state in members(request.states):
            try:
                case_pages = api.case_pages(state, expect_cases=stored.has_records(state, Mechanism.COE_EXEC.value))
                # A state without cases is a legitimate answer (its count query said 0): the source
                # was reached, so that answer counts as the one thing fetched.
                sink.fetched(len(case_pages) or 1)
                parsed_cases = []
                for page in case_pages:
                    sink.document(page.body, page.url, lambda data, u: parse_exec_results(data, url=u))
                    parsed_cases.append(parse_exec_results(page.body, url=page.url))
                index = CaseIndex.of(parsed_cases)
                doc_pages = api.document_pages(state, since=since)
            except ScrapeError as exc:
                sink.fail(exc, exc.url)
                if isinstance(exc, SourceBlocked):
                    raise
                continue
            sink.fetched(len(doc_pages))
            for page in doc_pages:
                sink.document(page.body, page.url, lambda data, u, ix=index: parse_exec_results(data, url=u, cases=ix))


SOURCE = CoeExec("coe-exec", "HUDOC-EXEC: execution of European Court judgments", KINDS,
                 options=frozenset({"state", "since"}))
