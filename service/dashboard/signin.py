"""Signing in with an API key, and out. The sign-in form has its own CSRF token (held in an
anonymous session cookie) so another site cannot sign a visitor in under its own key.
Each sign-in is a stored session; signing out revokes it, so a copied cookie dies with it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service import audit
from service.auth.keys import Principal, verify_key
from service.dashboard import auth
from service.dashboard.web import OpenPageDep

router = APIRouter(include_in_schema=False)
FormField = Annotated[str, Form(max_length=2000)]


@router.get("/signin", response_class=HTMLResponse)
def signin_form(page: OpenPageDep, next: str = "/") -> Response:
    data = page.data or auth.new_session()
    page.data = data
    response = page.render("signin.html", next=auth.safe_next(next), error=None)
    auth.set_cookie(response, page.request, data, page.settings)
    return response


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, page: OpenPageDep, key: FormField = "", csrf: FormField = "",
           next: FormField = "/") -> Response:
    """Check the key; on success a fresh session (new CSRF token) replaces the anonymous one."""
    target = auth.safe_next(next)
    if not auth.csrf_ok(page.data, csrf) or not auth.same_origin(request):
        page.data = auth.new_session()
        response = page.render("signin.html", status=403, next=target,
                               error="The form had expired. Please sign in again.")
        auth.set_cookie(response, request, page.data, page.settings)
        return response
    principal = verify_key(page.session, key.strip()) if key.strip() else None
    if principal is None:
        response = page.render("signin.html", status=401, next=target,
                               error="That key is not valid or has been revoked.")
        return response
    auth.end_session(page.session, page.viewer)  # signing in again replaces the old sign-in
    sid, expires = auth.start_session(page.session, principal.key_id)
    audit.record(page.session, principal, "dashboard.signin", request=request)
    page.session.commit()
    data = auth.SessionData(csrf=auth.new_session().csrf, expires=expires,
                            viewer=auth.Viewer(principal.key_id, principal.name, principal.role, sid))
    response = RedirectResponse(target, status_code=303)
    auth.set_cookie(response, request, data, page.settings)
    return response


@router.post("/signout")
def signout(request: Request, page: OpenPageDep, csrf: FormField = "") -> Response:
    """Revoke the session server-side, not just the cookie: a copy of it stops working too."""
    response = RedirectResponse("/", status_code=303)
    if auth.csrf_ok(page.data, csrf) and auth.same_origin(request):
        viewer = page.viewer
        if auth.end_session(page.session, viewer) and viewer is not None:
            audit.record(page.session, Principal(viewer.key_id, viewer.name, viewer.role),
                         "dashboard.signout", request=request)
        page.session.commit()
        auth.clear_cookie(response)
    return response
