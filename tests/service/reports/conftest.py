"""Real data for report tests: Azerbaijan's first and second reviews and Slovenia's third,
imported from the corpus, plus implementation assessments and hostile values written the way
users and sources can write them. `truth()` reads the expected values straight from the
database, with the ingest code's own per-recommendation functions, not the report's batch code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from scrapers import countries
from scrapers.records import Implementation, Position
from service.ingest import pipeline
from service.ingest.assessments import latest_implementation, record_assessment
from service.ingest.importer import import_parsed
from service.ingest.positions import in_force
from service.models import Recommendation, RecommendingState
from service.store import RawStore
from tests.conftest import corpus_file
from tests.service.helpers import report, scraped_rec

HOSTILE_FORMULA = '=HYPERLINK("http://evil","x")'
HOSTILE_HTML = '<script>alert("pwned")</script> & <b>bold</b>'
HOSTILE_URL = "javascript:alert(1)"


def import_corpus(engine, settings, name: str, parser=None) -> None:
    result = pipeline.import_path(engine, settings, corpus_file(name),
                                  parser=parser or pipeline.detect_parser())
    assert result.ok, result.errors


def rec_id(engine, key: str) -> int:
    with Session(engine) as s:
        return s.execute(select(Recommendation.id).where(Recommendation.key == key)).scalar_one()


def assess(engine, key: str, implementation: Implementation, day: date, url: str) -> None:
    with Session(engine) as s:
        record_assessment(s, rec_id(engine, key), implementation=implementation, effective_on=day,
                          recorded_by="tester", evidence_url=url, evidence_document_id=None, note=None)
        s.commit()


@pytest.fixture
def azerbaijan(engine, settings) -> None:
    """Cycles 1 and 2 (for recurrences and the comparison), with three assessed recommendations;
    109.3 has two assessments, so the later one must be the one in force."""
    import_corpus(engine, settings, "azerbaijan2009.pdf")
    import_corpus(engine, settings, "azerbaijan2013.pdf")
    assess(engine, "upr/AZE/2/109.3", Implementation.PARTIALLY_IMPLEMENTED, date(2015, 3, 1),
           "https://example.org/aze/partial")
    assess(engine, "upr/AZE/2/109.3", Implementation.IMPLEMENTED, date(2017, 6, 1),
           "https://example.org/aze/done")
    assess(engine, "upr/AZE/2/109.10", Implementation.NOT_IMPLEMENTED, date(2016, 1, 15),
           "https://example.org/aze/not")


@pytest.fixture
def hostile(engine, azerbaijan) -> None:
    """Texts and a URL an attacker could get into a source or an assessment."""
    with Session(engine) as s:
        for key, text in (("upr/AZE/2/109.1", HOSTILE_FORMULA), ("upr/AZE/2/109.2", HOSTILE_HTML)):
            rec = s.execute(select(Recommendation).where(Recommendation.key == key)).scalar_one()
            rec.text = text
            s.add(rec)
        s.commit()
    assess(engine, "upr/AZE/2/109.4", Implementation.NOT_IMPLEMENTED, date(2016, 2, 1), HOSTILE_URL)


@pytest.fixture
def aze_sample(engine, settings, azerbaijan) -> None:
    """A fictional sample document that claims to be about Azerbaijan's second cycle."""
    payload = b"%PDF-1.4 fictional sample for AZE"
    RawStore(settings.raw_dir).put(payload)
    parsed = report(payload, [scraped_rec("999.1", "Fictional sample recommendation", ["NOR"],
                                          Position.SUPPORTED)], symbol="SAMPLE/AZE/1")
    parsed = parsed.model_copy(update={"document": parsed.document.model_copy(update={"is_sample": True})})
    with Session(engine) as s:
        import_parsed(s, parsed, recorded_by="sample")
        s.commit()


def load_slovenia(engine, settings) -> None:
    """The WG report; the addendum (positions) and thematic list (themes) when their parsers exist."""
    import_corpus(engine, settings, "slovenia2019.pdf")
    try:
        from scrapers.upr_addendum import parse_addendum
        from scrapers.upr_matrix import parse_thematic_list
    except ImportError:
        return
    import_corpus(engine, settings, "slovenia2019_add1.pdf", lambda d, u: parse_addendum(d, source_url=u))
    import_corpus(engine, settings, "slovenia2019_thematic_list.docx",
                  lambda d, u: parse_thematic_list(d, source_url=u))


@pytest.fixture
def slovenia(engine, settings) -> None:
    load_slovenia(engine, settings)


@dataclass
class Truth:
    id: int
    key: str
    paragraph: str
    text: str
    state_codes: list[str]
    state_names: list[str]
    position: str
    position_evidence: str | None
    implementation: str
    implementation_evidence_url: str | None
    implementation_date: date | None


def truth(engine, state: str, cycle: int) -> dict[str, Truth]:
    """Expected rows by paragraph, read one recommendation at a time (no sample data)."""
    out: dict[str, Truth] = {}
    with Session(engine) as s:
        recs = s.execute(select(Recommendation).where(
            Recommendation.state == state, Recommendation.cycle == cycle,
            Recommendation.is_sample.is_(False))).scalars().all()
        for rec in recs:
            states = s.execute(select(RecommendingState).where(RecommendingState.recommendation_id == rec.id)
                               .order_by(RecommendingState.position)).scalars().all()
            pos, imp = in_force(s, rec.id), latest_implementation(s, rec.id)
            out[rec.paragraph] = Truth(
                id=rec.id, key=rec.key, paragraph=rec.paragraph, text=rec.text,
                state_codes=[x.state for x in states],
                state_names=[(countries.state_by_iso3(x.state).name
                              if countries.state_by_iso3(x.state) else x.name_raw) for x in states],
                position=rec.position, position_evidence=pos.evidence if pos else None,
                implementation=rec.implementation,
                implementation_evidence_url=imp.evidence_url if imp else None,
                implementation_date=imp.effective_on if imp else None)
    return out
