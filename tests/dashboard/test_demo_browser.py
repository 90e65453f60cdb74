"""The first page a newcomer sees after `recwatch serve --demo`, in a real browser: the sample's
numbers, labelled as fictional, accessible (axe) and fitting a phone; screenshots of both widths
go to artifacts/screenshots/ for people to look at."""

from __future__ import annotations

import re

from service.sample import SAMPLE_STATE
from tests.dashboard import data
from tests.dashboard.conftest import Site, Watch
from tests.dashboard.test_quality_browser import serious_violations


def test_the_demo_overview_counts_the_sample_and_says_it_is_fictional(browser, demo_site: Site):
    sample = data.counted(demo_site.engine, sample=True)
    assert sample.total > 0
    for name, width, height in (("overview-demo", 1280, 900), ("phone-overview-demo", 375, 740)):
        context = browser.new_context(base_url=demo_site.base_url,
                                      viewport={"width": width, "height": height})
        try:
            page = context.new_page()
            page.set_default_timeout(10_000)
            watch = Watch(page, demo_site.base_url)
            assert page.goto("/").status == 200
            notice = page.locator(".demo-notice")
            assert notice.is_visible()
            text = notice.inner_text()
            assert "This is fictional sample data loaded with --demo: Sampleland does not exist." in text
            headline = page.locator("#totals-h").inner_text()
            assert re.fullmatch(rf"{sample.states} states? tracked · {sample.total} recommendations? "
                                r"\(fictional sample data\)", headline.strip()), headline
            assert page.locator(".cards .num").first.inner_text() == str(sample.states)
            assert page.locator("#changes-h ~ ol.changes li").count() > 0
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
            watch.screenshot(name)
            assert serious_violations(page, {name: "/"}) == {}
            page.goto("/")
            notice.locator(f'a[href="/states/{SAMPLE_STATE}"]').click()
            page.wait_for_url(f"**/states/{SAMPLE_STATE}")
            assert "Sampleland" in page.locator("main h1").inner_text()
            assert watch.errors == [] and watch.foreign == [] and watch.dialogs == []
        finally:
            context.close()
