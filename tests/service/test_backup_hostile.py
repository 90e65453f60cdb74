"""`recwatch db restore` of hostile archives refuses in one line and writes nothing outside its
targets; `db backup` writes the file readable by its owner only."""

from __future__ import annotations

import gzip
import io
import stat
import tarfile
from pathlib import Path

import pytest

from service.backup import backup
from tests.service.test_cli import recwatch


def _archive(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _file(name: str, data: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def _link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    victim = tmp_path / "victim.txt"
    out = {
        "traversal": _archive(tmp_path / "traversal.tar.gz", [_file("../../victim.txt", b"owned")]),
        "absolute": _archive(tmp_path / "absolute.tar.gz", [_file(str(victim), b"owned")]),
        "raw_traversal": _archive(tmp_path / "raw_traversal.tar.gz",
                                  [_file("raw/../../victim.txt", b"owned")]),
        "symlink": _archive(tmp_path / "symlink.tar.gz", [_link("raw/ab", str(victim)),
                                                          _file("raw/ab/cd", b"owned")]),
        "hardlink": _archive(tmp_path / "hardlink.tar.gz", [_link("raw/x", str(victim), tarfile.LNKTYPE)]),
        "stranger": _archive(tmp_path / "stranger.tar.gz", [_file("etc/passwd", b"owned")]),
        "not_a_database": _archive(tmp_path / "notdb.tar.gz", [_file("database.sqlite3", b"not sqlite")]),
    }
    (tmp_path / "plain.tar.gz").write_text("just some text, not an archive")
    out["not_tar"] = tmp_path / "plain.tar.gz"
    (tmp_path / "gz_not_tar.tar.gz").write_bytes(gzip.compress(b"gzip, but no tar inside" * 50))
    out["gzip_not_tar"] = tmp_path / "gz_not_tar.tar.gz"
    out["missing"] = tmp_path / "missing.tar.gz"
    return out


@pytest.fixture
def good_backup(settings, engine, tmp_path: Path) -> Path:
    recwatch(settings, "db", "upgrade")
    target = tmp_path / "good.tar.gz"
    backup(settings, target)
    return target


def test_backups_are_written_owner_only(settings, good_backup, tmp_path):
    assert stat.S_IMODE(good_backup.stat().st_mode) == 0o600
    res = recwatch(settings, "db", "backup", str(tmp_path / "cli.tar.gz"))
    assert res.returncode == 0, res.stderr
    assert stat.S_IMODE((tmp_path / "cli.tar.gz").stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".cli.tar.gz.*"))  # no temporary file left behind


def test_hostile_archives_are_refused_in_one_line(settings, hostile, good_backup, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good_backup.read_bytes()[: good_backup.stat().st_size // 2])
    cases = hostile | {"truncated": truncated}
    for name, path in cases.items():
        res = recwatch(settings, "db", "restore", str(path))
        lines = [line for line in (res.stdout + res.stderr).splitlines() if line.strip()]
        assert res.returncode == 1, (name, res.stdout, res.stderr)
        assert len(lines) == 1 and "Traceback" not in res.stderr, (name, lines)
        assert str(path) in lines[0], (name, lines)
    assert not (tmp_path / "victim.txt").exists()
    assert not (settings.raw_dir / "ab").exists()


def test_a_good_backup_still_restores(settings, good_backup):
    res = recwatch(settings, "db", "restore", str(good_backup))
    assert res.returncode == 0, res.stderr
