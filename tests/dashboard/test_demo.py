"""The overview with the fictional sample (`recwatch serve --demo`), on every test database
backend: alone, the sample is counted and labelled as fictional rather than shown as zeros;
beside real data it is reported apart and never inflates the real numbers.

Expected numbers come from the rows themselves (`data.counted`), not from the dashboard's
queries, so a page that counted the wrong rows fails here."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from service.models import ChangeEvent, Recommendation
from service.sample import SAMPLE_STATE, load_sample
from tests.dashboard import data
from tests.dashboard.conftest import build_app
from tests.dashboard.test_http import dash  # noqa: F401  (the corpus-and-sample fixture)

BADGE = "Sample data (fictional)"
NOTICE = "This is fictional sample data loaded with <code>--demo</code>: Sampleland does not exist."


def cards(html: str) -> dict[str, int]:
    """The headline cards as {label: number}."""
    found = re.findall(r'<li><a href="[^"]*"(?: class="[^"]*")?>'
                       r'<span class="num">(\d+)</span> ([^<]+)</a></li>', html)
    return {label: int(n) for n, label in found}


def expected_cards(c: data.Counted) -> dict[str, int]:
    s = c.status
    return {f"state{'s' if c.states != 1 else ''} tracked": c.states,
            f"recommendation{'s' if c.total != 1 else ''}": c.total,
            "accepted, not yet implemented": s.get("accepted", 0), "rejected (noted)": s.get("rejected", 0),
            "implemented in full or in part": s.get("implemented", 0) + s.get("partially_implemented", 0),
            "pending a response": s.get("pending", 0)}


def section(html: str, heading_id: str) -> str:
    """The <section> labelled by the heading `heading_id`."""
    match = re.search(rf'<section aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


def mechanism_totals(html: str) -> dict[str, int]:
    """{mechanism code: the "All" column} from the by-mechanism table."""
    rows = re.findall(r'href="/recommendations\?mechanism=(\w+)">[^<]*</a></th>\s*'
                      r'<td data-label="All" class="n">(\d+)</td>', section(html, "mech-h"))
    return {m: int(n) for m, n in rows}


def state_rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/states/(\w+)">', section(html, "states-h"))


def test_a_demo_only_database_counts_the_sample_and_says_it_is_fictional(engine, settings):
    assert load_sample(engine, settings).ok
    sample = data.counted(engine, sample=True)
    assert data.counted(engine, sample=False).total == 0 and sample.total > 0
    with Session(engine) as s:
        events = s.execute(select(func.count()).select_from(ChangeEvent)).scalar_one()
        first_id = s.execute(select(func.min(Recommendation.id))).scalar_one()
    with TestClient(build_app(engine, settings)) as client:
        html = client.get("/").text
        assert client.get(f"/states/{SAMPLE_STATE}").status_code == 200

    assert cards(html) == expected_cards(sample)
    headline = re.search(r'<h2 id="totals-h" class="headline">(\d+) states? tracked · (\d+) recommendations? '
                         r'<span class="fictional">\(fictional sample data\)</span></h2>', html)
    assert headline and (int(headline[1]), int(headline[2])) == (sample.states, sample.total)
    totals = section(html, "totals-h")
    assert NOTICE in totals and f'href="/states/{SAMPLE_STATE}"' in totals and BADGE in totals
    assert mechanism_totals(html) == sample.by_mechanism
    assert state_rows(html) == [SAMPLE_STATE]
    # Nothing has changed after a first import, so the sample's own first-import events are listed,
    # each marked as fictional (the document's event too, which has no recommendation row).
    changes = section(html, "changes-h")
    listed = changes.count("<li>")
    assert listed == min(events, 12) and changes.count(BADGE) == listed
    assert f'href="/recommendations/{first_id}"' in changes and "No changes yet" not in changes
    assert 'id="sample-h"' not in html  # no "also loaded" box: the whole page is the sample


def test_real_data_stays_the_headline_and_the_sample_is_reported_apart(dash):  # noqa: F811
    real = data.counted(dash.engine, sample=False)
    sample = data.counted(dash.engine, sample=True)
    assert real.total > 0 and sample.total > 0
    html = dash.client.get("/").text

    assert cards(html) == expected_cards(real)  # not real + sample
    assert mechanism_totals(html) == real.by_mechanism
    rows = state_rows(html)
    assert len(rows) == real.states and SAMPLE_STATE not in rows
    assert "(fictional sample data)</span></h2>" not in html and NOTICE not in html
    apart = section(html, "sample-h")
    assert BADGE in apart and "Sampleland does not exist" in apart
    assert f'<a href="/states/{SAMPLE_STATE}">Sampleland</a>' in apart
    assert f'<span class="sample-count">{sample.total}</span>' in apart
    assert f"none of these {sample.total} fictional recommendations" in apart


def test_an_empty_database_shows_zeros_and_no_sample_notice(engine, settings):
    with TestClient(build_app(engine, settings)) as client:
        html = client.get("/").text
    assert cards(html) == expected_cards(data.counted(engine, sample=False))
    assert set(cards(html).values()) == {0}
    assert BADGE not in html and NOTICE not in html and 'id="sample-h"' not in html
    assert "No state has recommendations yet" in html and "No changes yet" in html
