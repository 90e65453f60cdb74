"""HUDOC-EXEC query API client (SOURCES.md §8.1): canary, counts, partitioned harvest.

The engine answers a malformed query (percent-encoded parentheses, a bad `sort`, an outdated
ranking model) with `resultcount: 0`, exactly like an empty one, and never pages beyond 10,000
rows. So: the canary runs first and settles the ranking model; the query string is built by
hand (parentheses stay literal); queries are split until each part fits the window, and every
split is checked to add up to the whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from scrapers.coe_exec._parse import load_results
from scrapers.errors import EmptyScrape, LayoutChanged, NotADocument, ScrapeError
from scrapers.http import PoliteClient
from scrapers.text import sniff_format

__all__ = [
    "CANARY_QUERY",
    "CASE_FIELDS",
    "DOCUMENT_FIELDS",
    "RANKING_MODELS",
    "WINDOW",
    "ExecClient",
    "ExecPage",
    "PartitionMismatch",
    "case_query",
]

RESULTS_PATH = "/app/query/results"
RANKING_MODELS: tuple[str | None, ...] = ("44444444-b0a6-44c9-bb6b-5886b928f985",
                                          "11111111-0000-0000-0000-000000000000", None)
CANARY_QUERY = ("(contentsitename=EXEC AND execdocumenttype:CEC AND execisclosed:False AND "
                "execisprecedent:True AND execlanguage:ENG AND execgroup:MS)")
CANARY_MIN = 1000
WINDOW = 10_000
MAX_LENGTH = 500
CASE_SORT = "execfinaljudgmentdate ascending"
DOCUMENT_SORT = "execpublisheddate Descending"
CASE_FIELDS = [
    "execidentifier", "execstate", "exectitle", "execshortdesc", "execappno", "execlanguage",
    "execdocumenttype", "execdocumenttypecollection", "execsupervision", "execisclosed",
    "execisprecedent", "exectype", "execgroup", "execmastergroupid", "execviolations",
    "execshortstatusexecution", "execapstatus", "execpaymentstatus", "execresolutionnumber",
    "execjudgmentdateastext", "execfinaljudgmentdateastext", "execfinalresolutiondateastext",
    "execcontentstoreid", "execthemedomain",
]
DOCUMENT_FIELDS = [
    "execidentifier", "execstate", "exectitle", "execappno", "execlanguage", "execdocumenttype",
    "execdocumenttypecollection", "execdocumentreference", "execmastergroupid",
    "execprecedentappnos", "execcmmeetingnumber", "execpublisheddateastext", "execcontentstoreid",
]
_SAFE = "()=:,*/"  # parentheses percent-encoded gave resultcount 0 on the same engine
_SPLITS = (
    ("closed/pending", ("execisclosed:False", "execisclosed:True")),
    ("supervision", ("execsupervision:ENHA", "execsupervision:STAND", "execsupervision:NEW")),
)
_FIRST_YEAR = 1959  # the Court's first year


class PartitionMismatch(ScrapeError):
    """Partition counts do not add up to the total (or rows went missing while paging)."""


@dataclass
class ExecPage:
    """One results page as received: store `body` raw, parse it with `parse_exec_results`."""

    url: str
    body: bytes
    data: dict[str, Any] = field(repr=False)


def case_query(iso3: str, *, leading_only: bool = True) -> str:
    """English case rows of one respondent State; leading (master) rows unless told otherwise."""
    leading = " AND execisprecedent:True AND execgroup:MS" if leading_only else ""
    return (f'(contentsitename=EXEC AND execdocumenttype:CEC AND execlanguage:ENG AND '
            f'execstate="{iso3}"{leading})')


class ExecClient:
    """Queries `/app/query/results` politely; `log` says what the canary settled."""

    def __init__(self, client: PoliteClient, base: str = "https://hudoc.exec.coe.int", *,
                 ranking_model: str | None = RANKING_MODELS[0], window: int = WINDOW) -> None:
        self.client = client
        self.window = window  # rows one query can page through (10,000 reported)
        self.base = base.rstrip("/")
        self.ranking_model = ranking_model
        self.canary_count: int | None = None
        self.log: list[str] = []

    def url(self, query: str, select: list[str], *, sort: str = "", start: int = 0,
            length: int = MAX_LENGTH) -> str:
        """The request URL, parentheses literal (httpx `params` would percent-encode them)."""
        if not 0 <= length <= MAX_LENGTH:
            raise ValueError(f"length must be 0..{MAX_LENGTH}, not {length}")
        parts = [("query", query), ("select", ",".join(select)), ("sort", sort),
                 ("start", str(start)), ("length", str(length))]
        if self.ranking_model:
            parts.append(("rankingModelId", self.ranking_model))
        query_string = "&".join(f"{k}={quote(v, safe=_SAFE)}" for k, v in parts)
        return f"{self.base}{RESULTS_PATH}?{query_string}"

    def query(self, query: str, select: list[str], *, sort: str = "", start: int = 0,
              length: int = MAX_LENGTH) -> dict[str, Any]:
        """One page of results as JSON (shape checked)."""
        return self.fetch(query, select, sort=sort, start=start, length=length).data

    def fetch(self, query: str, select: list[str], *, sort: str = "", start: int = 0,
              length: int = MAX_LENGTH) -> ExecPage:
        """One page of results with its raw bytes."""
        url = self.url(query, select, sort=sort, start=start, length=length)
        response = self.client.get(url, headers={"Accept": "application/json"})
        if response.status_code == 204:
            raise EmptyScrape("HUDOC-EXEC answered 204 No Content", url=url)
        if response.status_code != 200:
            raise LayoutChanged(f"HUDOC-EXEC answered HTTP {response.status_code}", url=url)
        if sniff_format(response.content) != "json":
            raise NotADocument(f"expected JSON, got {sniff_format(response.content)} (a block or "
                               "error page)", url=url)
        return ExecPage(url, response.content, load_results(response.content, url=url))

    def count(self, query: str) -> int:
        """`resultcount` of a query (length=0 asks for the count only)."""
        return self.query(query, ["execidentifier"], length=0)["resultcount"]

    def canary(self) -> int:
        """Pending leading cases in English (> 1,000 expected); settles the ranking model."""
        tried: list[str] = []
        candidates = [self.ranking_model, *(m for m in RANKING_MODELS if m != self.ranking_model)]
        for model in candidates:
            self.ranking_model = model
            found = self.count(CANARY_QUERY)
            tried.append(f"{model or 'no rankingModelId'}: {found}")
            if found > 0:
                break
        self.log.append("canary " + "; ".join(tried))
        if found == 0:
            raise EmptyScrape(f"HUDOC-EXEC canary returned 0 whatever the ranking model "
                              f"({'; '.join(tried)})", url=self.url(CANARY_QUERY, [], length=0))
        if found <= CANARY_MIN:
            raise EmptyScrape(f"HUDOC-EXEC canary returned {found}, expected > {CANARY_MIN}",
                              url=self.url(CANARY_QUERY, [], length=0))
        self.canary_count = found
        return found

    def case_pages(self, iso3: str, *, select: list[str] | None = None, leading_only: bool = True,
                   expect_cases: bool = True) -> list[ExecPage]:
        """Every case row of a respondent State, in window-sized partitions, checked by count."""
        if self.canary_count is None:
            self.canary()
        base = case_query(iso3, leading_only=leading_only)
        total = self.count(base)
        if total == 0:
            if expect_cases:
                raise EmptyScrape(f"HUDOC-EXEC: 0 cases for execstate {iso3}, a State known to "
                                  "have cases (suspicious empty)", url=self.url(base, [], length=0))
            return []
        pages = [page for query, n in self.partition(base, total)
                 for page in self._pages(query, n, select or CASE_FIELDS, CASE_SORT)]
        _check_unique(pages, total, base)
        return pages

    def document_pages(self, iso3: str, *,
                       collections: tuple[str, ...] = ("acp", "acr", "CMDEC", "res"),
                       since: date | None = None) -> list[ExecPage]:
        """Timeline documents of a State, newest first; none since `since` is a legitimate empty."""
        if self.canary_count is None:
            self.canary()
        wanted = " OR ".join(f"execdocumenttypecollection:{c}" for c in collections)
        query = f'(contentsitename:EXEC AND execlanguage:ENG AND execstate="{iso3}" AND ({wanted}))'
        if since is not None:
            query = f"{query} AND execpublisheddate>={since.isoformat()}"
        total = self.count(query)
        return [page for part, n in self.partition(query, total)
                for page in self._pages(part, n, DOCUMENT_FIELDS, DOCUMENT_SORT)]

    def partition(self, query: str, total: int, depth: int = 0) -> list[tuple[str, int]]:
        """Split `query` until every part fits the window; each split must add up."""
        if total <= self.window:
            return [(query, total)] if total else []
        if depth >= len(_SPLITS):
            return self._by_year(query, total, _FIRST_YEAR, date.today().year + 1)
        name, clauses = _SPLITS[depth]
        parts = [(q, self.count(q)) for q in (f"{query} AND {clause}" for clause in clauses)]
        _check_sum(parts, total, query, name)
        return [piece for part, n in parts for piece in self.partition(part, n, depth + 1)]

    def _by_year(self, query: str, total: int, first: int, stop: int) -> list[tuple[str, int]]:
        """Bisect judgment years [first, stop) until each part fits the window."""
        if total <= self.window:
            return [(query, total)] if total else []
        if stop - first <= 1:
            raise PartitionMismatch(f"{total} rows in judgment year {first} exceed the "
                                    f"{self.window}-row window: {query}")
        middle = (first + stop) // 2
        halves = [(first, middle), (middle, stop)]
        queries = [f"{query} AND execjudgmentdate>={a}-01-01 AND execjudgmentdate<{b}-01-01"
                   for a, b in halves]
        parts = [(q, self.count(q)) for q in queries]
        _check_sum(parts, total, query,
                   f"judgment years {first}-{middle - 1} / {middle}-{stop - 1}")
        return [piece for (q, n), (a, b) in zip(parts, halves, strict=True)
                for piece in self._by_year(q, n, a, b)]

    def _pages(self, query: str, expected: int, select: list[str], sort: str) -> list[ExecPage]:
        pages: list[ExecPage] = []
        for start in range(0, expected, MAX_LENGTH):
            page = self.fetch(query, select, sort=sort, start=start)
            if page.data["resultcount"] != expected or not page.data["results"]:
                raise PartitionMismatch(
                    f"page at start={start} has resultcount {page.data['resultcount']} and "
                    f"{len(page.data['results'])} rows; the count said {expected}", url=page.url)
            pages.append(page)
        return pages

    def document_body(self, storage_id: str, *, fmt: str = "html") -> tuple[bytes, str]:
        """A body by storage id (`execcontentstoreid`, never `execidentifier`): (bytes, URL)."""
        paths = {"html": "/app/conversion/docx/html/body?library=EXEC&id={id}",
                 "pdf": "/app/conversion/pdf?library=EXEC&id={id}",
                 "docx": "/app/conversion/docx?library=EXEC&id={id}&filename={id}.docx"}
        url = self.base + paths[fmt].format(id=quote(storage_id, safe=""))
        response = self.client.get(url)
        if response.status_code in (204, 404) or not response.content:
            raise EmptyScrape(f"HUDOC-EXEC conversion answered HTTP {response.status_code} with "
                              f"{len(response.content)} bytes; prefer contentbody", url=url)
        if response.status_code != 200:
            raise LayoutChanged(f"HUDOC-EXEC conversion answered HTTP {response.status_code}",
                                url=url)
        return response.content, url


def _check_sum(parts: list[tuple[str, int]], total: int, query: str, name: str) -> None:
    found = sum(n for _, n in parts)
    if found != total:
        numbers = " + ".join(str(n) for _, n in parts)
        raise PartitionMismatch(f"partition by {name}: {numbers} = {found}, but the whole query "
                                f"counts {total}: {query}")


def _check_unique(pages: list[ExecPage], total: int, query: str) -> None:
    identifiers = set()
    for page in pages:
        for result in page.data["results"]:
            value = (result.get("columns") or {}).get("execidentifier")
            identifiers.add(value[0] if isinstance(value, list) and value else value)
    if len(identifiers) != total:
        raise PartitionMismatch(f"harvest read {len(identifiers)} distinct cases, the count said "
                                f"{total}: {query}")
