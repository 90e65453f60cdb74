"""The report's content against the database, on Azerbaijan's and Slovenia's real reports."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from service.errors import NotFound
from service.models import Recommendation, RecommendationTheme, Theme
from service.reports.content import gather
from service.reports.grouping import paragraph_key
from service.reports.model import NO_THEME, GroupBy, ReportScope
from service.sample import load_sample
from tests.service.reports.conftest import truth

pytestmark = pytest.mark.corpus


def _gather(engine, **scope):
    with Session(engine) as s:
        return gather(s, ReportScope(**scope))


@pytest.mark.parametrize("group_by", list(GroupBy))
def test_azerbaijan_every_recommendation_once_with_its_evidence(engine, azerbaijan, group_by):
    report = _gather(engine, state="AZE", cycle=2, group_by=group_by)
    expected = truth(engine, "AZE", 2)
    rows = list(report.rows())
    assert len(expected) == 162
    assert sorted(r.paragraph for r in rows) == sorted(expected)  # each exactly once
    assert report.summary.total == 162
    for row in rows:
        want = expected[row.paragraph]
        assert (row.text, row.position, row.implementation) == (want.text, want.position, want.implementation)
        assert [s.code for s in row.recommending_states] == want.state_codes
        assert row.position_source is not None and row.position_source.evidence == want.position_evidence
        if want.implementation_evidence_url:
            assert row.implementation_source.url == want.implementation_evidence_url
            assert row.implementation_source.effective_on == want.implementation_date
        else:
            assert row.implementation_source is None
    assert report.summary.by_position == {"supported": 0, "partially_supported": 0, "noted": 4,
                                          "pending": 158}
    assert report.summary.by_implementation == {"implemented": 1, "partially_implemented": 0,
                                                "not_implemented": 1, "unknown": 160}
    cped = next(r for r in rows if r.paragraph == "109.3")
    assert [s.name for s in cped.recommending_states] == ["Brazil", "Chile"]
    assert cped.position_source.cite() == "A/HRC/24/13 para. 109, 2013-07-05"
    assert cped.implementation == "implemented"  # the later of two assessments
    assert cped.implementation_source.url == "https://example.org/aze/done"


def test_azerbaijan_paragraph_order_is_natural(engine, azerbaijan):
    report = _gather(engine, state="AZE", cycle=2, group_by=GroupBy.PARAGRAPH)
    paragraphs = [r.paragraph for r in report.rows()]
    assert paragraphs == sorted(paragraphs, key=paragraph_key)
    assert paragraphs.index("109.9") < paragraphs.index("109.10") < paragraphs.index("110.1")
    assert [g.title for g in report.groups] == ["All recommendations"]


def test_recurring_recommendations_and_change_since_previous_review(engine, azerbaijan):
    report = _gather(engine, state="AZE", cycle=2)
    media = next(r for r in report.rows() if r.text.startswith("Expand media freedoms"))
    assert media.recurrences and media.recurrences[0].cycle == 1
    note = media.recurrences[0].describe()
    assert note.startswith(f"also recommended in cycle 1 ({media.recurrences[0].paragraph}), ")
    with Session(engine) as s:
        before = Counter(s.execute(select(Recommendation.position).where(
            Recommendation.state == "AZE", Recommendation.cycle == 1)).scalars())
    c = report.summary.comparison
    assert c is not None and c.previous == "cycle 1"
    assert c.previous_total == sum(before.values()) == 32 and c.current_total == 162
    assert {k: v for k, v in c.previous_by_position.items() if v} == dict(before)
    assert c.recurring == sum(1 for r in report.rows() if any(x.cycle == 1 for x in r.recurrences))
    assert 0 < c.recurring < 162
    assert _gather(engine, state="AZE", cycle=1).summary.comparison is None


def test_sample_data_is_never_mixed_into_a_real_report(engine, settings, aze_sample):
    assert load_sample(engine, settings).ok
    report = _gather(engine, state="AZE", cycle=2)
    assert report.summary.total == 162 and not report.is_sample
    assert "999.1" not in {r.paragraph for r in report.rows()}
    assert all(not (d.symbol or "").startswith("SAMPLE") for d in report.sources)
    sample = _gather(engine, state="XSA")
    assert sample.is_sample and sample.summary.total > 0
    assert sample.file_name("docx").startswith("sampleland")


def test_sources_annex_and_data_as_of(engine, azerbaijan):
    report = _gather(engine, state="AZE", cycle=2)
    assert [d.symbol for d in report.sources] == ["A/HRC/24/13"]
    assert len(report.sources[0].sha256) == 64 and report.sources[0].published_on == date(2013, 7, 5)
    assert report.data_as_of is not None
    assert "manual-import" in {f.source for f in report.freshness}


def test_scope_by_mechanism_and_period(engine, azerbaijan):
    everything = _gather(engine, state="AZE")
    assert everything.summary.total == 162 + 32
    assert {r.ref.split()[1] for r in everything.rows()} == {"c1", "c2"}  # cycle shown when mixed
    assert everything.file_name("csv") == "azerbaijan-all.csv"
    period = _gather(engine, state="AZE", since=date(2013, 1, 1), until=date(2013, 12, 31))
    assert period.summary.total == 162
    assert _gather(engine, state="AZE", since=date(2020, 1, 1)).summary.total == 0
    assert _gather(engine, state="AZE", mechanism="pace").summary.total == 0
    assert _gather(engine, state="azerbaijan", cycle=2).file_name("docx") == "azerbaijan-upr2.docx"


def test_unknown_state_is_not_found(engine, azerbaijan):
    for value in ("XXX", "Atlantis", "FRA"):
        with pytest.raises(NotFound):
            _gather(engine, state=value)


def test_slovenia_themes_group_each_recommendation_under_its_primary_theme(engine, slovenia):
    report = _gather(engine, state="SVN", cycle=3)
    expected = truth(engine, "SVN", 3)
    rows = list(report.rows())
    assert len(expected) == 215 and sorted(r.paragraph for r in rows) == sorted(expected)
    for row in rows:
        want = expected[row.paragraph]
        assert row.position == want.position and row.position_source.evidence == want.position_evidence
    with Session(engine) as s:
        tagged = s.execute(select(func.count(func.distinct(RecommendationTheme.recommendation_id)))
                           .join(Theme, Theme.id == RecommendationTheme.theme_id)
                           .where(Theme.kind == "theme")).scalar_one()
        first = {}
        for rec_id, name in s.execute(select(RecommendationTheme.recommendation_id, Theme.name)
                                      .join(Theme, Theme.id == RecommendationTheme.theme_id)
                                      .where(Theme.kind == "theme").order_by(RecommendationTheme.id)):
            first.setdefault(rec_id, name)
    for group in report.groups:
        for row in group.rows:
            assert group.title == first.get(row.id, NO_THEME)
            assert group.title not in row.other_themes
    kinds = {d.kind for d in report.sources}
    assert "wg_report" in kinds and (not tagged or "thematic_list" in kinds)
    counts = report.summary.by_theme
    assert sum(c.listed for c in counts) == 215  # listed adds up to the total
    if tagged:  # themes come from the thematic list, when its parser is there
        assert any(len(r.themes) > 1 for r in rows)
        assert sum(c.tagged for c in counts) > 215
        theme = counts[0]
        assert theme.tagged == sum(1 for r in rows if theme.name in r.themes)
