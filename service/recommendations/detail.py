"""One recommendation with its evidence trail (the shape of schemas.RecommendationDetail), read in
ONE statement: the recommendation's row with its review and source document, and each list
(recommending states, history, references, themes, conflicts, related, links, evidence) as a JSON
array built by the database (SQLite json_group_array/json_object, PostgreSQL json_agg/
json_build_object). The API, the dashboard's recommendation page and tests read this one model.

Why one statement: nine small queries were nine round trips (most of a PostgreSQL request) and
nine statement executions (most of a SQLite request's server CPU).

The JSON the database writes is not served as is: floats (SQLite's JSON keeps 15 digits),
datetimes (SQLite text, PostgreSQL text in the session's time zone), dates and booleans are turned
back into the Python values the response models hold, so the answer serialises exactly as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, Select, bindparam, case, func, literal_column, null, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session

from scrapers import countries
from scrapers.records import Implementation, Position
from service.models import (
    Document,
    ExternalRef,
    ImplementationEvidence,
    PositionConflict,
    Recommendation,
    RecommendationLink,
    RecommendationTheme,
    RecommendingState,
    RelatedRecommendation,
    Review,
    StatusEvent,
    Theme,
)
from service.recommendations.schemas import derive_status

R = Recommendation.__table__
RS = RecommendingState.__table__.c
RV = Review.__table__
SE = StatusEvent.__table__.c
XR = ExternalRef.__table__.c
PC = PositionConflict.__table__.c
RR = RelatedRecommendation.__table__.c
LK = RecommendationLink.__table__.c
IE = ImplementationEvidence.__table__.c
RT = RecommendationTheme.__table__.c
TH = Theme.__table__.c
RID = bindparam("rid")
CONFLICTS_CAP = 500

# Every (position, implementation) pair's status, computed once.
_STATUS = {(p.value, i.value): derive_status(p.value, i.value).value for p in Position for i in Implementation}


def status_of(position: str, implementation: str) -> str:
    return _STATUS.get((position, implementation)) or derive_status(position, implementation).value


# ---- SQL -------------------------------------------------------------------------------------

Fields = list[tuple[str, Any]]
Order = list[tuple[ColumnElement, bool]]  # (expression, descending)


def _object(dialect: str, fields: Fields) -> ColumnElement:
    args: list[Any] = []
    for key, value in fields:
        args += [literal_column(f"'{key}'"), value]
    return (func.json_object if dialect == "sqlite" else func.json_build_object)(*args)


def _float(dialect: str, column: ColumnElement) -> ColumnElement:
    """SQLite's JSON writes 15 significant digits; 17 as text read back exactly."""
    if dialect != "sqlite":
        return column
    return case((column.is_(None), null()), else_=func.printf("%!.17g", column))


def _nested(dialect: str, obj: ColumnElement) -> ColumnElement:
    """SQLite: json() keeps an object an object once it has passed a CASE or a subquery."""
    return func.json(obj) if dialect == "sqlite" else obj


def _doc_object(dialect: str, doc: Any, *, extended: bool = False) -> ColumnElement:
    """A DocumentRef (with its language and mechanism when `extended`), or null when the outer
    join found no document."""
    extra: Fields = [("language", doc.c.language), ("mechanism", doc.c.mechanism)] if extended else []
    obj = _object(dialect, [("id", doc.c.id), ("symbol", doc.c.symbol), ("kind", doc.c.kind), ("url", doc.c.url),
                            ("published_on", doc.c.published_on), ("download_url", null()), *extra])
    return _nested(dialect, case((doc.c.id.is_(None), null()), else_=obj))


