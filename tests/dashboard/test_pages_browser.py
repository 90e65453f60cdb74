"""Every page in a real browser: it renders, loads nothing from elsewhere, logs no error, and
leaves a screenshot in artifacts/screenshots/ for people to look at."""

from __future__ import annotations

import pytest

PAGES = {
    "overview": "/",
    "state-aze": "/states/AZE",
    "state-svn": "/states/SVN",
    "state-sample": "/states/XSA",
    "recommendations": "/recommendations",
    "recommendations-aze-noted": "/recommendations?state=AZE&position=noted",
    "sources": "/sources",
    "document": "/documents/2",
    "signin": "/signin",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_in_the_browser(web, site, name):
    response = web.page.goto(PAGES[name])
    assert response is not None and response.status == 200
    assert web.page.locator("main h1").count() == 1
    web.screenshot(name)
