"""UN documents by symbol through the ODS resolver, with docs.un.org as fallback (SOURCES.md §2).

A missing document can answer 200 with HTML or redirect to an error page: we accept a file only
when its magic bytes say it is what we asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from scrapers.errors import NotADocument, ScrapeError, SourceBlocked, SourceUnavailable
from scrapers.http import PoliteClient
from scrapers.text import sniff_format

ODS_RESOLVER = "/api/symbol/access?s={symbol}&l={lang}&t={fmt}"
DOCS_UN_DIRECT = "/{lang}/{symbol}?direct=true"


@dataclass(frozen=True)
class FetchedDocument:
    symbol: str
    url: str
    data: bytes
    content_type: str


def normalise_symbol(symbol: str) -> str:
    """Upper-case series, no spaces: `a/hrc/39/14/add.1` → `A/HRC/39/14/Add.1`."""
    parts = [p.strip() for p in symbol.replace(" ", "").split("/") if p.strip()]
    fixed = []
    for part in parts:
        low = part.lower()
        if low.startswith(("add.", "corr.", "rev.")):
            fixed.append(low[0].upper() + low[1:])
        else:
            fixed.append(part.upper())
    return "/".join(fixed)


def resolver_url(base: str, symbol: str, *, lang: str = "en", fmt: str = "pdf") -> str:
    """The ODS resolver URL with the slashes of the symbol kept literal (SOURCES.md §2.2)."""
    return base.rstrip("/") + ODS_RESOLVER.format(symbol=symbol, lang=lang, fmt=fmt)


def fetch_pdf(client: PoliteClient, symbol: str, *, ods_base: str, docs_base: str) -> FetchedDocument:
    """Fetch the English PDF of `symbol`: ODS resolver first, docs.un.org second.

    Raises NotADocument when a source answers with something that is not a PDF,
    SourceUnavailable when neither route works (the first route's reason is kept), and lets
    http.NotModified through when the file is the one fetched last time.
    """
    symbol = normalise_symbol(symbol)
    failures: list[ScrapeError] = []
    for route in (_via_ods, _via_docs_un):
        try:
            return route(client, symbol, ods_base if route is _via_ods else docs_base)
        except ScrapeError as exc:
            failures.append(exc)
    reasons = "; ".join(str(f) for f in failures)
    blocked = next((f for f in failures if isinstance(f, SourceBlocked)), None)
    if blocked is not None:  # a wall, not a missing document: the run is blocked, not failed
        raise SourceBlocked(f"{symbol} could not be fetched: {reasons}", url=blocked.url)
    raise SourceUnavailable(f"{symbol} could not be fetched: {reasons}")


def _via_ods(client: PoliteClient, symbol: str, base: str) -> FetchedDocument:
    url = resolver_url(base, symbol)
    response = client.get(url)
    if response.is_redirect:
        location = response.headers.get("location", "")
        if "/error" in location or not location:
            raise NotADocument(f"ODS does not know {symbol} (redirected to {location or 'nowhere'})",
                               url=url)
        target = str(httpx.URL(url).join(location))
        response = client.get(target, conditional=True)
        url = target
    return _accept_pdf(response, symbol, url)


def _via_docs_un(client: PoliteClient, symbol: str, base: str) -> FetchedDocument:
    url = base.rstrip("/") + DOCS_UN_DIRECT.format(lang="en", symbol=symbol)
    response = client.get(url)
    if response.is_redirect:
        url = str(httpx.URL(url).join(response.headers.get("location", "")))
        response = client.get(url, conditional=True)
    return _accept_pdf(response, symbol, url)


def _accept_pdf(response: httpx.Response, symbol: str, url: str) -> FetchedDocument:
    if response.status_code != 200:
        raise NotADocument(f"HTTP {response.status_code} for {symbol}", url=url)
    kind = sniff_format(response.content)
    if kind != "pdf":
        raise NotADocument(f"expected a PDF for {symbol}, got {kind} "
                           f"({response.headers.get('content-type', 'no content type')})", url=url)
    return FetchedDocument(symbol=symbol, url=url, data=response.content,
                           content_type="application/pdf")