def _array(dialect: str, fields: Fields, base: Select, order: Order, limit: int | None = None,
           outer: Any = None) -> ColumnElement:
    """The rows of `base` as a JSON array of objects, in `order` (capped at `limit`). `outer`: the
    enclosing query's table `base` refers to (several recommendations in one statement)."""
    keys = [expr.label(f"k{i}") for i, (expr, _desc) in enumerate(order)]
    inner = base.with_only_columns(_object(dialect, fields).label("o"), *keys)
    if outer is not None:
        inner = inner.correlate(outer)
    inner = inner.order_by(*[k.desc() if desc else k for k, (_e, desc) in zip(keys, order, strict=True)])
    rows = inner.limit(limit).subquery() if limit else inner.subquery()
    if dialect == "sqlite":
        agg = func.json_group_array(func.json(rows.c.o))
    else:
        ordered = [rows.c[f"k{i}"].desc() if desc else rows.c[f"k{i}"] for i, (_e, desc) in enumerate(order)]
        agg = func.coalesce(func.json_agg(aggregate_order_by(rows.c.o, *ordered)), literal_column("'[]'::json"))
    return select(agg).select_from(rows).correlate(outer).scalar_subquery()


def build_statement(dialect: str, *, many: bool = False) -> Select:
    """The whole detail of recommendation `:rid` as one row; with `many`, one row per id of the
    expanding `:ids`, each list correlated to its row, plus what reports read besides: each
    event's source kind and its document's language and mechanism, and the order themes were
    attached in."""
    rec, rev, src = R.alias("rec"), RV.alias("rev"), Document.__table__.alias("src")
    key, outer = (rec.c.id, rec) if many else (RID, None)
    extra_event: Fields = [("source_kind", SE.source_kind)] if many else []
    extra_theme: Fields = [("attached", RT.id)] if many else []
    ev_doc, cl_doc, rel = Document.__table__.alias("ev_doc"), Document.__table__.alias("cl_doc"), R.alias("rel")
    states = _array(dialect, [("state", RS.state), ("name", RS.name_raw)],
                    select(RS.state).where(RS.recommendation_id == key), [(RS.position, False)], outer=outer)
    history = _array(dialect, [
        ("id", SE.id), ("axis", SE.axis), ("old", SE.old), ("new", SE.new), ("wording", SE.wording),
        ("effective_on", SE.effective_on), ("recorded_at", SE.recorded_at), ("recorded_by", SE.recorded_by),
        ("evidence", SE.evidence), ("evidence_url", SE.evidence_url),
        ("document", _doc_object(dialect, ev_doc, extended=many)), ("note", SE.note), *extra_event],
        select(SE.id).select_from(SE.id.table.outerjoin(ev_doc, ev_doc.c.id == SE.document_id))
        .where(SE.recommendation_id == key),
        [(case((SE.effective_on.is_(None), 1), else_=0), True), (SE.effective_on, False), (SE.id, False)],
        outer=outer)
    refs = _array(dialect, [("source", XR.source), ("external_id", XR.external_id), ("url", XR.url),
                            ("match_method", XR.match_method),
                            ("match_confidence", _float(dialect, XR.match_confidence))],
                  select(XR.id).where(XR.recommendation_id == key), [(XR.id, False)], outer=outer)
    themes = _array(dialect, [("kind", TH.kind), ("name", TH.name), ("source", RT.source), *extra_theme],
                    select(TH.id).select_from(RT.theme_id.table.join(TH.id.table, RT.theme_id == TH.id))
                    .where(RT.recommendation_id == key), [(TH.kind, False), (TH.name, False)], outer=outer)
    conflicts = _array(dialect, [
        ("id", PC.id), ("recommendation_id", PC.recommendation_id), ("current_position", PC.current_position),
        ("current_source", PC.current_source), ("claimed_position", PC.claimed_position),
        ("claimed_source", PC.claimed_source), ("claimed_wording", PC.claimed_wording),
        ("claimed_evidence", PC.claimed_evidence), ("claimed_document", _doc_object(dialect, cl_doc)),
        ("detected_at", PC.detected_at)],
        select(PC.id).select_from(PC.id.table.outerjoin(cl_doc, cl_doc.c.id == PC.claimed_document_id))
        .where(PC.recommendation_id == key), [(PC.id, False)], limit=CONFLICTS_CAP, outer=outer)
    related = _array(dialect, [
        ("id", rel.c.id), ("key", rel.c.key), ("cycle", rel.c.cycle), ("paragraph", rel.c.paragraph),
        ("text", rel.c.text), ("position", rel.c.position), ("implementation", rel.c.implementation),
        ("status", null()), ("similarity", _float(dialect, RR.similarity)), ("is_sample", rel.c.is_sample)],
        select(rel.c.id).select_from(RR.related_id.table.join(rel, RR.related_id == rel.c.id))
        .where(RR.recommendation_id == key), [(RR.similarity, True), (rel.c.id, False)], outer=outer)
    links = _array(dialect, [("role", LK.role), ("title", LK.title), ("reference", LK.reference),
                             ("effective_on", LK.effective_on), ("url", LK.url), ("document_id", LK.document_id)],
                   select(LK.id).where(LK.recommendation_id == key), [(LK.effective_on, False), (LK.id, False)],
                   outer=outer)
    evidence = _array(dialect, [
        ("id", IE.id), ("implementation", IE.implementation), ("wording", IE.wording), ("evidence", IE.evidence),
        ("evidence_url", IE.evidence_url), ("effective_on", IE.effective_on), ("document_id", IE.document_id),
        ("status", IE.status), ("decided_by", IE.decided_by)],
        select(IE.id).where(IE.recommendation_id == key), [(IE.id, False)], outer=outer)
    r = rec.c
    return (select(r.id, r.key, r.mechanism, r.state, r.cycle, r.paragraph, r.text, r.position, r.implementation,
                   r.updated_at, r.is_sample, r.position_wording, r.action_category, r.addressee, r.context,
                   r.attributes, r.first_seen_at,
                   rev.c.id.label("review_id"), rev.c.mechanism.label("review_mechanism"),
                   rev.c.ref.label("review_ref"), rev.c.cycle.label("review_cycle"),
                   rev.c.session.label("review_session"), rev.c.title.label("review_title"),
                   src.c.id.label("doc_id"), src.c.symbol.label("doc_symbol"), src.c.kind.label("doc_kind"),
                   src.c.url.label("doc_url"), src.c.published_on.label("doc_published_on"),
                   states.label("states"), history.label("history"), refs.label("refs"), themes.label("themes"),
                   conflicts.label("conflicts"), related.label("related"), links.label("links"),
                   evidence.label("evidence"))
            .select_from(rec.join(rev, rev.c.id == r.review_id).outerjoin(src, src.c.id == r.source_document_id))
            .where(r.id.in_(bindparam("ids", expanding=True)) if many else r.id == RID)
            .order_by(r.id))


