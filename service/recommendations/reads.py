"""The API's hot reads (filtered list, detail) as plain Core queries turned straight into JSON-ready
dicts with the shapes of schemas.RecommendationItem and RecommendationDetail.

Why not ORM objects and pydantic models as elsewhere: at 200k rows the queries themselves take
tens of microseconds, and loading ~100 ORM instances, then validating them into response models,
was most of a list request's time. tests/service/test_reads.py holds these dicts equal to what the
models make of the same rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlmodel import Session

from scrapers import countries
from scrapers.records import Implementation, Position
from service.listparam import bind_values, in_values
from service.models import (
    Document,
    ExternalRef,
    ImplementationEvidence,
    PositionConflict,
    RecommendationLink,
    RelatedRecommendation,
    Review,
    StatusEvent,
)
from service.recommendations import repository as repo
from service.recommendations.repository import RS, RT, TH, R, RecommendationFilter
from service.recommendations.schemas import derive_status

D = Document.__table__.c
RV = Review.__table__.c
SE = StatusEvent.__table__.c
XR = ExternalRef.__table__.c
PC = PositionConflict.__table__.c
RR = RelatedRecommendation.__table__.c
LK = RecommendationLink.__table__.c
IE = ImplementationEvidence.__table__.c

ITEM_COLUMNS = [R.id, R.key, R.mechanism, R.state, R.cycle, R.paragraph, R.text, R.position,
                R.implementation, R.updated_at, R.is_sample]
DOC_COLUMNS = [D.id.label("doc_id"), D.symbol.label("doc_symbol"), D.kind.label("doc_kind"),
               D.url.label("doc_url"), D.published_on.label("doc_published_on")]


# Every (position, implementation) pair's status, computed once: derive_status per row was a
# tenth of a list request.
_STATUS = {(p.value, i.value): derive_status(p.value, i.value).value for p in Position for i in Implementation}


def _status(position: str, implementation: str) -> str:
    return _STATUS.get((position, implementation)) or derive_status(position, implementation).value


def _item(row: Row, recommending: list[str]) -> dict[str, Any]:
    return {"id": row.id, "key": row.key, "mechanism": row.mechanism, "state": row.state, "cycle": row.cycle,
            "paragraph": row.paragraph, "text": row.text, "recommending_states": recommending,
            "position": row.position, "implementation": row.implementation,
            "status": _status(row.position, row.implementation), "updated_at": row.updated_at,
            "is_sample": row.is_sample}


def _items(rows: list[Row], recommending: dict[int, list[str]]) -> list[dict[str, Any]]:
    """List items by unpacking rows: attribute access on a Row costs ~0.5 µs, ×12 columns ×50 rows."""
    return [{"id": id_, "key": key, "mechanism": mechanism, "state": state, "cycle": cycle, "paragraph": paragraph,
             "text": text, "recommending_states": recommending[id_], "position": position,
             "implementation": implementation, "status": _status(position, implementation),
             "updated_at": updated_at, "is_sample": is_sample}
            for (id_, key, mechanism, state, cycle, paragraph, text, position, implementation, updated_at, is_sample)
            in rows]


def _doc(row: Row) -> dict[str, Any] | None:
    if row.doc_id is None:
        return None
    return {"id": row.doc_id, "symbol": row.doc_symbol, "kind": row.doc_kind, "url": row.doc_url,
            "published_on": row.doc_published_on, "download_url": f"/api/v1/documents/{row.doc_id}/raw"}


_CODES = select(RS.recommendation_id, RS.state).order_by(RS.recommendation_id, RS.position)
# The page's ids as one parameter: an expanding IN renders and sends 50.
_RECOMMENDER_CODES = {dialect: _CODES.where(in_values(dialect, RS.recommendation_id, "ids"))
                      for dialect in ("postgresql", "sqlite")}


def recommender_codes(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """The recommending states of every recommendation in `ids`, in order, in one query."""
    out: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        dialect = session.get_bind().dialect.name
        stmt = _RECOMMENDER_CODES[dialect]
        for recommendation_id, state in session.execute(stmt, bind_values(dialect, ids, "ids")):
            out[recommendation_id].append(state)
    return out


def list_page(session: Session, flt: RecommendationFilter, *, sort: str, limit: int,
              cursor: str | None) -> dict[str, Any]:
    """`{items, total, next}` of /recommendations: three queries whatever the page holds."""
    stmt = repo.page_statement(session, flt, ITEM_COLUMNS, sort=sort, limit=limit, cursor=cursor)
    rows, next_cursor = repo.next_cursor(session.execute(stmt).all(), limit, sort)
    items = _items(rows, recommender_codes(session, [r[0] for r in rows]))
    return {"items": items, "total": repo.count(session, flt), "next": next_cursor}


# The detail's statements are built once: constructing them (and their cache keys) cost more
# than running all nine of them on SQLite.
RID = bindparam("rid")
_DETAIL = (select(*ITEM_COLUMNS, R.position_wording, R.action_category, R.addressee, R.context, R.attributes,
                  R.first_seen_at, RV.id.label("review_id"), RV.mechanism.label("review_mechanism"),
                  RV.ref.label("review_ref"), RV.cycle.label("review_cycle"), RV.session.label("review_session"),
                  RV.title.label("review_title"), *DOC_COLUMNS)
           .join(RV.id.table, RV.id == R.review_id).outerjoin(D.id.table, D.id == R.source_document_id)
           .where(R.id == RID))
_RECOMMENDERS = (select(RS.recommendation_id, RS.state, RS.name_raw).where(RS.recommendation_id == RID)
                 .order_by(RS.recommendation_id, RS.position))
_HISTORY = (select(SE.id, SE.axis, SE.old, SE.new, SE.wording, SE.effective_on, SE.recorded_at, SE.recorded_by,
                   SE.evidence, SE.evidence_url, SE.note, *DOC_COLUMNS)
            .outerjoin(D.id.table, SE.document_id == D.id).where(SE.recommendation_id == RID)
            .order_by(SE.effective_on.is_(None).desc(), SE.effective_on, SE.id))
_REFS = (select(XR.source, XR.external_id, XR.url, XR.match_method, XR.match_confidence)
         .where(XR.recommendation_id == RID).order_by(XR.id))
_THEMES = (select(TH.kind, TH.name, RT.source).join(RT.theme_id.table, RT.theme_id == TH.id)
           .where(RT.recommendation_id == RID).order_by(TH.kind, TH.name))
_CONFLICTS = (select(PC.id, PC.recommendation_id, PC.current_position, PC.current_source, PC.claimed_position,
                     PC.claimed_source, PC.claimed_wording, PC.claimed_evidence, PC.detected_at, *DOC_COLUMNS)
              .outerjoin(D.id.table, PC.claimed_document_id == D.id)
              .where(PC.recommendation_id == RID).order_by(PC.id).limit(500))
_RELATED = (select(R.id, R.key, R.cycle, R.paragraph, R.text, R.position, R.implementation, RR.similarity)
            .join(RR.related_id.table, RR.related_id == R.id).where(RR.recommendation_id == RID)
            .order_by(RR.similarity.desc(), R.id))
_LINKS = (select(LK.role, LK.title, LK.reference, LK.effective_on, LK.url, LK.document_id)
          .where(LK.recommendation_id == RID).order_by(LK.effective_on, LK.id))
_EVIDENCE = (select(IE.id, IE.implementation, IE.wording, IE.evidence, IE.evidence_url, IE.effective_on,
                    IE.document_id, IE.status, IE.decided_by)
             .where(IE.recommendation_id == RID).order_by(IE.id))


def detail(session: Session, recommendation_id: int) -> dict[str, Any] | None:
    """One recommendation with its evidence trail, as RecommendationDetail; None if unknown."""
    rid = {"rid": recommendation_id}
    rec = session.execute(_DETAIL, rid).first()
    if rec is None:
        return None
    states = session.execute(_RECOMMENDERS, rid).all()
    out = _item(rec, [s.state for s in states])
    out |= {
        "position_wording": rec.position_wording,
        "recommending_state_details": [
            {"state": s.state, "name": s.name_raw, "iso3": s.state if countries.state_by_iso3(s.state) else None}
            for s in states],
        "review": {"id": rec.review_id, "mechanism": rec.review_mechanism, "ref": rec.review_ref,
                   "cycle": rec.review_cycle, "session": rec.review_session, "title": rec.review_title},
        "source_document": _doc(rec),
        "history": [{"id": e.id, "axis": e.axis, "old": e.old, "new": e.new, "wording": e.wording,
                     "effective_on": e.effective_on, "recorded_at": e.recorded_at, "recorded_by": e.recorded_by,
                     "evidence": e.evidence, "evidence_url": e.evidence_url, "document": _doc(e), "note": e.note}
                    for e in session.execute(_HISTORY, rid)],
        "external_refs": [dict(r._mapping) for r in session.execute(_REFS, rid)],
        "themes": [dict(r._mapping) for r in session.execute(_THEMES, rid)],
        "conflicts": [{"id": c.id, "recommendation_id": c.recommendation_id, "current_position": c.current_position,
                       "current_source": c.current_source, "claimed_position": c.claimed_position,
                       "claimed_source": c.claimed_source, "claimed_wording": c.claimed_wording,
                       "claimed_evidence": c.claimed_evidence, "claimed_document": _doc(c),
                       "detected_at": c.detected_at} for c in session.execute(_CONFLICTS, rid)],
        "related": [{"id": r.id, "key": r.key, "cycle": r.cycle, "paragraph": r.paragraph, "text": r.text,
                     "position": r.position, "implementation": r.implementation,
                     "status": _status(r.position, r.implementation), "similarity": r.similarity}
                    for r in session.execute(_RELATED, rid)],
        "links": [dict(r._mapping) for r in session.execute(_LINKS, rid)],
        "implementation_evidence": [dict(r._mapping) for r in session.execute(_EVIDENCE, rid)],
        "action_category": rec.action_category, "addressee": rec.addressee, "context": rec.context,
        "attributes": rec.attributes or {}, "first_seen_at": rec.first_seen_at,
    }
    return out
