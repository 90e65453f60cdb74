"""Test data for the dashboard: the real corpus reports, imported by the real pipeline, plus a
small synthetic PACE resolution and execution case (through the importer) and the few rows the
importer does not write yet (timeline links, a conflict, an assessment, a failing run)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlmodel import Session

from scrapers.records import (
    DocumentKind,
    ExternalId,
    Implementation,
    Mechanism,
    ParsedDocument,
    Position,
    ScrapedDocument,
    ScrapedRecommendation,
    recommendation_key,
)
from service.auth.keys import create_key
from service.config import Settings
from service.ingest import pipeline
from service.ingest.assessments import record_assessment
from service.ingest.importer import import_parsed
from service.models import (
    Document,
    PositionConflict,
    Recommendation,
    RecommendationLink,
    Role,
    RunOutcome,
    ScrapeRun,
)
from service.recommendations.schemas import derive_status
from service.sample import load_sample

CORPUS_FILES = ("azerbaijan2009.pdf", "azerbaijan2013.pdf", "slovenia2019.pdf")
XSS_TEXT = 'Stop <script>alert(1)</script> and "><img src=x onerror=alert(1)> in official texts'


@dataclass
class Loaded:
    """What tests need to find their way in the loaded database."""

    editor_key: str
    reader_key: str
    xss_id: int
    pace_id: int
    exec_id: int
    noted_id: int  # an AZE recommendation noted in cycle 2, with a downloadable document


def _document(payload: bytes, *, mechanism: Mechanism, kind: DocumentKind, symbol: str, title: str,
              published_on: date, reference: str | None = None) -> ScrapedDocument:
    return ScrapedDocument(
        mechanism=mechanism, kind=kind, symbol=symbol, title=title, state_under_review="AZE",
        published_on=published_on, source_url=f"https://example.org/{symbol.replace(' ', '_')}",
        content_type="text/plain", sha256=hashlib.sha256(payload).hexdigest(), size=len(payload),
        parser="test", parser_version="1", reference=reference)


def pace_resolution() -> ParsedDocument:
    """A fictional-wording PACE resolution on Azerbaijan, with an XSS probe in one call."""
    payload = b"PACE resolution test payload 2184"
    doc = _document(payload, mechanism=Mechanism.PACE, kind=DocumentKind.PACE_TEXT,
                    symbol="Resolution 2184 (2017)", reference="Resolution 2184 (2017)",
                    title="The functioning of democratic institutions in Azerbaijan",
                    published_on=date(2017, 10, 11))
    calls = [("10.1", "release political prisoners without delay", ["Freedom of expression"]),
             ("10.2", ("amend the law on non-governmental organisations in line with the opinion "
                       "of the Venice Commission"), ["Civil society"]),
             ("10.3", XSS_TEXT, ["<b>Freedom</b> of assembly"])]
    recs = [ScrapedRecommendation(
        key=recommendation_key("pace", "AZE", "2184-2017", para), mechanism=Mechanism.PACE, state="AZE",
        paragraph=para, text=text, position=Position.PENDING, position_wording="calls on",
        effective_on=date(2017, 10, 11), source_url=doc.source_url, evidence=f"Resolution 2184 (2017) para. {para}",
        addressee="authorities", context="The Assembly calls on the Azerbaijani authorities to:",
        themes=themes, sdgs=["16 - Peace, justice and strong institutions"], affected_persons=["Journalists"],
        recommending_states=['"><img src=x onerror=alert(2)>'],
        recommending_states_raw=['"><img src=x onerror=alert(2)>'],
        attributes={"text_reference": "Resolution 2184 (2017)"}) for para, text, themes in calls]
    return ParsedDocument(document=doc, recommendations=recs)


def execution_case() -> ParsedDocument:
    payload = b"HUDOC-EXEC test payload mammadli"
    doc = _document(payload, mechanism=Mechanism.COE_EXEC, kind=DocumentKind.EXEC_RECORD,
                    symbol="Mammadli group", title="Mammadli group v. Azerbaijan (enhanced supervision)",
                    published_on=date(2023, 6, 8))
    rec = ScrapedRecommendation(
        key="coe_exec/AZE/mammadli-group", mechanism=Mechanism.COE_EXEC, state="AZE", paragraph="47145/14",
        text="Execute the judgments concerning arrest and detention to punish critics of the government.",
        position=Position.SUPPORTED, position_wording="judgment binding", source_url=doc.source_url,
        evidence="HUDOC-EXEC 004-51385",
        attributes={"group": "Mammadli group", "supervision": "enhanced", "is_leading": "true",
                    "appno": "47145/14"},
        external_ids=[ExternalId(source="hudoc_exec", external_id="004-51385",
                                 url="https://hudoc.exec.coe.int/eng?i=004-51385")])
    return ParsedDocument(document=doc, recommendations=[rec])


_parsed: dict[str, ParsedDocument] = {}


def _cached_parser(data: bytes, source_url: str) -> ParsedDocument:
    """The real parser, run once per file per test session (parsing the PDFs dominates setup)."""
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _parsed:
        _parsed[digest] = pipeline.detect_parser()(data, source_url)
    return _parsed[digest].model_copy(deep=True)


def load(engine: Engine, settings: Settings, corpus: Path) -> Loaded:
    """Import the corpus and the synthetic records; returns ids and keys the tests use."""
    for name in CORPUS_FILES:
        report = pipeline.import_path(engine, settings, corpus / name, parser=_cached_parser)
        assert report.ok, report.errors
    load_sample(engine, settings)
    with Session(engine, expire_on_commit=False) as s:
        for parsed in (pace_resolution(), execution_case()):
            import_parsed(s, parsed, recorded_by="test-fixture")
        s.commit()
        pace = {r.paragraph: r for r in s.execute(select(Recommendation).where(
            Recommendation.mechanism == "pace")).scalars()}
        case = s.execute(select(Recommendation).where(Recommendation.mechanism == "coe_exec")).scalar_one()
        noted = s.execute(select(Recommendation).where(Recommendation.state == "AZE", Recommendation.cycle == 2,
                                                       Recommendation.position == "noted")
                          .order_by(Recommendation.id)).scalars().first()
        assert noted is not None and noted.source_document_id is not None
        doc = s.get(Document, noted.source_document_id)
        s.add(RecommendationLink(recommendation_id=case.id, role="action_plan", title="Updated action plan",
                                 reference="DH-DD(2023)123", effective_on=date(2023, 3, 1),
                                 url="https://example.org/action-plan"))
        s.add(RecommendationLink(recommendation_id=case.id, role="cm_decision", title="CM decision",
                                 effective_on=date(2023, 6, 8)))
        s.add(PositionConflict(recommendation_id=noted.id, current_position="noted",
                               current_source="addendum", claimed_position="supported",
                               claimed_source="upr_info", claimed_document_id=doc.id,
                               claimed_wording="Supported", claimed_evidence="UPR Info entity"))
        record_assessment(s, case.id, implementation=Implementation.PARTIALLY_IMPLEMENTED,
                          effective_on=date(2023, 6, 8), recorded_by="test-fixture",
                          evidence_url="https://example.org/cm-decision", evidence_document_id=None,
                          note="Some applicants released")
        now = datetime.now(UTC)
        for i in range(3):  # a source failing three times in a row: highlighted everywhere
            s.add(ScrapeRun(source="pace", started_at=now - timedelta(hours=3 - i),
                            finished_at=now - timedelta(hours=3 - i), outcome=RunOutcome.FAILED,
                            errors=[{"class": "SourceBlocked", "message": "HTTP 403 from pace.coe.int",
                                     "url": "https://pace.coe.int/en/files/28584"}]))
        editor = create_key(s, "dashboard-editor", Role.EDITOR)
        reader = create_key(s, "dashboard-reader", Role.READER)
        s.commit()
        return Loaded(editor_key=editor, reader_key=reader, xss_id=pace["10.3"].id,
                      pace_id=pace["10.1"].id, exec_id=case.id, noted_id=noted.id)


@dataclass
class Counted:
    """Counts straight from the recommendation rows (not from the dashboard's own queries), for
    tests to compare the overview's numbers with."""

    states: int
    total: int
    status: dict[str, int]
    by_mechanism: dict[str, int]


def counted(engine: Engine, *, sample: bool) -> Counted:
    """The real rows (`sample=False`) or the fictional ones, counted one by one in Python."""
    with Session(engine) as s:
        rows = s.execute(select(Recommendation.state, Recommendation.mechanism, Recommendation.position,
                                Recommendation.implementation)
                         .where(Recommendation.is_sample.is_(sample))).all()
    status = Counter(derive_status(position, implementation).value for _, _, position, implementation in rows)
    return Counted(states=len({r[0] for r in rows}), total=len(rows), status=dict(status),
                   by_mechanism=dict(Counter(r[1] for r in rows)))