# Built once per dialect: constructing the statement (and its cache key) costs more than running it.
_STATEMENTS: dict[tuple[str, bool], Select] = {}
MANY_CHUNK = 500  # ids per statement when reading many: well inside both backends' parameter limits


def statement(dialect: str, *, many: bool = False) -> Select:
    if (dialect, many) not in _STATEMENTS:
        _STATEMENTS[dialect, many] = build_statement(dialect, many=many)
    return _STATEMENTS[dialect, many]


# ---- JSON back to the response models' values -------------------------------------------------

def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _datetime(value: str) -> datetime:
    """SQLite's stored text (naive, UTC by construction) or PostgreSQL's ISO text with an offset."""
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _doc(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is not None:
        doc["published_on"] = _date(doc["published_on"])
        doc["download_url"] = f"/api/v1/documents/{doc['id']}/raw"
    return doc


def _list(value: Any) -> list[dict[str, Any]]:
    """psycopg hands json over parsed; SQLite hands over its text."""
    return json.loads(value) if isinstance(value, str) else (value or [])


def _each(items: list[dict[str, Any]], fix: Callable[[dict[str, Any]], None]) -> list[dict[str, Any]]:
    for item in items:
        fix(item)
    return items


def _event(e: dict[str, Any]) -> None:
    e["effective_on"], e["recorded_at"] = _date(e["effective_on"]), _datetime(e["recorded_at"])
    _doc(e["document"])


def _conflict(c: dict[str, Any]) -> None:
    _doc(c["claimed_document"])
    c["detected_at"] = _datetime(c["detected_at"])


def _related(r: dict[str, Any]) -> None:
    r["status"], r["similarity"] = status_of(r["position"], r["implementation"]), float(r["similarity"])
    r["is_sample"] = bool(r["is_sample"])


def _ref(r: dict[str, Any]) -> None:
    r["match_confidence"] = _number(r["match_confidence"])


def _dated(item: dict[str, Any]) -> None:
    item["effective_on"] = _date(item["effective_on"])


def detail(session: Session, recommendation_id: int, *, sample_flags: bool = False) -> dict[str, Any] | None:
    """RecommendationDetail as plain values; None if unknown. With `sample_flags` each related
    recommendation also says `is_sample` (the dashboard marks sample data; the API does not)."""
    row = session.execute(statement(session.get_bind().dialect.name), {"rid": recommendation_id}).first()
    return None if row is None else _as_detail(row, sample_flags=sample_flags)


def details(session: Session, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    """The same model for many recommendations, in id order, one statement per MANY_CHUNK ids
    (reports read this). Besides the API's fields: `is_sample` on related recommendations,
    `source_kind` on history events, `language` and `mechanism` on their documents, and
    `attached` (the order a source attached it) on themes."""
    stmt = statement(session.get_bind().dialect.name, many=True)
    ordered = sorted(ids)
    for start in range(0, len(ordered), MANY_CHUNK):
        for row in session.execute(stmt, {"ids": ordered[start:start + MANY_CHUNK]}):
            yield _as_detail(row, sample_flags=True)


def _as_detail(row: Row, *, sample_flags: bool) -> dict[str, Any]:
    states = _list(row.states)
    related = _each(_list(row.related), _related)
    if not sample_flags:
        for r in related:
            del r["is_sample"]
    source = None
    if row.doc_id is not None:
        source = {"id": row.doc_id, "symbol": row.doc_symbol, "kind": row.doc_kind, "url": row.doc_url,
                  "published_on": row.doc_published_on, "download_url": f"/api/v1/documents/{row.doc_id}/raw"}
    return {
        "id": row.id, "key": row.key, "mechanism": row.mechanism, "state": row.state, "cycle": row.cycle,
        "paragraph": row.paragraph, "text": row.text, "recommending_states": [s["state"] for s in states],
        "position": row.position, "implementation": row.implementation,
        "status": status_of(row.position, row.implementation), "updated_at": row.updated_at,
        "is_sample": row.is_sample, "position_wording": row.position_wording,
        "recommending_state_details": [
            {"state": s["state"], "name": s["name"], "iso3": s["state"] if countries.state_by_iso3(s["state"]) else None}
            for s in states],
        "review": {"id": row.review_id, "mechanism": row.review_mechanism, "ref": row.review_ref,
                   "cycle": row.review_cycle, "session": row.review_session, "title": row.review_title},
        "source_document": source,
        "history": _each(_list(row.history), _event),
        "external_refs": _each(_list(row.refs), _ref),
        "themes": _list(row.themes),
        "conflicts": _each(_list(row.conflicts), _conflict),
        "related": related,
        "links": _each(_list(row.links), _dated),
        "implementation_evidence": _each(_list(row.evidence), _dated),
        "action_category": row.action_category, "addressee": row.addressee, "context": row.context,
        "attributes": row.attributes or {}, "first_seen_at": row.first_seen_at,
    }
