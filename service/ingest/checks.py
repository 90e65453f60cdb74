"""Checks that a document fits what is stored before and after it is imported.

An addendum answers one Working Group report: for another state or report it is refused whole.
A thematic list restates a report: numbers that do not match it are imported and reported.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from scrapers.records import DocumentKind, Mechanism, ParsedDocument
from service.models import Document, Recommendation, Review

_ADDENDUM_SUFFIX = re.compile(r"/Add\.\d+$", re.IGNORECASE)


class ImportRefused(Exception):
    """The document does not belong with what is stored; nothing was written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _review(session: Session, state: str | None, cycle: int | None) -> Review | None:
    if state is None or cycle is None:
        return None
    return session.execute(select(Review).where(
        Review.mechanism == Mechanism.UPR, Review.state == state, Review.ref == str(cycle))).scalar_one_or_none()


def _report_paragraphs(session: Session, review: Review) -> set[str]:
    return set(session.execute(
        select(Recommendation.paragraph).join(Document, Document.id == Recommendation.source_document_id)
        .where(Recommendation.review_id == review.id, Document.kind == DocumentKind.WG_REPORT)).scalars())


def check_before(session: Session, parsed: ParsedDocument) -> None:
    """Raise ImportRefused when an addendum does not answer a stored report of the same state."""
    meta = parsed.document
    if meta.kind != DocumentKind.ADDENDUM:
        return
    label = meta.symbol or "this addendum"
    review = _review(session, meta.state_under_review, meta.cycle)
    if review is None or not _report_paragraphs(session, review):
        expected = _ADDENDUM_SUFFIX.sub("", meta.symbol or "") or "the Working Group report"
        raise ImportRefused(f"{label} answers the cycle-{meta.cycle} review of {meta.state_under_review}, "
                            f"but no report of that review is stored: import {expected} first")
    if not meta.symbol:
        return
    base = _ADDENDUM_SUFFIX.sub("", meta.symbol)
    report_symbols = set(session.execute(select(Document.symbol).where(
        Document.review_id == review.id, Document.kind == DocumentKind.WG_REPORT)).scalars()) - {None}
    if report_symbols and base not in report_symbols:
        raise ImportRefused(f"{label} answers {base}, but the stored cycle-{meta.cycle} report of "
                            f"{meta.state_under_review} is {', '.join(sorted(report_symbols))}")


def mismatches_after(session: Session, parsed: ParsedDocument) -> list[str]:
    """For a thematic list: paragraphs it has that the report lacks, and the other way round."""
    meta = parsed.document
    if meta.kind != DocumentKind.THEMATIC_LIST:
        return []
    review = _review(session, meta.state_under_review, meta.cycle)
    if review is None:
        return []
    in_report = _report_paragraphs(session, review)
    if not in_report:
        return []
    in_list = {r.paragraph for r in parsed.recommendations}
    out = [f"{p} is in the thematic list but not in the report" for p in sorted(in_list - in_report, key=_num)]
    out += [f"{p} is in the report but not in the thematic list" for p in sorted(in_report - in_list, key=_num)]
    return out


def _num(paragraph: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", paragraph or ""))
