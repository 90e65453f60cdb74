"""Backups: one .tar.gz holding the database and the raw document store.

SQLite is copied with its online backup API (consistent while the service runs); PostgreSQL
with `pg_dump` in custom format, restored with `pg_restore --clean`.

A backup holds webhook secrets and API key hashes: it is written readable by its owner only
(0600). A restore trusts nothing in the file it is given: the whole archive is read and every
member checked (only the database and `raw/` files and folders, no links, no path leaving the
archive) before anything is written, and any problem is one line (BackupError).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from sqlalchemy.engine import make_url

from service.config import Settings

SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    u = make_url(url)
    args = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres", "-d", u.database]
    env = {"PGPASSWORD": u.password} if u.password else {}
    return args, env


def backup(settings: Settings, target: Path) -> str:
    """Write the backup to `target`; returns a one-line description."""
    url = settings.effective_database_url
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if url.startswith("sqlite"):
            member = work / SQLITE_MEMBER
            src = sqlite3.connect(_sqlite_path(url))
            dst = sqlite3.connect(member)
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
        elif url.startswith("postgresql"):
            if shutil.which("pg_dump") is None:
                raise BackupError("pg_dump is not installed: install the PostgreSQL client tools, "
                                  "or back up the database with your own tooling")
            member = work / PG_MEMBER
            args, env = _pg_args(url)
            _run(["pg_dump", "--format=custom", "--no-owner", "-f", str(member), *args], env)
        else:
            raise BackupError(f"backups of {make_url(url).get_backend_name()} databases are not supported")
        _write_private(target, member, settings.raw_dir)
    return f"backup written to {target} ({member.name} and the raw document store)"


def _write_private(target: Path, member: Path, raw_dir: Path) -> None:
    """The archive, created 0600 beside `target` and renamed over it once complete."""
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror}") from exc
    try:
        os.fchmod(fd, 0o600)  # mkstemp's mode already; said explicitly, before any content
        with os.fdopen(fd, "wb") as fh, tarfile.open(fileobj=fh, mode="w:gz") as tar:
            tar.add(member, arcname=member.name)
            if raw_dir.exists():
                tar.add(raw_dir, arcname="raw")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _checked_members(source: Path, tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Every member, read to the end (a truncated file fails here, before anything is written);
    BackupError for anything `db backup` never writes."""
    members = tar.getmembers()
    for m in members:
        path = PurePosixPath(m.name)
        if path.is_absolute() or ".." in path.parts or "\\" in m.name:
            raise BackupError(f"{source} is refused: member {m.name!r} points outside the restore")
        if not (m.isfile() or m.isdir()):
            raise BackupError(f"{source} is refused: member {m.name!r} is a link or special file")
        top = path.parts[0] if path.parts else ""
        if not (m.name in (SQLITE_MEMBER, PG_MEMBER) and m.isfile()) and top != "raw" \
                or m.name.rstrip("/") == "raw" and not m.isdir():
            raise BackupError(f"{source} is refused: unexpected member {m.name!r}")
    return members


def _extract(source: Path, work: Path) -> None:
    """The checked archive into `work` (a fresh temporary folder); BackupError if unreadable."""
    try:
        with tarfile.open(source, "r:gz") as tar:
            members = _checked_members(source, tar)
            tar.extractall(work, members=members, filter="data")
    except BackupError:
        raise
    except FileNotFoundError as exc:
        raise BackupError(f"{source} does not exist") from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{source} is not a readable backup (a .tar.gz made by `recwatch db backup`): "
                          f"{type(exc).__name__}") from exc


def _restore_sqlite(source: Path, member: Path, target: Path) -> None:
    try:
        src = sqlite3.connect(f"{member.resolve().as_uri()}?mode=ro", uri=True)
        try:
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()
            target.parent.mkdir(parents=True, exist_ok=True)
            dst = sqlite3.connect(target)
            with dst:
                src.backup(dst)
            dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{source} holds no usable SQLite database ({exc})") from exc


def restore(settings: Settings, source: Path) -> str:
    """Replace the database and raw store with the backup's contents."""
    url = settings.effective_database_url
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _extract(source, work)
        if url.startswith("sqlite"):
            if not (work / SQLITE_MEMBER).is_file():
                raise BackupError(f"{source} holds no SQLite database")
            _restore_sqlite(source, work / SQLITE_MEMBER, _sqlite_path(url))
        elif url.startswith("postgresql"):
            if not (work / PG_MEMBER).is_file():
                raise BackupError(f"{source} holds no PostgreSQL dump")
            if shutil.which("pg_restore") is None:
                raise BackupError("pg_restore is not installed")
            args, env = _pg_args(url)
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args,
                  str(work / PG_MEMBER)], env)
        if (work / "raw").exists():
            shutil.copytree(work / "raw", settings.raw_dir, dirs_exist_ok=True)
    return f"restored {source}"


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ | env)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
