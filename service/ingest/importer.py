"""Writes parsed documents: records → rows, status events and change events, in one transaction.

Idempotent by construction: a document is known by its sha256, a recommendation by its natural
key, a status claim by (recommendation, axis, document). Importing the same bytes twice finds
everything in place and writes nothing.

Fast at scale: what is stored about the document's recommendations is read in a fixed number of
queries (preload.py), new recommendations are inserted in one batch, and comparisons happen in
memory, so the cost per record is a few Python objects, not a few queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlmodel import Session

from scrapers.records import (
    ParsedDocument,
    ScrapedPosition,
    ScrapedRecommendation,
    text_sha256,
)
from service.ingest import bulk, events, preload, statistics, themes, timeline
from service.ingest.changes import StoredSnapshot, diff
from service.ingest.positions import Claim, claim_position, source_rank
from service.ingest.preload import StoredRecommendation
from service.ingest.reviews import ReviewCache, get_or_create_document
from service.models import (
    Axis,
    Document,
    ExternalRef,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    StatusEvent,
)
from service.models._common import utcnow


@dataclass
class ImportResult:
    """What one import did; the run record adds these up."""

    document_id: int | None = None
    document_new: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    conflicts: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class _Import:
    """One import's context, passed to the helpers below."""

    session: Session
    doc: Document
    known: preload.Known
    theme_ids: preload.ThemeIds
    recorded_by: str
    baseline: bool
    result: ImportResult
    inserted_keys: set[str] = field(default_factory=set)


def import_parsed(session: Session, parsed: ParsedDocument, *, recorded_by: str,
                  baseline: bool = False) -> ImportResult:
    """Write `parsed` in the caller's transaction; the raw bytes must already be archived."""
    result = ImportResult()
    statistics.refresh_if_grown(session, adding=len(parsed.recommendations) + len(parsed.positions))
    doc, result.document_new = get_or_create_document(session, parsed.document)
    result.document_id = doc.id
    if result.document_new and parsed.problems:
        doc.parse_problems = list(parsed.problems)
    if result.document_new:
        events.emit_document(session, doc, baseline=baseline)
        result.events += 1
    keys = [r.key for r in parsed.recommendations] + [p.key for p in parsed.positions]
    with session.no_autoflush:
        ctx = _Import(session, doc, preload.load(session, keys), preload.ThemeIds(session), recorded_by,
                      baseline, result)
        records = list({r.key: r for r in parsed.recommendations}.values())  # a key once per document
        _insert_new(ctx, [r for r in records if r.key not in ctx.known.recs], ReviewCache(session, parsed.document))
        for scraped in records:
            if scraped.key not in ctx.inserted_keys:
                _update_existing(ctx, ctx.known.recs[scraped.key], scraped)
        for position in parsed.positions:
            _apply_position(ctx, position)
    session.flush()
    timeline.apply_links(session, parsed.links, doc, result)
    timeline.apply_implementations(session, parsed.implementations, doc, recorded_by, baseline, result)
    session.flush()
    return result


