"""What an advocacy team does, in a real browser: filter (with and without JavaScript), share
the address, open a recommendation, follow its evidence, sign in and record an assessment."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlmodel import Session

from service.models import AuditEntry, Recommendation, StatusEvent

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect


def results_heading(web) -> str:
    return web.page.locator("#results-h").inner_text()


def test_filters_swap_results_without_reload_and_the_address_is_shareable(web, site):
    page = web.page
    page.goto("/recommendations")
    page.evaluate("window.__noReload = true")
    page.select_option("#f-state", "AZE")
    page.wait_for_url(re.compile(r"state=AZE"))
    page.select_option("#f-position", "noted")
    page.wait_for_url(re.compile(r"/recommendations\?state=AZE&position=noted$"))
    page.wait_for_function("document.querySelector('#results-h').textContent.startsWith('4 ')")
    assert page.evaluate("window.__noReload") is True  # htmx swapped the results in place
    assert page.locator(".rec").count() == 4
    web.screenshot("recommendations-filtered-htmx")
    shared = page.url
    page.goto(shared)  # the address alone reproduces the list
    assert results_heading(web).startswith("4 ")
    assert page.locator("#f-position").input_value() == "noted"


def test_free_text_sort_and_pagination_by_cursor(web, site):
    page = web.page
    page.goto("/recommendations?state=SVN")
    page.evaluate("window.__noReload = true")
    first = page.locator(".rec h3").first.inner_text()
    page.click("text=Next page")
    page.wait_for_url(re.compile(r"cursor="))
    assert page.locator(".rec h3").first.inner_text() != first
    assert page.evaluate("window.__noReload") is True
    page.go_back()
    expect(page).to_have_url(re.compile(r"state=SVN$"))
    expect(page.locator(".rec h3").first).to_have_text(first)
    page.locator("#f-q").press_sequentially("roma")  # typing searches after a pause
    expect(page).to_have_url(re.compile(r"q=roma"))
    page.select_option("#f-sort", "-id")
    expect(page).to_have_url(re.compile(r"sort=-id"))
    expect(page.locator("#results-h")).to_have_text(re.compile(r"^23 "))
    texts = page.locator(".rec-text").all_inner_texts()
    assert texts and all("roma" in t.lower() for t in texts)


def test_filters_work_without_javascript(browser, site):
    context = browser.new_context(base_url=site.base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/recommendations")
        page.select_option("#f-state", "AZE")
        page.select_option("#f-mechanism", "pace")
        page.click("button:has-text('Show recommendations')")
        assert page.url.endswith("/recommendations?state=AZE&mechanism=pace")  # empty fields dropped
        assert page.locator("#results-h").inner_text().startswith("3 ")
        page.click(".rec h3 a >> nth=0")
        assert page.locator("main h1").inner_text().startswith("Azerbaijan")
    finally:
        context.close()


def test_open_a_recommendation_and_download_its_evidence(web, site):
    page = web.page
    page.goto("/recommendations?state=AZE&position=noted")
    page.click(".rec h3 a >> nth=0")
    page.wait_for_url(re.compile(r"/recommendations/\d+$"))
    assert "Noted" in page.locator(".facts").inner_text()
    assert page.locator("#history .timeline li").count() >= 1
    web.screenshot("recommendation")
    link = page.locator("#history a", has_text="download").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert download.url.startswith(site.base_url + "/api/v1/documents/")


def test_recommendation_page_shows_conflicts_links_and_references(web, site):
    page = web.page
    page.goto(f"/recommendations/{site.ids.noted_id}")
    assert page.locator("#conf-h").inner_text() == "Sources disagree"
    page.goto(f"/recommendations/{site.ids.exec_id}")
    body = page.locator("main").inner_text()
    assert "Updated action plan" in body and "HUDOC-EXEC" in body and "Partially implemented" in body
    web.screenshot("recommendation-execution-case")


def test_editor_signs_in_and_records_an_assessment(web, site):
    page = web.page
    rec_id = site.ids.pace_id
    page.goto(f"/recommendations/{rec_id}")
    page.click("text=Sign in with an editor key")
    web.screenshot("signin-form")
    page.fill("#key", site.ids.editor_key)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(re.compile(rf"/recommendations/{rec_id}$"))
    assert "Signed in as dashboard-editor" in page.locator("header").inner_text()
    cookie = next(c for c in page.context.cookies() if c["name"] == "rw_dashboard")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.select_option("#a-impl", "partially_implemented")
    page.fill("#a-date", "2024-05-01")
    page.fill("#a-url", "https://example.org/follow-up-report")
    page.fill("#a-note", "Two of five released")
    page.click("button:has-text('Record assessment')")
    page.wait_for_url(re.compile(rf"/recommendations/{rec_id}\?saved=1"))
    assert "Your assessment was recorded" in page.locator(".notice").inner_text()
    assert "dashboard-editor" in page.locator("#history").inner_text()
    web.screenshot("recommendation-after-assessment")
    with Session(site.engine) as s:
        rec = s.get(Recommendation, rec_id)
        assert rec.implementation == "partially_implemented"
        event = s.execute(select(StatusEvent).where(StatusEvent.recommendation_id == rec_id)
                          .order_by(StatusEvent.id.desc())).scalars().first()
        assert (event.recorded_by, event.evidence_url) == ("dashboard-editor", "https://example.org/follow-up-report")
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "assessment.create",
                                                   AuditEntry.target == f"recommendation/{rec_id}")).scalar_one()
        assert entry.actor == "dashboard-editor" and entry.detail["via"] == "dashboard"


def test_assessment_errors_are_shown_next_to_their_fields(web, site):
    page = web.page
    page.goto(f"/signin?next=/recommendations/{site.ids.pace_id}")
    page.fill("#key", site.ids.editor_key)
    page.click("button:has-text('Sign in')")
    page.select_option("#a-impl", "implemented")
    page.fill("#a-date", "2999-01-01")
    page.click("button:has-text('Record assessment')")
    assert page.locator("#effective_on-error").inner_text() == "The date cannot be in the future."
    assert "needs evidence" in page.locator("#evidence_url-error").inner_text()
    assert page.locator("#a-date").get_attribute("aria-invalid") == "true"


def test_a_reader_key_signs_in_but_cannot_record(web, site):
    page = web.page
    page.goto("/signin")
    page.fill("#key", "rw_not-a-key")
    page.click("button:has-text('Sign in')")
    assert "not valid" in page.locator("[role=alert]").inner_text()
    page.fill("#key", site.ids.reader_key)
    page.click("button:has-text('Sign in')")
    page.goto(f"/recommendations/{site.ids.pace_id}")
    assert "can read but not record" in page.locator(".assess").inner_text()
    assert page.locator("#a-impl").count() == 0


def test_source_text_is_escaped_and_no_script_runs(web, site):
    page = web.page
    page.goto(f"/recommendations/{site.ids.xss_id}")
    quote = page.locator(".rec-quote blockquote").inner_text()
    assert "<script>alert(1)</script>" in quote and '"><img src=x onerror=alert(1)>' in quote
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    assert '"><img src=x onerror=alert(2)>' in page.locator(".facts").inner_text()
    page.goto("/recommendations?q=onerror")
    assert "<script>alert(1)</script>" in page.locator(".rec-text").first.inner_text()
    page.goto("/states/AZE")
    assert page.locator("main img").count() == 0
    web.screenshot("xss-as-text")
    # the `web` fixture asserts that no dialog fired and no console error happened


def test_keyboard_reaches_the_skip_link_and_main_content(web, site):
    page = web.page
    page.goto("/states/AZE")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
