"""`Content-Disposition` headers built per RFC 6266 / RFC 5987.

A file name comes from stored data (a document's symbol, a report's title): quoted as is, a
quote or line break in it makes the header invalid and the download impossible. The header
carries an ASCII fallback `filename="..."` (only safe characters) and the exact name as
`filename*=UTF-8''...` (percent-encoded).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._()\- ]+")


def ascii_fallback(name: str) -> str:
    """A plain-ASCII file name for old clients: accents dropped, anything else unsafe → `_`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = _UNSAFE_ASCII.sub("_", plain).strip(" .")
    return plain or "download"


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''exact` for `name`."""
    clean = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C") or "download"
    return (f'{disposition}; filename="{ascii_fallback(clean)}"; '
            f"filename*=UTF-8''{quote(clean, safe='')}")
