"""Fetching PACE pages: current site first, legacy site as fallback (SOURCES.md §6.3).

pace.coe.int serves Cloudflare challenges to automated clients; we detect them, never defeat
them. The legacy assembly.coe.int renders the same fileids. When both are walled the item goes
to the manual inbox: `SourceBlocked` names both URLs.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapers.errors import LayoutChanged, NotADocument, ScrapeError, SourceBlocked
from scrapers.http import PoliteClient
from scrapers.pace._html import read_page
from scrapers.pace._parse import FILEID, check_page
from scrapers.records import ParsedDocument
from scrapers.text import sniff_format

__all__ = ["current_url", "discover_fileids", "fetch_pace_text", "legacy_url"]

_MAX_REDIRECTS = 3


def current_url(fileid: int, base: str = "https://pace.coe.int") -> str:
    return f"{base.rstrip('/')}/en/files/{fileid}/html"


def legacy_url(fileid: int, base: str = "http://assembly.coe.int") -> str:
    return f"{base.rstrip('/')}/nw/xml/XRef/Xref-XML2HTML-en.asp?fileid={fileid}&lang=en"


def fetch_pace_text(client: PoliteClient, fileid: int, *, base: str = "https://pace.coe.int",
                    legacy_base: str = "http://assembly.coe.int") -> tuple[bytes, str]:
    """(HTML, URL) of a PACE file that passed the page check (type line, not a challenge).

    Tries the current site, then the legacy site when the first is walled, missing or not
    laid out as expected. Both walled -> SourceBlocked; otherwise the legacy failure is raised.
    """
    failures: list[ScrapeError] = []
    for url in (current_url(fileid, base), legacy_url(fileid, legacy_base)):
        try:
            return _get_page(client, url), url
        except (SourceBlocked, LayoutChanged, NotADocument) as exc:
            failures.append(exc)
    if all(isinstance(f, SourceBlocked) for f in failures):
        urls = " and ".join(f.url or "?" for f in failures)
        raise SourceBlocked(f"PACE fileid {fileid}: bot challenge on both sites ({urls}); "
                            "use the manual inbox", url=failures[-1].url)
    raise failures[-1]


def _get_page(client: PoliteClient, url: str) -> bytes:
    """GET with same-site redirects followed by hand (the client never follows them)."""
    for _ in range(_MAX_REDIRECTS + 1):
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308) and response.headers.get("location"):
            url = urljoin(url, response.headers["location"])
            continue
        if response.status_code != 200:
            raise LayoutChanged(f"HTTP {response.status_code} where a PACE page was expected",
                                url=url)
        body = response.content
        if sniff_format(body) not in ("html", "unknown"):
            raise NotADocument(f"expected HTML, got {sniff_format(body)}", url=url)
        check_page(read_page(body), body, url=url)  # raises on a challenge or no type line
        return body
    raise LayoutChanged(f"more than {_MAX_REDIRECTS} redirects", url=url)


def discover_fileids(source: ParsedDocument | bytes) -> set[int]:
    """Fileids a page links to, from a parsed page's links or from raw HTML.

    The per-State fileid list in configuration grows from these (SOURCES.md §6.1); the page's
    own fileid is not included when it is known from its URL.
    """
    if isinstance(source, (bytes, bytearray)):
        hrefs = [href for href, _ in read_page(bytes(source)).links]
        own = None
    else:
        hrefs = [link.url for link in source.links if link.url]
        own = _fileid_of(source.document.source_url)
    found = {fid for fid in map(_fileid_of, hrefs) if fid is not None}
    return found - {own} if own is not None else found


def _fileid_of(url: str) -> int | None:
    match = FILEID.search(url)
    return int(match.group(1) or match.group(2)) if match else None
