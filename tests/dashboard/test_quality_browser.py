"""Accessibility (axe-core: no serious or critical violation) and a phone-width screen (375 px:
no horizontal scroll) on every page, with a screenshot of each at phone width."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from service.models import ApiKey
from service.webhooks import repository
from tests.dashboard.conftest import Site, Watch


def pages(site: Site) -> dict[str, str]:
    ids = site.ids
    return {
        "overview": "/", "state-aze": "/states/AZE", "recommendations": "/recommendations?state=AZE",
        "recommendation": f"/recommendations/{ids.noted_id}",
        "recommendation-pace": f"/recommendations/{ids.xss_id}",
        "recommendation-exec": f"/recommendations/{ids.exec_id}", "sources": "/sources",
        "document": "/documents/1", "signin": "/signin", "not-found": "/states/ZZZ",
    }


def editor_pages(site: Site) -> dict[str, str]:
    with Session(site.engine) as s:
        owner = s.execute(select(ApiKey.id).where(ApiKey.name == "dashboard-editor")).scalar_one()
        sub = repository.create_subscription(s, url="https://example.org/hook", event_types=["*"],
                                             filters={"states": ["AZE"]}, created_by="dashboard-editor",
                                             owner_key_id=owner)  # editors see only their own
        s.commit()
        sub_id = sub.id
    return {"editor-subscriptions": "/subscriptions", "editor-subscription": f"/subscriptions/{sub_id}",
            "editor-recommendation": f"/recommendations/{site.ids.pace_id}"}


def serious_violations(page, paths: dict[str, str]) -> dict[str, list[str]]:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="pip install axe-playwright-python")
    axe, found = axe_module.Axe(), {}
    for name, path in paths.items():
        page.goto(path)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            found[name] = bad
    return found


def test_no_serious_accessibility_violations(web, site):
    assert serious_violations(web.page, pages(site)) == {}


def test_editor_pages_are_accessible_and_fit_a_phone(browser, site):
    context = browser.new_context(base_url=site.base_url, viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        watch = Watch(page, site.base_url)
        page.goto("/signin")
        page.fill("#key", site.ids.editor_key)
        page.click("button:has-text('Sign in')")
        paths = editor_pages(site)
        assert serious_violations(page, paths) == {}
        for name, path in paths.items():
            page.goto(path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
            watch.screenshot(f"phone-{name}")
        assert watch.errors == [] and watch.foreign == []
    finally:
        context.close()


def test_phone_width_has_no_horizontal_scroll(browser, site):
    # Not is_mobile: a mobile layout viewport widens to fit overflowing content and hides it.
    context = browser.new_context(base_url=site.base_url, viewport={"width": 375, "height": 740},
                                  device_scale_factor=1, has_touch=True)
    try:
        page = context.new_page()
        watch = Watch(page, site.base_url)
        wide = {}
        for name, path in pages(site).items():
            page.goto(path)
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > 375 or width[1] != 375:
                wide[name] = width
            watch.screenshot(f"phone-{name}")
        assert wide == {}
        assert watch.errors == [] and watch.foreign == []
    finally:
        context.close()
