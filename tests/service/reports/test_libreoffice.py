"""The DOCX and XLSX open in LibreOffice without repair and print: converted to PDF headless,
page 1 (and the last page) rendered to artifacts/reports/ for a person to look at.

Needs `soffice` (or `libreoffice`) on PATH and, for the PNGs, `pdftoppm` (poppler-utils):
    apt-get install -y --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from sqlmodel import Session

from service.config import Settings
from service.db import make_engine
from service.reports.content import gather
from service.reports.formats import ReportFormat, file_name, render
from service.reports.model import GroupBy, ReportScope
from tests.conftest import REPO
from tests.service.reports.conftest import import_corpus, load_slovenia

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ARTIFACTS = REPO / "artifacts" / "reports"

pytestmark = [pytest.mark.libreoffice, pytest.mark.corpus,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not on PATH")]


@pytest.fixture
def sqlite_engine(tmp_path, sqlite_template):
    """One backend is enough here: the files, not the database, are under test."""
    path = tmp_path / "recwatch.sqlite3"
    shutil.copy(sqlite_template, path)
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{path}")
    engine = make_engine(settings.effective_database_url)
    for name in ("azerbaijan2009.pdf", "azerbaijan2013.pdf"):
        import_corpus(engine, settings, name)
    load_slovenia(engine, settings)
    yield engine
    engine.dispose()


def _convert(source: Path, outdir: Path, profile: Path) -> Path:
    """soffice → PDF; exit code 0 and a PDF of at least one page, or the test fails."""
    outdir.mkdir(parents=True, exist_ok=True)
    res = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                          "--norestore", "--convert-to", "pdf", "--outdir", str(outdir), str(source)],
                         check=False, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert not any(word in (res.stdout + res.stderr).lower() for word in ("repair", "corrupt", "error"))
    pdf = outdir / f"{source.stem}.pdf"
    assert pdf.exists(), res.stdout + res.stderr
    return pdf


def _pages(pdf: Path) -> int:
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def _png(pdf: Path, page: int, name: str) -> Path | None:
    if shutil.which("pdftoppm") is None:
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(target)], check=True, timeout=120)
    png = target.with_name(f"{name}.png")
    assert png.stat().st_size > 1000
    return png


@pytest.mark.parametrize("state, cycle, group_by", [("SVN", 3, GroupBy.THEME),
                                                    ("AZE", 2, GroupBy.PARAGRAPH)])
@pytest.mark.parametrize("fmt", [ReportFormat.DOCX, ReportFormat.XLSX])
def test_report_converts_to_pdf_without_repair(sqlite_engine, tmp_path, state, cycle, group_by, fmt):
    with Session(sqlite_engine) as s:
        report = gather(s, ReportScope(state=state, cycle=cycle, group_by=group_by))
    source = tmp_path / file_name(report, fmt)
    source.write_bytes(render(report, fmt))
    pdf = _convert(source, tmp_path / "pdf", tmp_path / "lo-profile")
    pages = _pages(pdf)
    assert pages >= 1
    stem = f"{source.stem}-{fmt.value}"
    _png(pdf, 1, f"{stem}-page1")
    _png(pdf, pages, f"{stem}-last")
