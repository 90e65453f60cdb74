"""The public address of a document: what the API, reports and exports show as its URL.

A file imported from disk arrives with a `file:///...` URL naming a path on the server. That
path is private (it tells the world how the server is laid out) and useless to a reader; the
public address is derived from what identifies the document instead — a UN symbol resolves on
docs.un.org (SOURCES.md §2.3) — and is null when nothing public identifies it.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from scrapers.symbols import is_un_symbol

DOCS_UN = "https://docs.un.org"
UN_LANGUAGES = frozenset({"ar", "zh", "en", "fr", "ru", "es"})


def is_public_url(url: str | None) -> bool:
    """An http(s) address with a host: something a reader can open."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def un_symbol_url(symbol: str, language: str | None = "en") -> str:
    """The docs.un.org viewer of a UN symbol, slashes kept literal (`/en/A/HRC/39/14`)."""
    lang = language if language in UN_LANGUAGES else "en"
    return f"{DOCS_UN}/{lang}/{quote(symbol.strip(' '), safe='/.-()')}"


def public_document_url(url: str | None, *, symbol: str | None = None, language: str | None = "en",
                        mechanism: str | None = None) -> str | None:
    """`url` when it is public; else the address derived from the UN symbol; else None. Never a
    local path. `mechanism` other than UPR means the symbol is not a UN one (PACE references)."""
    if is_public_url(url):
        return url
    if symbol and mechanism in (None, "upr") and is_un_symbol(symbol):
        return un_symbol_url(symbol, language)
    return None