def _insert_new(ctx: _Import, records: list[ScrapedRecommendation], reviews: ReviewCache) -> None:
    """Insert every new recommendation with one statement per table (ids come back in order),
    with its states, references, first position event, tags and `recommendation.created`."""
    if not records:
        return
    doc, session, now = ctx.doc, ctx.session, utcnow()
    rows = [{
        "key": s.key, "mechanism": s.mechanism.value, "state": s.state, "review_id": reviews.for_record(s).id,
        "cycle": s.cycle, "paragraph": s.paragraph, "text": s.text, "text_sha256": text_sha256(s.text),
        "position": s.position.value, "position_wording": s.position_wording, "implementation": "unknown",
        "source_document_id": doc.id, "is_sample": doc.is_sample, "action_category": s.action_category,
        "addressee": s.addressee, "context": s.context, "attributes": dict(s.attributes),
        "first_seen_at": now, "updated_at": now} for s in records]
    ids = _insert_recommendations(session, rows)
    states, refs, positions, tags = [], [], [], []
    for scraped, row, rec_id in zip(records, rows, ids, strict=True):
        row["id"] = rec_id
        ctx.inserted_keys.add(scraped.key)
        states += _state_rows(rec_id, scraped)
        refs += [{"recommendation_id": rec_id, "source": r.source, "external_id": r.external_id, "url": r.url,
                  "match_method": r.match_method, "match_confidence": r.match_confidence}
                 for r in {(r.source, r.external_id): r for r in scraped.external_ids}.values()]
        positions.append({
            "recommendation_id": rec_id, "axis": Axis.POSITION.value, "old": None, "new": scraped.position.value,
            "wording": scraped.position_wording, "effective_on": scraped.effective_on or doc.published_on,
            "recorded_at": now, "document_id": doc.id, "evidence": scraped.evidence, "evidence_url": doc.url,
            "recorded_by": ctx.recorded_by, "source_kind": doc.kind, "note": None})
        tags += [{"recommendation_id": rec_id, "theme_id": theme_id, "source": doc.kind}
                 for theme_id in dict.fromkeys(ctx.theme_ids.get(k, n) for k, n in themes.wanted(scraped))]
    for model, values in ((RecommendingState, states), (ExternalRef, refs), (StatusEvent, positions),
                          (RecommendationTheme, tags)):
        if values:
            bulk.insert_rows(session, model.__table__, values)
    ctx.result.events += events.emit_created_many(session, rows, doc, baseline=ctx.baseline)
    ctx.result.inserted += len(rows)


def _insert_recommendations(session: Session, rows: list[dict]) -> list[int]:
    """Insert the rows and return their ids in order. One bulk insert, then one look-up by the
    unique natural key: RETURNING in parameter order would send one statement per row on SQLite."""
    table = Recommendation.__table__  # Core statements: no ORM bookkeeping per row
    bulk.insert_rows(session, table, rows)
    ids = preload.ids_by_key(session, [row["key"] for row in rows])
    return [ids[row["key"]] for row in rows]


def _update_existing(ctx: _Import, rec: StoredRecommendation, scraped: ScrapedRecommendation) -> None:
    changed = _update_fields(ctx, rec, scraped)
    changed = _update_attributes(rec, scraped) or changed
    outcome = claim_position(ctx.session, rec, _claim_of(scraped), ctx.doc, recorded_by=ctx.recorded_by,
                             created=False, baseline=ctx.baseline,
                             events_so_far=ctx.known.position_events[rec.id],
                             conflicts=ctx.known.conflicts[rec.id])
    ctx.result.events += outcome.applied
    ctx.result.conflicts += outcome.conflict
    tagged = themes.attach(ctx.session, rec.id, scraped, ctx.doc.kind, ctx.known.theme_ids[rec.id], ctx.theme_ids)
    referenced = _attach_external_ids(ctx, rec.id, scraped)
    if changed or outcome.applied or tagged or referenced:
        rec.updated_at = utcnow()
        ctx.result.updated += 1
    else:
        ctx.result.unchanged += 1


def _apply_position(ctx: _Import, scraped: ScrapedPosition) -> None:
    """A response to a recommendation received earlier; unknown numbers are reported, not dropped."""
    rec = ctx.known.recs.get(scraped.key)
    if rec is None:
        ctx.result.rejected += 1
        ctx.result.errors.append(f"{scraped.evidence}: recommendation {scraped.paragraph} is not in the "
                                 f"report ({scraped.key} unknown)")
        return
    claim = Claim(position=scraped.position, wording=scraped.wording, evidence=scraped.evidence,
                  effective_on=scraped.effective_on, response_text=scraped.response_text)
    outcome = claim_position(ctx.session, rec, claim, ctx.doc, recorded_by=ctx.recorded_by, created=False,
                             baseline=ctx.baseline, events_so_far=ctx.known.position_events[rec.id],
                             conflicts=ctx.known.conflicts[rec.id])
    ctx.result.events += outcome.applied
    ctx.result.conflicts += outcome.conflict
    if outcome.applied:
        rec.updated_at = utcnow()
        ctx.result.updated += 1
    else:
        ctx.result.unchanged += 1


