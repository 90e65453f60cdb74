"""The fictional sample review ("Sampleland", XSA): parsed by the real parser, imported by the
real importer, and marked as sample data in every row it creates."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import Engine

from scrapers.records import ParsedDocument
from scrapers.upr_reports import parse_wg_report_text
from service.config import Settings
from service.ingest.pipeline import RunReport, import_bytes
from service.store import sha256_hex

SAMPLE_STATE = "XSA"
SAMPLE_SYMBOL = "SAMPLE/WG/1"
SAMPLE_URL = "sample:sampleland_wg_report.txt"


def sample_bytes() -> bytes:
    return resources.files(__package__).joinpath("sampleland_wg_report.txt").read_bytes()


def parse_sample(data: bytes, source_url: str = SAMPLE_URL) -> ParsedDocument:
    """Parse the sample text and label everything in it as sample data."""
    parsed = parse_wg_report_text(data.decode("utf-8"), source_url=source_url, symbol=SAMPLE_SYMBOL,
                                  state=SAMPLE_STATE, cycle=3)
    document = parsed.document.model_copy(update={
        "is_sample": True, "content_type": "text/plain", "sha256": sha256_hex(data),
        "size": len(data), "title": "Sampleland — fictional sample data, not a real review"})
    # Sampleland is fictional on purpose: the parser's "not a UN State" warning would only
    # puzzle a newcomer reading the demo's first lines.
    warnings = [w for w in parsed.warnings if not w.startswith(f"state={SAMPLE_STATE!r}")]
    return parsed.model_copy(update={"document": document, "warnings": warnings})


def load_sample(engine: Engine, settings: Settings) -> RunReport:
    """Import the sample through the normal pipeline; loading it twice changes nothing."""
    return import_bytes(engine, settings, sample_bytes(), source="sample", source_url=SAMPLE_URL,
                        parser=parse_sample, recorded_by="sample")
