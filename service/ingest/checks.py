"""Checks that a document fits what is stored before and after it is imported.

What a kind of document must fit is said by its kind spec (`scrapers.source.KindSpec`): a check
that refuses it whole before anything is written, and mismatches that are imported and reported.
"""

from __future__ import annotations

from sqlmodel import Session

from scrapers import registry
from scrapers.records import ParsedDocument
from scrapers.source import ImportRefused
from service.ingest.stored import SqlStored

__all__ = ["ImportRefused", "check_before", "mismatches_after"]


def check_before(session: Session, parsed: ParsedDocument) -> None:
    """Raise ImportRefused when the document does not belong with what is stored."""
    spec = registry.kind(parsed.document.kind)
    if spec is not None and spec.check is not None:
        spec.check(parsed, SqlStored(session))


def mismatches_after(session: Session, parsed: ParsedDocument) -> list[str]:
    """Differences between the document and the stored records it restates, as messages."""
    spec = registry.kind(parsed.document.kind)
    if spec is None or spec.mismatches is None:
        return []
    return spec.mismatches(parsed, SqlStored(session))
