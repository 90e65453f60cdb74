"""The recommendations list (every API filter as a form; htmx swaps the results) and one
recommendation with its evidence trail, where editors record implementation assessments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scrapers import countries
from scrapers.records import Implementation, Mechanism, Position
from service import audit
from service.dashboard import auth
from service.dashboard import queries as dq
from service.dashboard.forms import (
    ASSESSABLE,
    PAGE_SIZE,
    SORT_CHOICES,
    AssessmentForm,
    parse_assessment,
    parse_list_query,
)
from service.dashboard.web import Page, PageDep
from service.documents import repository as documents
from service.errors import InvalidParameter
from service.ingest.assessments import record_assessment
from service.models import Document, Role
from service.recommendations import detail as recommendation_detail
from service.recommendations import repository as repo
from service.recommendations.schemas import Status, derive_status

router = APIRouter(include_in_schema=False)


@router.get("/recommendations", response_class=HTMLResponse)
def recommendations(page: PageDep) -> Response:
    lq = parse_list_query(page.request.query_params)
    canonical = lq.url(cursor=lq.cursor)
    current = page.request.url.path + (f"?{page.request.url.query}" if page.request.url.query else "")
    if not page.is_htmx and not lq.errors and current != canonical:
        return page.redirect(canonical)  # one address per query: empty fields dropped, order fixed
    try:
        rows, next_cursor = repo.list_page(page.session, lq.flt, sort=lq.sort, limit=PAGE_SIZE,
                                           cursor=lq.cursor)
    except InvalidParameter:
        lq.errors["cursor"] = "That page link has expired; showing the first page."
        lq.cursor = None
        rows, next_cursor = repo.list_page(page.session, lq.flt, sort=lq.sort, limit=PAGE_SIZE, cursor=None)
    context = {
        "lq": lq, "rows": rows, "next_url": lq.url(cursor=next_cursor) if next_cursor else None,
        "first_url": lq.url() if lq.cursor else None, "total": repo.count(page.session, lq.flt),
        "recommenders": repo.recommending_states_for(page.session, [r.id for r in rows]),
        "derive_status": derive_status,
    }
    if page.is_htmx:
        return page.render("_results.html", headers={"HX-Push-Url": lq.url(cursor=lq.cursor)}, **context)
    return page.render(
        "recommendations.html", states=dq.tracked_states(page.session),
        all_states=countries.all_states(), themes=dq.theme_options(page.session),
        cycles=dq.cycles(page.session) or [1, 2, 3, 4], mechanisms=[m.value for m in Mechanism],
        positions=[p.value for p in Position], implementations=[i.value for i in Implementation],
        statuses=[s.value for s in Status], sorts=SORT_CHOICES, **context)


def _evidence_documents(page: Page, rec: dict[str, Any]) -> list[Document]:
    """Documents an editor may cite: this recommendation's own, then the state's newest."""
    own = {e["document"]["id"] for e in rec["history"] if e["document"] is not None}
    if rec["source_document"] is not None:
        own.add(rec["source_document"]["id"])
    return documents.citable(page.session, rec["state"], own)


def _detail(page: Page, recommendation_id: int, *, form: AssessmentForm | None = None,
            status: int = 200, saved: bool = False) -> Response:
    rec = recommendation_detail.detail(page.session, recommendation_id, sample_flags=True)
    if rec is None:
        return page.not_found(f"No recommendation {recommendation_id}.")
    position_events = [e for e in rec["history"] if e["axis"] == "position"]
    editing = page.viewer is not None and page.viewer.can_edit
    return page.render(
        "recommendation.html", status=status, rec=rec,
        position_event=position_events[-1] if position_events else None,
        rec_status=derive_status(rec["position"], rec["implementation"]), saved=saved,
        editing=editing, form=form or AssessmentForm(effective_on=date.today().isoformat()),
        assessable=[i.value for i in ASSESSABLE],
        documents=_evidence_documents(page, rec) if editing else [])


@router.get("/recommendations/{recommendation_id}", response_class=HTMLResponse)
def recommendation(recommendation_id: str, page: PageDep, saved: str = "") -> Response:
    if not recommendation_id.isdigit():
        return page.not_found(f"No recommendation “{recommendation_id}”.")
    return _detail(page, int(recommendation_id), saved=saved == "1")


FormField = Annotated[str, Form(max_length=10_000)]


@router.post("/recommendations/{recommendation_id}/assessments", response_class=HTMLResponse)
def post_assessment(recommendation_id: int, request: Request, page: PageDep, csrf: FormField = "",
                    implementation: FormField = "", effective_on: FormField = "",
                    evidence_url: FormField = "", evidence_document_id: FormField = "",
                    note: FormField = "") -> Response:
    """Record an assessment from the form; the audit entry commits with it."""
    form = {"implementation": implementation, "effective_on": effective_on, "note": note,
            "evidence_url": evidence_url, "evidence_document_id": evidence_document_id}
    if not auth.csrf_ok(page.data, csrf) or not auth.same_origin(request):
        return page.render("error.html", status=403, title="Form expired",
                           message="This form is too old or came from another site. Reload the page "
                                   "and try again.")
    principal = auth.principal(page.session, page.viewer, Role.EDITOR)
    if principal is None:
        return RedirectResponse(f"/signin?next=/recommendations/{recommendation_id}", status_code=303)
    rec = recommendation_detail.detail(page.session, recommendation_id)
    if rec is None:
        return page.not_found(f"No recommendation {recommendation_id}.")
    allowed = {d.id for d in _evidence_documents(page, rec)}
    parsed = parse_assessment(form, allowed, datetime.now(UTC).date())
    if parsed.errors:
        return _detail(page, recommendation_id, form=parsed, status=422)
    event = record_assessment(
        page.session, recommendation_id, implementation=Implementation(parsed.implementation),
        effective_on=date.fromisoformat(parsed.effective_on), recorded_by=principal.name,
        evidence_url=parsed.evidence_url or None,
        evidence_document_id=int(parsed.evidence_document_id) if parsed.evidence_document_id else None,
        note=parsed.note or None)
    detail = {"implementation": parsed.implementation, "effective_on": parsed.effective_on,
              "evidence_url": parsed.evidence_url or None, "note": parsed.note or None,
              "evidence_document_id": int(parsed.evidence_document_id) if parsed.evidence_document_id else None,
              "status_event_id": event.id, "via": "dashboard"}
    audit.record(page.session, principal, "assessment.create", target=f"recommendation/{recommendation_id}",
                 request=request, detail=detail)
    page.session.commit()
    return RedirectResponse(f"/recommendations/{recommendation_id}?saved=1#history", status_code=303)
