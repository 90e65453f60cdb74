"""Dashboard sessions end server-side: a cookie copied before sign-out (or before its key is
revoked, through the API or the CLI) no longer writes, with its CSRF token or without. And the
webhook pages show an editor only their own subscriptions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from service.auth.keys import create_key
from service.dashboard import auth
from service.models import ApiKey, Role, StatusEvent, WebhookSubscription
from service.models.access import DashboardSession
from service.webhooks import repository
from tests.dashboard.test_http import Dash, _dash, sign_in
from tests.service.test_cli import recwatch


@pytest.fixture
def dash(engine, settings) -> Iterator[Dash]:
    yield from _dash(engine, settings)


def _assessments(engine) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(StatusEvent)).scalar_one()


def _replay_write(dash: Dash, cookie: str, csrf: str):  # type: ignore[no-untyped-def]
    """POST an assessment with a copied cookie and its CSRF token, as a thief would."""
    dash.client.cookies.clear()
    dash.client.cookies.set(auth.COOKIE, cookie)
    return dash.client.post(f"/recommendations/{dash.ids.pace_id}/assessments", follow_redirects=False,
                            data={"csrf": csrf, "implementation": "implemented", "effective_on": "2024-01-02",
                                  "evidence_url": "https://example.org/x"})


def _refused(res) -> bool:  # type: ignore[no-untyped-def]
    signin = res.status_code == 303 and res.headers["location"].startswith("/signin")
    return signin or res.status_code in (401, 403)


def test_a_cookie_copied_before_sign_out_no_longer_writes(dash):
    csrf = sign_in(dash.client, dash.ids.editor_key, f"/recommendations/{dash.ids.pace_id}")
    copied = dash.client.cookies.get(auth.COOKIE)
    res = dash.client.post("/signout", data={"csrf": csrf}, follow_redirects=False)
    assert res.status_code == 303
    before = _assessments(dash.engine)
    res = _replay_write(dash, copied, csrf)
    assert _refused(res), (res.status_code, res.headers.get("location"))
    assert _assessments(dash.engine) == before
    assert "Signed in as" not in dash.client.get("/").text  # reading pages: signed out as well
    assert dash.client.get("/subscriptions", follow_redirects=False).headers["location"].startswith("/signin")


def test_signing_in_again_works_after_sign_out(dash):
    csrf = sign_in(dash.client, dash.ids.editor_key, f"/recommendations/{dash.ids.pace_id}")
    dash.client.post("/signout", data={"csrf": csrf}, follow_redirects=False)
    csrf = sign_in(dash.client, dash.ids.editor_key, f"/recommendations/{dash.ids.pace_id}")
    res = _replay_write(dash, dash.client.cookies.get(auth.COOKIE), csrf)
    assert res.status_code == 303 and res.headers["location"].endswith("?saved=1#history")


def test_revoking_the_key_through_the_api_ends_its_sessions(dash):
    with Session(dash.engine) as s:
        admin = create_key(s, "dashboard-admin", Role.ADMIN)
        s.commit()
    csrf = sign_in(dash.client, dash.ids.editor_key, f"/recommendations/{dash.ids.pace_id}")
    copied = dash.client.cookies.get(auth.COOKIE)
    res = dash.client.delete("/api/v1/keys/dashboard-editor", headers={"Authorization": f"Bearer {admin}"})
    assert res.status_code == 204, res.text
    before = _assessments(dash.engine)
    assert _refused(_replay_write(dash, copied, csrf))
    assert _assessments(dash.engine) == before
    with Session(dash.engine) as s:
        rows = s.execute(select(DashboardSession)).scalars().all()
    assert rows and all(r.revoked_at is not None for r in rows)


def test_revoking_the_key_with_the_cli_ends_its_sessions(dash, settings):
    csrf = sign_in(dash.client, dash.ids.editor_key, f"/recommendations/{dash.ids.pace_id}")
    copied = dash.client.cookies.get(auth.COOKIE)
    done = recwatch(settings, "apikey", "revoke", "dashboard-editor")
    assert done.returncode == 0, done.stderr
    before = _assessments(dash.engine)
    assert _refused(_replay_write(dash, copied, csrf))
    assert _assessments(dash.engine) == before
    with Session(dash.engine) as s:
        live = s.execute(select(DashboardSession).where(DashboardSession.revoked_at.is_(None))).all()
    assert live == []


def test_the_webhook_pages_show_an_editor_only_their_own(dash):
    with Session(dash.engine, expire_on_commit=False) as s:
        create_key(s, "other-editor", Role.EDITOR)
        owner = s.execute(select(ApiKey.id).where(ApiKey.name == "other-editor")).scalar_one()
        theirs = repository.create_subscription(s, url="http://127.0.0.1:9/theirs", event_types=["*"],
                                                filters={}, created_by="other-editor", owner_key_id=owner)
        s.commit()
    csrf = sign_in(dash.client, dash.ids.editor_key, "/subscriptions")
    listing = dash.client.get("/subscriptions").text
    assert "127.0.0.1:9/theirs" not in listing
    assert dash.client.get(f"/subscriptions/{theirs.id}").status_code == 404
    for action in ("delete", "rotate", "active"):
        res = dash.client.post(f"/subscriptions/{theirs.id}/{action}", data={"csrf": csrf, "active": "0"},
                               follow_redirects=False)
        assert res.status_code == 404, (action, res.status_code)
    with Session(dash.engine) as s:
        row = s.get(WebhookSubscription, theirs.id)
        assert row is not None and row.active and row.secret == theirs.secret


def test_with_reading_closed_a_copied_cookie_reads_nothing_after_sign_out(dash, settings):
    from fastapi.testclient import TestClient

    from tests.dashboard.conftest import build_app

    closed = settings.model_copy(update={"read_requires_key": True})
    with TestClient(build_app(dash.engine, closed)) as client:
        csrf = sign_in(client, dash.ids.editor_key)
        copied = client.cookies.get(auth.COOKIE)
        assert client.get("/api/v1/states").status_code == 200  # signed in: the dashboard's links work
        client.post("/signout", data={"csrf": csrf}, follow_redirects=False)
        client.cookies.clear()
        client.cookies.set(auth.COOKIE, copied)
        page = client.get("/states/AZE", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/signin")
        assert client.get("/api/v1/states").status_code == 401
