"""Backup → wipe → restore gives an identical database and raw store."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from service.backup import backup, restore
from service.ingest import pipeline
from service.store import RawStore
from tests.conftest import corpus_file
from tests.service.dbdump import dump


def _wipe(engine, settings) -> None:
    """Lose everything: the database and every archived document."""
    engine.dispose()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(engine.url.database + suffix).unlink(missing_ok=True)
    for path in settings.raw_dir.rglob("*"):
        if path.is_file():
            path.unlink()
    assert "recommendation" not in inspect(engine).get_table_names()


def test_backup_wipe_restore_round_trip(engine, settings, tmp_path):
    report = pipeline.import_path(engine, settings, corpus_file("azerbaijan2013.pdf"), parser=pipeline.detect_parser())
    assert report.ok
    before = dump(engine)
    archive = tmp_path / "backup.tar.gz"
    backup(settings, archive)
    _wipe(engine, settings)
    restore(settings, archive)
    engine.dispose()
    assert dump(engine) == before
    with engine.connect() as conn:
        shas = conn.execute(text("SELECT sha256 FROM document")).scalars().all()
    assert shas and all(RawStore(settings.raw_dir).exists(s) for s in shas)
