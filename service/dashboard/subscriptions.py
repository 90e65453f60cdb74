"""Webhook subscriptions for editors: create (the secret is shown once), enable or disable,
rotate the secret, delete, and read the delivery log with every attempt; redeliver one event.

Built on `service.webhooks` (repository, filter validation, SSRF guard) so the rules are the
API's, ownership included: editors see and manage only their key's subscriptions, admins all.
Every change is audited like the API's writes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scrapers.records import Mechanism, Position
from service import audit
from service.auth.keys import Principal
from service.dashboard import auth
from service.dashboard.web import Page, PageDep
from service.errors import NotFound, ServiceError
from service.models import Role, WebhookSubscription
from service.models._common import utcnow
from service.webhooks import repository
from service.webhooks.matching import (
    EVENT_TYPES,
    FilterError,
    validate_event_types,
    validate_filters,
)
from service.webhooks.ssrf import AddressRefused, vet_url

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]
Many = Annotated[list[str] | None, Form()]
DELIVERIES_PER_PAGE = 30


def _editor(page: Page, request: Request, csrf: str | None = None) -> Principal | Response:
    """The signed-in editor, or the answer to give instead (sign-in, or a refused form)."""
    if csrf is not None and (not auth.csrf_ok(page.data, csrf) or not auth.same_origin(request)):
        return page.render("error.html", status=403, title="Form expired",
                           message="This form is too old or came from another site. Reload and try again.")
    principal = auth.principal(page.session, page.viewer, Role.EDITOR)
    if principal is None:
        if page.viewer is not None:
            return page.render("error.html", status=403, title="Editors only",
                               message="Managing webhooks needs an editor or admin key.")
        return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)
    return principal


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]


def _list_page(page: Page, principal: Principal, *, errors: dict[str, str] | None = None,
               form: dict | None = None, status: int = 200) -> HTMLResponse:
    subs, total = repository.list_subscriptions(page.session, after_id=None, limit=200, principal=principal)
    return page.render("subscriptions.html", status=status, subs=subs, total=total, errors=errors or {},
                       form=form or {"url": "", "event_types": [], "state": "", "theme": "",
                                     "mechanism": [], "position": []},
                       event_types=EVENT_TYPES, mechanisms=[m.value for m in Mechanism],
                       positions=[p.value for p in Position])


@router.get("/subscriptions", response_class=HTMLResponse)
def subscriptions(request: Request, page: PageDep) -> Response:
    principal = _editor(page, request)
    if isinstance(principal, Response):
        return principal
    return _list_page(page, principal)


@router.post("/subscriptions", response_class=HTMLResponse)
def create(request: Request, page: PageDep, csrf: Text = "", url: Text = "", state: Text = "",
           theme: Text = "", event_types: Many = None, mechanism: Many = None,
           position: Many = None) -> Response:
    """The form's fields are the API's filter names (`state`, `theme`, `mechanism`, `position`)."""
    principal = _editor(page, request, csrf)
    if isinstance(principal, Response):
        return principal
    event_types, mechanism, position = event_types or [], mechanism or [], position or []
    form = {"url": url, "state": state, "theme": theme, "event_types": event_types,
            "mechanism": mechanism, "position": position}
    errors: dict[str, str] = {}
    try:
        vet_url(url.strip(), page.settings.webhook_allowed)
    except AddressRefused as exc:
        errors["url"] = str(exc)
    try:
        types = validate_event_types(event_types or ["*"])
    except FilterError as exc:
        errors["event_types"], types = str(exc), []
    try:
        filters = validate_filters({"state": _split(state), "theme": _split(theme),
                                    "mechanism": mechanism, "position": position})
    except FilterError as exc:
        errors["filters"], filters = str(exc), {}
    if errors:
        return _list_page(page, principal, errors=errors, form=form, status=422)
    sub = repository.create_subscription(page.session, url=url.strip(), event_types=types, filters=filters,
                                         created_by=principal.name, owner_key_id=principal.key_id)
    audit.record(page.session, principal, "subscription.create", target=f"subscription/{sub.id}",
                 request=request, detail={"url": sub.url, "event_types": types, "filters": filters,
                                          "via": "dashboard"})
    page.session.commit()
    return _detail(page, principal, sub.id, secret=sub.secret, status=201)


def _detail(page: Page, principal: Principal, subscription_id: int, *, secret: str | None = None,
            before: int | None = None, message: str | None = None, status: int = 200) -> HTMLResponse:
    try:
        sub = repository.get_subscription(page.session, subscription_id, principal)
    except NotFound:
        return page.not_found(f"No webhook subscription {subscription_id}.")
    rows, attempts, total = repository.list_deliveries(page.session, sub.id, before_id=before,
                                                       limit=DELIVERIES_PER_PAGE + 1)
    older = rows[DELIVERIES_PER_PAGE - 1][0].id if len(rows) > DELIVERIES_PER_PAGE else None
    return page.render("subscription.html", status=status, sub=sub, secret=secret, message=message,
                       deliveries=rows[:DELIVERIES_PER_PAGE], attempts=attempts, total=total, older=older)


@router.get("/subscriptions/{subscription_id}", response_class=HTMLResponse)
def subscription(subscription_id: int, request: Request, page: PageDep, before: int | None = None,
                 done: str | None = None) -> Response:
    principal = _editor(page, request)
    if isinstance(principal, Response):
        return principal
    messages = {"enabled": "The subscription is active again.", "disabled": "The subscription is disabled.",
                "redelivered": "The event was queued for delivery again, with a new webhook-id."}
    return _detail(page, principal, subscription_id, before=before, message=messages.get(done or ""))


def _managed(page: Page, request: Request, csrf: str,
             subscription_id: int) -> tuple[Principal, WebhookSubscription] | Response:
    """The signed-in editor and the subscription they may manage (others' look absent, as in the
    API), or the answer to give instead."""
    principal = _editor(page, request, csrf)
    if isinstance(principal, Response):
        return principal
    try:
        return principal, repository.get_subscription(page.session, subscription_id, principal)
    except NotFound:
        return page.not_found(f"No webhook subscription {subscription_id}.")


@router.post("/subscriptions/{subscription_id}/active", response_class=HTMLResponse)
def set_active(subscription_id: int, request: Request, page: PageDep, csrf: Text = "",
               active: Text = "") -> Response:
    managed = _managed(page, request, csrf, subscription_id)
    if isinstance(managed, Response):
        return managed
    principal, sub = managed
    sub.active = active == "1"
    sub.disabled_reason = None if sub.active else f"disabled by {principal.name} in the dashboard"
    sub.failing_since = None
    sub.updated_at = utcnow()
    page.session.add(sub)
    audit.record(page.session, principal, "subscription.update", target=f"subscription/{sub.id}",
                 request=request, detail={"active": sub.active, "via": "dashboard"})
    page.session.commit()
    state = "enabled" if sub.active else "disabled"
    return RedirectResponse(f"/subscriptions/{sub.id}?done={state}", status_code=303)


@router.post("/subscriptions/{subscription_id}/rotate", response_class=HTMLResponse)
def rotate(subscription_id: int, request: Request, page: PageDep, csrf: Text = "") -> Response:
    managed = _managed(page, request, csrf, subscription_id)
    if isinstance(managed, Response):
        return managed
    principal, sub = managed
    secret = repository.rotate_secret(page.session, sub,
                                      grace=timedelta(hours=page.settings.webhook_secret_grace_hours))
    audit.record(page.session, principal, "subscription.rotate_secret", target=f"subscription/{sub.id}",
                 request=request, detail={"via": "dashboard"})
    page.session.commit()
    return _detail(page, principal, sub.id, secret=secret)


@router.post("/subscriptions/{subscription_id}/delete", response_class=HTMLResponse)
def delete(subscription_id: int, request: Request, page: PageDep, csrf: Text = "") -> Response:
    managed = _managed(page, request, csrf, subscription_id)
    if isinstance(managed, Response):
        return managed
    principal, sub = managed
    audit.record(page.session, principal, "subscription.delete", target=f"subscription/{sub.id}",
                 request=request, detail={"url": sub.url, "via": "dashboard"})
    page.session.delete(sub)
    page.session.commit()
    return RedirectResponse("/subscriptions", status_code=303)


@router.post("/deliveries/{delivery_id}/redeliver", response_class=HTMLResponse)
def redeliver(delivery_id: int, request: Request, page: PageDep, csrf: Text = "") -> Response:
    principal = _editor(page, request, csrf)
    if isinstance(principal, Response):
        return principal
    try:
        copy = repository.redeliver(page.session, delivery_id, principal=principal)
    except ServiceError as exc:  # unknown delivery, or its subscription is disabled
        return page.render("error.html", status=exc.status_code, title="Not redelivered", message=exc.message)
    audit.record(page.session, principal, "delivery.redeliver", target=f"delivery/{delivery_id}",
                 request=request, detail={"new_delivery_id": copy.id, "via": "dashboard"})
    page.session.commit()
    return RedirectResponse(f"/subscriptions/{copy.subscription_id}?done=redelivered", status_code=303)