def _state_rows(rec_id: int, scraped: ScrapedRecommendation) -> list[dict]:
    rows, seen = [], set()
    raws = scraped.recommending_states_raw or scraped.recommending_states
    for i, code in enumerate(scraped.recommending_states):
        if code not in seen:
            seen.add(code)
            rows.append({"recommendation_id": rec_id, "state": code, "name_raw": raws[i] if i < len(raws) else code,
                         "position": i})
    return rows


def _write_states(session: Session, rec_id: int, scraped: ScrapedRecommendation) -> None:
    for row in _state_rows(rec_id, scraped):
        session.add(RecommendingState(**row))


def _update_fields(ctx: _Import, rec: StoredRecommendation, scraped: ScrapedRecommendation) -> bool:
    if not _may_rewrite(ctx, rec):
        return False
    stored = ctx.known.states[rec.id]
    change = diff(StoredSnapshot(rec.text_sha256, tuple(stored)), scraped.text,
                  tuple(dict.fromkeys(scraped.recommending_states)))
    if change.text_changed:
        old_text = rec.text
        rec.text, rec.text_sha256, rec.source_document_id = scraped.text, text_sha256(scraped.text), ctx.doc.id
        events.emit_recommendation(ctx.session, events.EventType.TEXT_CHANGED, rec, old=old_text, new=rec.text,
                                   document=ctx.doc, baseline=ctx.baseline)
        ctx.result.events += 1
    if change.states_changed:
        table = RecommendingState.__table__
        ctx.session.execute(delete(table).where(table.c.recommendation_id == rec.id))
        _write_states(ctx.session, rec.id, scraped)  # deduplicated there, names kept in step
    return change.any


def _claim_of(scraped: ScrapedRecommendation) -> Claim:
    return Claim(position=scraped.position, wording=scraped.position_wording,
                 evidence=scraped.evidence, effective_on=scraped.effective_on)


def _may_rewrite(ctx: _Import, rec: StoredRecommendation) -> bool:
    """Wording and states come from the best source seen: a document of a lower-ranked kind
    (restating another) never rewrites the text printed in a higher-ranked one."""
    if rec.source_document_id is None or rec.source_document_id == ctx.doc.id:
        return True
    kind = ctx.known.document_kinds.get(rec.source_document_id)
    return kind is None or source_rank(ctx.doc.kind) >= source_rank(kind)


def _attach_external_ids(ctx: _Import, rec_id: int, scraped: ScrapedRecommendation) -> bool:
    have = ctx.known.refs[rec_id]
    added = False
    for ref in scraped.external_ids:
        if (ref.source, ref.external_id) not in have:
            ctx.session.add(ExternalRef(recommendation_id=rec_id, source=ref.source, external_id=ref.external_id,
                                        url=ref.url, match_method=ref.match_method,
                                        match_confidence=ref.match_confidence))
            have.add((ref.source, ref.external_id))
            added = True
    return added


def _update_attributes(rec: StoredRecommendation, scraped: ScrapedRecommendation) -> bool:
    """Source codes (supervision track, case status) and context follow the latest document."""
    changed = False
    if scraped.attributes and dict(scraped.attributes) != (rec.attributes or {}):
        rec.attributes = dict(scraped.attributes)
        changed = True
    for name in ("context", "addressee", "action_category"):
        value = getattr(scraped, name)
        if value and value != getattr(rec, name):
            setattr(rec, name, value)
            changed = True
    return changed
