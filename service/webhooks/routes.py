"""`/api/v1/subscriptions` and `/api/v1/deliveries`: manage webhooks (editor or admin key).

Editors see and manage only the subscriptions their key created; admins all (including those
owned by no key). Every call that writes or sends (ping, replay, redeliver too) is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlmodel import Session

from service import audit
from service.auth.deps import require_role
from service.auth.keys import Principal
from service.config import Settings, get_settings
from service.db import get_session
from service.errors import InvalidParameter
from service.models import ChangeEvent, Role, WebhookAttempt, WebhookDelivery, WebhookSubscription
from service.models._common import utcnow
from service.pagination import Page, RowId, decode_cursor, encode_cursor
from service.webhooks import repository
from service.webhooks.fanout import matching_subscriptions
from service.webhooks.matching import FilterError, canonical, validate_event_types, validate_filters
from service.webhooks.payloads import ping_body
from service.webhooks.schemas import (
    AttemptOut,
    DeliveryOut,
    Filters,
    PingResult,
    ReplayResult,
    SecretRotated,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
)
from service.webhooks.sender import Outcome, Outgoing, Sender
from service.webhooks.signing import new_webhook_id, secrets_in_force, webhook_headers
from service.webhooks.ssrf import AddressRefused, vet_url

router = APIRouter(prefix="/api/v1", tags=["webhooks"])
SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Editor = Annotated[Principal, Depends(require_role(Role.EDITOR))]


def _out(sub: WebhookSubscription) -> SubscriptionOut:
    """The subscription as the API shows it: filters in the current spelling, also for rows
    stored with the deprecated plural keys."""
    out = SubscriptionOut.model_validate(sub, from_attributes=True)
    return out.model_copy(update={"filters": canonical(sub.filters)})


def _checked_url(url: str, settings: Settings) -> str:
    try:
        vet_url(url.strip(), settings.webhook_allowed)
    except AddressRefused as exc:
        raise InvalidParameter(f"url: {exc}", code="url_refused") from exc
    return url.strip()


def _checked_types(types: list[str]) -> list[str]:
    try:
        return validate_event_types(types)
    except FilterError as exc:
        raise InvalidParameter(str(exc), code="unknown_event_type") from exc


def _checked_filters(filters: Filters) -> dict[str, list[str]]:
    try:
        return validate_filters(filters.model_dump())
    except FilterError as exc:
        raise InvalidParameter(str(exc)) from exc


def _after(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    return decode_cursor(cursor, 1, (int,))[0]


@router.post("/subscriptions", status_code=201, response_model=SubscriptionCreated,
             summary="Subscribe a URL to change events (the secret is shown only now)")
def create_subscription(body: SubscriptionIn, request: Request, session: SessionDep, settings: SettingsDep,
                        principal: Editor) -> SubscriptionCreated:
    event_types, filters = _checked_types(body.event_types), _checked_filters(body.filters)
    url = _checked_url(body.url, settings)
    sub = repository.create_subscription(session, url=url, event_types=event_types, filters=filters,
                                         created_by=principal.name, owner_key_id=principal.key_id)
    session.flush()
    audit.record(session, principal, "subscription.create", target=f"subscription/{sub.id}", request=request,
                 detail={"url": url, "event_types": event_types, "filters": filters})
    session.commit()
    return SubscriptionCreated(**_out(sub).model_dump(), secret=sub.secret)


@router.get("/subscriptions", response_model=Page[SubscriptionOut], summary="List subscriptions")
def list_subscriptions(session: SessionDep, principal: Editor,
                       cursor: Annotated[str | None, Query(max_length=200)] = None,
                       limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Page[SubscriptionOut]:
    subs, total = repository.list_subscriptions(session, after_id=_after(cursor), limit=limit + 1,
                                                principal=principal)
    more = len(subs) > limit
    items = [_out(s) for s in subs[:limit]]
    return Page(items=items, total=total, next=encode_cursor([items[-1].id]) if more else None)


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionOut)
def get_subscription(subscription_id: RowId, session: SessionDep, principal: Editor) -> SubscriptionOut:
    return _out(repository.get_subscription(session, subscription_id, principal))


@router.patch("/subscriptions/{subscription_id}", response_model=SubscriptionOut,
              summary="Change URL, event types, filters, or (re-)enable")
def update_subscription(subscription_id: RowId, body: SubscriptionPatch, request: Request, session: SessionDep,
                        settings: SettingsDep, principal: Editor) -> SubscriptionOut:
    sub = repository.get_subscription(session, subscription_id, principal)
    if body.url is not None:
        sub.url = _checked_url(body.url, settings)
    if body.event_types is not None:
        sub.event_types = _checked_types(body.event_types)
    if body.filters is not None:
        sub.filters = _checked_filters(body.filters)
    if body.active is not None and body.active != sub.active:
        sub.active = body.active
        # Re-enabling starts afresh; disabling by hand says so.
        sub.disabled_reason = None if body.active else "disabled through the API"
        sub.failing_since = None
    sub.updated_at = utcnow()
    session.add(sub)
    detail = body.model_dump(mode="json", exclude_none=True)
    if body.filters is not None:
        detail["filters"] = sub.filters
    audit.record(session, principal, "subscription.update", target=f"subscription/{sub.id}", request=request,
                 detail=detail)
    session.commit()
    return _out(sub)


@router.delete("/subscriptions/{subscription_id}", status_code=204,
               summary="Delete a subscription with its delivery log")
def delete_subscription(subscription_id: RowId, request: Request, session: SessionDep,
                        principal: Editor) -> Response:
    session.delete(repository.get_subscription(session, subscription_id, principal))
    audit.record(session, principal, "subscription.delete", target=f"subscription/{subscription_id}",
                 request=request)
    session.commit()
    return Response(status_code=204)


@router.post("/subscriptions/{subscription_id}/rotate-secret", response_model=SecretRotated,
             summary="New secret; the old one keeps signing for the grace period")
def rotate_secret(subscription_id: RowId, request: Request, session: SessionDep, settings: SettingsDep,
                  principal: Editor) -> SecretRotated:
    sub = repository.get_subscription(session, subscription_id, principal)
    secret = repository.rotate_secret(session, sub,
                                      grace=timedelta(hours=settings.webhook_secret_grace_hours))
    audit.record(session, principal, "subscription.rotate_secret", target=f"subscription/{sub.id}",
                 request=request)
    session.commit()
    assert sub.previous_secret_expires_at is not None
    return SecretRotated(id=sub.id, secret=secret,
                         previous_secret_expires_at=sub.previous_secret_expires_at)


@router.post("/subscriptions/{subscription_id}/ping", response_model=PingResult,
             summary="Send a signed test event (type `ping`) now and report the answer")
def ping(subscription_id: RowId, request: Request, session: SessionDep, settings: SettingsDep,
         principal: Editor) -> PingResult:
    """Answers status and timing only, never the receiver's body (see `PingResult`)."""
    sub = repository.get_subscription(session, subscription_id, principal)
    now, webhook_id = datetime.now(UTC), new_webhook_id()
    body = ping_body(sub.id, now)
    signing = secrets_in_force(sub.secret, sub.previous_secret, sub.previous_secret_expires_at, now)
    headers = webhook_headers(signing, webhook_id, int(now.timestamp()), body, settings.user_agent)
    with Sender(settings) as sender:
        outcome = sender.send(Outgoing(sub.url, body, headers))
    result = PingResult(ok=outcome.ok, webhook_id=webhook_id, http_status=outcome.http_status,
                        duration_ms=outcome.duration_ms, error=_ping_error(outcome))
    audit.record(session, principal, "subscription.ping", target=f"subscription/{sub.id}", request=request,
                 detail={"url": sub.url, "webhook_id": webhook_id, "http_status": result.http_status,
                         "ok": result.ok})
    session.commit()
    return result


