"""The API docs in a real browser with nothing but our own server: Swagger UI at /docs renders
the operations and can call the API, ReDoc at /redoc renders them too, and neither page asks
any other origin for anything (the `web` fixture fails the test on any such request or on a
console error). Screenshots: artifacts/screenshots/api_docs.png and api_docs_redoc.png."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from service import apidocs

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect

LIST_PATH = "/api/v1/recommendations"
# A host name that is not localhost, as readers see it: Swagger UI's validator badge, for one,
# only calls out from such a page.
PUBLIC_HOST = "recwatch.example"


def _operation(page):
    """Swagger UI's block for GET /api/v1/recommendations."""
    return page.locator(f'.opblock-get:has(.opblock-summary-path[data-path="{LIST_PATH}"])')


def _settled(page) -> None:
    """Wait until every image the page drew has loaded or failed and the network is quiet: the
    footers that used to fetch from elsewhere render a moment after the operations."""
    page.wait_for_function("[...document.images].every(img => img.complete)")
    page.wait_for_load_state("networkidle")


def _redoc_rendered(page) -> None:
    """ReDoc has drawn an operation and its menu's footer (whose logo came from a CDN)."""
    expect(page.locator('[data-section-id^="operation/"]').first).to_be_visible()
    expect(page.get_by_role("link", name="API docs by Redocly")).to_be_visible()
    _settled(page)


def _own_requests(web) -> list[str]:
    """Start recording the paths of every request the page makes (all of them are ours: the
    `web` fixture fails the test on any other origin)."""
    paths: list[str] = []
    web.page.on("request", lambda r: paths.append(urlsplit(r.url).path))
    return paths


def test_swagger_ui_renders_and_calls_the_api_with_only_our_origin(web, site):
    page, paths = web.page, _own_requests(web)
    response = page.goto("/docs")
    assert response is not None and response.status == 200
    operation = _operation(page)
    expect(operation).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 20  # every operation, not just one
    assert page.locator(".information-container .title").inner_text().startswith("recwatch")
    assert page.evaluate("ui.getConfigs().validatorUrl") is None
    _settled(page)
    web.screenshot("api_docs")

    operation.locator(".opblock-summary").click()  # open it, try it: the API answers in the page
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    expect(operation.locator(".live-responses-table .microlight").first).to_contain_text('"items"')

    assert {f"{apidocs.ASSETS_URL}/swagger-ui-bundle.js", f"{apidocs.ASSETS_URL}/swagger-ui.css",
            "/openapi.json", LIST_PATH} <= set(paths), paths


def test_redoc_renders_an_operation_with_only_our_origin(web, site):
    page, paths = web.page, _own_requests(web)
    response = page.goto("/redoc")
    assert response is not None and response.status == 200
    spec = httpx.get(site.base_url + "/openapi.json").json()
    operation_id = spec["paths"][LIST_PATH]["get"]["operationId"]
    section = page.locator(f'[data-section-id="operation/{operation_id}"]')
    expect(section).to_be_visible()
    expect(section.locator("h2")).to_have_text(spec["paths"][LIST_PATH]["get"]["summary"])
    expect(section).to_contain_text(LIST_PATH)
    _redoc_rendered(page)
    expect(page.get_by_role("img", name="redocly logo")).to_have_count(0)  # hidden, not fetched
    assert f"{apidocs.ASSETS_URL}/redoc.standalone.js" in paths
    assert not any("fonts" in p for p in paths)
    web.screenshot("api_docs_redoc")


@pytest.fixture
def public_page(browser, site) -> Iterator[tuple[object, list[str]]]:
    """A page that reaches our server as http://recwatch.example (every request to that host is
    answered by the real server); a request to any other host is recorded and refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []

    def route(r) -> None:
        parts = urlsplit(r.request.url)
        if parts.scheme in ("data", "blob"):
            return r.continue_()
        if parts.netloc != PUBLIC_HOST:
            elsewhere.append(r.request.url)
            return r.abort()
        r.fulfill(response=r.fetch(url=site.base_url + r.request.url.split(PUBLIC_HOST, 1)[1]))

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page, elsewhere
    context.close()


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_served_under_a_public_name_still_ask_no_other_host(public_page, path):
    page, elsewhere = public_page
    page.goto(f"http://{PUBLIC_HOST}{path}")
    if path == "/docs":
        expect(_operation(page)).to_be_visible()
        _settled(page)
    else:
        _redoc_rendered(page)
    assert elsewhere == []
