"""Every source the service runs, in one tuple; the lookups the service makes over it.

Read at call time: a test (or a build) adds a source by changing `SOURCES` alone.
"""

from __future__ import annotations

from scrapers.coe_exec.source import SOURCE as COE_EXEC
from scrapers.errors import NotADocument
from scrapers.pace.source import SOURCE as PACE
from scrapers.source import KindSpec, Source
from scrapers.text import sniff_format
from scrapers.upr_info.source import SOURCE as UPR_INFO
from scrapers.upr_reports.source import SOURCE as UPR_REPORTS

SOURCES: tuple[Source, ...] = (
    UPR_REPORTS,
    UPR_INFO,
    PACE,
    COE_EXEC,
)


def sources() -> tuple[Source, ...]:
    return SOURCES


def keys() -> list[str]:
    return [s.key for s in SOURCES]


def get(key: str) -> Source | None:
    return next((s for s in SOURCES if s.key == key), None)


def kinds() -> list[KindSpec]:
    """Every document kind, in registry order (the order detection tries them)."""
    return [spec for source in SOURCES for spec in source.kinds]


def kind(value: str | None) -> KindSpec | None:
    return next((spec for spec in kinds() if spec.kind == value), None)


def source_of_kind(value: str) -> Source | None:
    return next((s for s in SOURCES if any(spec.kind == value for spec in s.kinds)), None)


def rank(value: str | None) -> int:
    """Precedence of a document kind: wording and positions of a higher rank win."""
    spec = kind(value)
    return spec.rank if spec is not None else 0


def importable(key: str) -> list[KindSpec]:
    """The kinds of `key` a person can import from a saved file."""
    source = get(key)
    return [spec for spec in source.kinds if spec.parser is not None] if source else []


def detect(data: bytes) -> KindSpec:
    """The kind of a file from its bytes; NotADocument for anything no source reads."""
    fmt = sniff_format(data)
    for spec in kinds():
        if spec.parser is not None and spec.detect is not None and spec.detect(fmt, data):
            return spec
    if fmt == "doc":
        raise NotADocument("a legacy Word (.doc) file: save it as .docx or PDF first")
    if fmt == "html":
        raise NotADocument("an HTML page that is not a text any source reads")
    raise NotADocument(f"not a document recwatch reads ({fmt}, {len(data)} bytes)")


def labels() -> dict[str, str]:
    """Document-kind labels and the extra codes sources introduce."""
    out: dict[str, str] = {}
    for source in SOURCES:
        out |= source.labels
        out |= {spec.kind: spec.label for spec in source.kinds}
    return out
