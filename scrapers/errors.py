"""Errors a scraper may raise. Only these (and their subclasses) may escape a parse function."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class ScrapeError(Exception):
    """Base of every scraping failure; `reason` is a one-line, user-facing explanation."""

    def __init__(self, reason: str, *, url: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url

    def __str__(self) -> str:
        return f"{self.reason} ({self.url})" if self.url else self.reason


class NotADocument(ScrapeError):
    """The bytes are not the expected file type (HTML where a PDF was expected, a DOCX named .pdf...)."""


class CorruptDocument(ScrapeError):
    """The file has the right type but cannot be read (truncated or damaged)."""


class DocumentTooLarge(CorruptDocument):
    """The file would expand beyond a safety limit (decompression bomb, absurd page count)."""


class LayoutChanged(ScrapeError):
    """An expected anchor (heading, lead-in, end marker) was not found where the layout says it is."""


class EmptyScrape(ScrapeError):
    """A source answered with nothing where something is known to exist (the silent-empty trap)."""


class SourceBlocked(ScrapeError):
    """A bot challenge or another wall answered instead of the source."""


class SourceUnavailable(ScrapeError):
    """The source could not be reached (network error, timeout, 5xx after retries)."""


def guarded(parser: str, url: str, parse: Callable[[], T]) -> T:
    """Run `parse` so that only ScrapeError subclasses escape, each carrying the URL: a parser
    bug still surfaces as a failed document with its reason, never as a crash of the run."""
    try:
        return parse()
    except ScrapeError as exc:
        exc.url = exc.url or url
        raise
    except Exception as exc:  # noqa: BLE001 - converted, with its cause chained
        raise LayoutChanged(f"{parser} parser failed: {type(exc).__name__}: {exc}", url=url) from exc
