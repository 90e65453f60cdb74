"""/docs and /redoc over HTTP: the pages link only to our own origin, every asset they link to
is served with its proper type, and the docs stay public when reading the API needs a key.
(tests/dashboard/test_api_docs_browser.py checks the pages really render in a browser.)"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service import apidocs
from service.main import create_app

PAGES = ("/docs", "/redoc")
TYPES = {".js": ("text/javascript", "application/javascript"), ".css": ("text/css",),
         ".png": ("image/png",), ".json": ("application/json",)}
ABSOLUTE = re.compile(r"""(?:https?:)?//[^\s"'<>()]+""")


def _links(html: str) -> list[str]:
    """Every address the page loads by itself: src/href attributes, ReDoc's spec-url and the
    `url:` Swagger UI fetches its spec from."""
    found = re.findall(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""", html)
    found += re.findall(r"""\burl:\s*["']([^"']+)["']""", html)
    return found


@pytest.mark.parametrize("page", PAGES)
def test_docs_pages_link_only_to_our_own_origin(client, page):
    res = client.get(page)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    assert ABSOLUTE.findall(res.text) == []  # no CDN, no Google fonts, no other host at all
    links = _links(res.text)
    assert any(link.startswith(apidocs.ASSETS_URL + "/") for link in links), links
    assert "/openapi.json" in links
    for link in links:
        url = urljoin(str(res.url), link)
        assert urlsplit(url).netloc == urlsplit(str(res.url)).netloc, link
        asset = client.get(url)
        assert asset.status_code == 200, link
        suffix = "." + link.rsplit(".", 1)[-1]
        assert asset.headers["content-type"].split(";")[0] in TYPES[suffix], (link, asset.headers)
        assert asset.headers["x-content-type-options"] == "nosniff"
        assert len(asset.content) > 1000, link  # the real bundle, not an empty placeholder


def test_swagger_ui_is_told_not_to_call_the_online_validator(client):
    """Left at its default, Swagger UI off localhost asks validator.swagger.io about our spec."""
    assert '"validatorUrl": null' in client.get("/docs").text


def test_every_shipped_asset_is_served_as_shipped(client):
    for name in apidocs.ASSETS:
        res = client.get(f"{apidocs.ASSETS_URL}/{name}")
        assert res.status_code == 200, name
        if name != "redoc.standalone.js":
            assert res.content == (apidocs.assets_dir() / name).read_bytes()


def test_redoc_is_served_without_its_cdn_logo_and_otherwise_unchanged(client):
    shipped = (apidocs.assets_dir() / "redoc.standalone.js").read_bytes()
    url = f"{apidocs.ASSETS_URL}/redoc.standalone.js"
    res = client.get(url)
    assert res.status_code == 200 and b"cdn.redoc.ly" not in res.content
    assert res.content == shipped.replace(b'"https://cdn.redoc.ly/redoc/logo-mini.svg"', b'""')
    again = client.get(url, headers={"If-None-Match": res.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_oauth2_redirect_page_is_served_where_swagger_ui_is_told(client):
    page = client.get("/docs").text
    assert "oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'" in page
    res = client.get("/docs/oauth2-redirect")
    assert res.status_code == 200 and "opener.swaggerUIRedirectOauth2" in res.text


def test_docs_pages_need_no_csp_relaxation_beyond_themselves(client):
    """The docs pages carry no CSP (Swagger UI starts from an inline script); the assets and the
    rest of the app keep the strict one."""
    for page in PAGES:
        assert "content-security-policy" not in client.get(page).headers
    for path in (f"{apidocs.ASSETS_URL}/swagger-ui-bundle.js", "/api/v1/states", "/"):
        assert "default-src 'self'" in client.get(path).headers["content-security-policy"], path


def test_docs_and_their_assets_stay_public_when_reading_needs_a_key(engine, settings):
    settings.read_requires_key = True
    closed = TestClient(create_app(engine_provider=lambda: engine, settings=settings))
    assert closed.get("/api/v1/states").status_code == 401
    for path in (*PAGES, "/openapi.json", *(f"{apidocs.ASSETS_URL}/{n}" for n in apidocs.ASSETS)):
        assert closed.get(path).status_code == 200, path


def test_install_refuses_an_app_that_still_has_fastapis_cdn_pages():
    with pytest.raises(ValueError, match="docs_url=None"):
        apidocs.install(FastAPI())
