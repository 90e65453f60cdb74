"""Backups: one .tar.gz holding the database and the raw document store.

SQLite is copied with its online backup API (consistent while the service runs); PostgreSQL
with `pg_dump` in custom format, restored with `pg_restore --clean`.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

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
        with tarfile.open(target, "w:gz") as tar:
            tar.add(member, arcname=member.name)
            if settings.raw_dir.exists():
                tar.add(settings.raw_dir, arcname="raw")
    return f"backup written to {target} ({member.name} and the raw document store)"


def restore(settings: Settings, source: Path) -> str:
    """Replace the database and raw store with the backup's contents."""
    url = settings.effective_database_url
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source, "r:gz") as tar:
        tar.extractall(tmp, filter="data")
        work = Path(tmp)
        if url.startswith("sqlite"):
            if not (work / SQLITE_MEMBER).exists():
                raise BackupError(f"{source} holds no SQLite database")
            src = sqlite3.connect(work / SQLITE_MEMBER)
            target = _sqlite_path(url)
            target.parent.mkdir(parents=True, exist_ok=True)
            dst = sqlite3.connect(target)
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
        elif url.startswith("postgresql"):
            if not (work / PG_MEMBER).exists():
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
    import os

    done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ | env)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
