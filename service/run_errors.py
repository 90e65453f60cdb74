"""What a run may say about a failure in public: a class and a short message.

Run errors are served on the open `/api/v1/runs` and summarised on `/api/v1/sources` and the
dashboard. A raw exception can carry SQL statements with their parameters, server paths and
`file:///` URLs; those are removed where errors are recorded (and again where they are shown,
for runs recorded before).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy.exc import SQLAlchemyError, StatementError

from service.public_urls import is_public_url

MAX_MESSAGE = 1000
_FILE_URL = re.compile(r"file://[^\s'\"()<>\]]*", re.IGNORECASE)
# Absolute paths under the usual roots of a server's file system (not URL paths such as
# `/doc/undoc/...`: those follow a host name and are left alone).
_ROOTS = ("tmp", "home", "root", "var", "srv", "opt", "usr", "etc", "mnt", "media", "data", "work",
          "app", "run", "proc", "dev", "sys", "private", "Users", "Volumes")
_SERVER_PATH = re.compile(rf"(?<![\w.:/~-])/(?:{'|'.join(_ROOTS)})(?:/[^\s'\"()<>\],;]*)?")
_SQL_TAIL = re.compile(r"\s*\[(?:SQL|parameters):.*", re.DOTALL)


def _basename(path: str) -> str:
    name = PurePosixPath(unquote(path).rstrip("/")).name
    return name or "a local file"


def _extra_roots() -> list[str]:
    """Directories of this server that may not fall under the usual roots."""
    roots = {str(Path.cwd()), str(Path.home()), tempfile.gettempdir(), os.environ.get("RECWATCH_DATA_DIR", "")}
    return sorted((r for r in roots if len(r) > 1), key=len, reverse=True)


def scrub(text: str) -> str:
    """`text` with file URLs and server paths cut down to their last component, SQL removed."""
    text = _SQL_TAIL.sub("", text)
    text = _FILE_URL.sub(lambda m: _basename(urlsplit(m.group(0)).path), text)
    for root in _extra_roots():
        text = re.sub(re.escape(root) + r"(?:/[^\s'\"()<>\],;]*)?", lambda m: _basename(m.group(0)), text)
    return _SERVER_PATH.sub(lambda m: _basename(m.group(0)), text)


def _short(text: str) -> str:
    line = scrub(" ".join(text.split()))
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def describe(exc: BaseException) -> tuple[str, str]:
    """(class, message) of an exception, fit to be shown to anyone."""
    if isinstance(exc, StatementError) and exc.orig is not None:
        # The driver's own first line ("UNIQUE constraint failed: document.sha256"), never the
        # statement or its parameters, which SQLAlchemy appends to str(exc).
        first = (str(exc.orig).strip().splitlines() or [""])[0]
        return type(exc).__name__, _short(first) or type(exc.orig).__name__
    if isinstance(exc, SQLAlchemyError):
        return type(exc).__name__, _short(str(exc)) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {_basename(str(exc.filename))}" if exc.filename else ""
        return type(exc).__name__, f"{exc.strerror}{where}"
    reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
    return type(exc).__name__, _short(str(reason)) or type(exc).__name__


def public_url(url: str | None) -> str | None:
    """Only http(s) addresses are shown: a local path or file URL is not."""
    return url if is_public_url(url) else None


def entry(kind: str, message: str, url: str | None) -> dict[str, Any]:
    """One recorded error or note; a local file is named by its file name only."""
    out: dict[str, Any] = {"class": kind, "message": _short(message) if message else message,
                           "url": public_url(url)}
    if url and out["url"] is None:
        out["file"] = _basename(urlsplit(url).path if url.lower().startswith("file:") else url)
    return out


def public_entry(error: dict[str, Any]) -> dict[str, Any]:
    """A stored error as it may be shown (runs recorded before errors were cleaned on entry)."""
    cleaned = entry(str(error.get("class") or "Error"), str(error.get("message") or ""), error.get("url"))
    if "file" in error and "file" not in cleaned:
        cleaned["file"] = _basename(str(error["file"]))
    return cleaned