def _ping_error(outcome: Outcome) -> str | None:
    """The status for an answer (no headers: a redirect's Location is the target's too), else
    the sender's description of the connection failure."""
    if outcome.http_status is None:
        return outcome.error
    if 200 <= outcome.http_status < 300:
        return None
    moved = " (redirect not followed)" if 300 <= outcome.http_status < 400 else ""
    return f"HTTP {outcome.http_status}{moved}"


def _delivery_out(d: WebhookDelivery, e: ChangeEvent, attempts: list[WebhookAttempt]) -> DeliveryOut:
    return DeliveryOut(
        id=d.id, subscription_id=d.subscription_id, webhook_id=d.webhook_id, event_id=e.event_id,
        event_type=e.type, replay=d.replay, status=d.status, attempt_count=d.attempts,
        next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
        last_http_status=d.last_http_status, last_error=d.last_error, created_at=d.created_at,
        updated_at=d.updated_at,
        attempts=[AttemptOut.model_validate(a, from_attributes=True) for a in attempts])


@router.get("/subscriptions/{subscription_id}/deliveries", response_model=Page[DeliveryOut],
            summary="The delivery log, newest first, with every attempt")
def list_deliveries(subscription_id: RowId, session: SessionDep, principal: Editor,
                    cursor: Annotated[str | None, Query(max_length=200)] = None,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Page[DeliveryOut]:
    repository.get_subscription(session, subscription_id, principal)
    rows, attempts, total = repository.list_deliveries(session, subscription_id,
                                                       before_id=_after(cursor), limit=limit + 1)
    more = len(rows) > limit
    items = [_delivery_out(d, e, attempts.get(d.id, [])) for d, e in rows[:limit]]
    return Page(items=items, total=total, next=encode_cursor([items[-1].id]) if more else None)


@router.post("/deliveries/{delivery_id}/redeliver", status_code=202, response_model=DeliveryOut,
             summary="Send the same event again, as a new delivery with a new webhook-id")
def redeliver(delivery_id: RowId, request: Request, session: SessionDep, principal: Editor) -> DeliveryOut:
    copy = repository.redeliver(session, delivery_id, principal=principal)
    audit.record(session, principal, "delivery.redeliver", target=f"delivery/{delivery_id}", request=request,
                 detail={"subscription_id": copy.subscription_id, "new_delivery_id": copy.id,
                         "webhook_id": copy.webhook_id})
    session.commit()
    return _delivery_out(copy, repository.delivery_event(session, copy), [])


@router.post("/subscriptions/{subscription_id}/replay", status_code=202, response_model=ReplayResult,
             summary="Send again every matching event since a time (new webhook-ids)")
def replay(subscription_id: RowId, request: Request, session: SessionDep, principal: Editor,
           since: Annotated[datetime, Query(description="ISO 8601; naive times are UTC")]) -> ReplayResult:
    sub = repository.get_subscription(session, subscription_id, principal)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    if since > utcnow():
        raise InvalidParameter("since: in the future")
    events = repository.replay_candidates(session, since)
    wanted = [e for e, _ in matching_subscriptions(session, [sub], events)]
    queued = repository.queue_replay(session, sub, wanted)
    audit.record(session, principal, "subscription.replay", target=f"subscription/{sub.id}", request=request,
                 detail={"since": since.isoformat(), "queued": queued})
    session.commit()
    return ReplayResult(subscription_id=sub.id, since=since, queued=queued)
