"""Size limits for files that expand: ZIP (DOCX), gzip (UPR Info exports) and PDF streams.

Checked before a library decompresses anything, so a small hostile file (1 GB of zeros packed
into 1 MB) is refused with ``DocumentTooLarge`` instead of exhausting memory. ZIP members are
judged by their declared sizes, and each member's deflate data is also inflated here (in small
pieces, discarded) to prove it stays within that size: zipfile cuts a member at its declared size
only after inflating each read whole, so a member that under-declares would still blow up. PDF
streams are counted the same way, because PDFium (C code) would inflate them whole. The limits
sit far above real UN documents.
"""

from __future__ import annotations

import gzip
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator

from scrapers.errors import CorruptDocument, DocumentTooLarge

__all__ = [
    "MAX_GZIP_BYTES", "MAX_PAGE_CHARS", "MAX_PDF_BYTES", "MAX_PDF_INFLATED", "MAX_PDF_PAGES",
    "MAX_TEXT_CHARS", "MAX_ZIP_MEMBERS", "MAX_ZIP_RATIO", "MAX_ZIP_TOTAL", "check_pdf_bytes",
    "check_zip", "gunzip", "pdf_inflated_size",
]

MAX_PDF_BYTES = 100 * 1024 * 1024  # downloads are capped at 50 MB (Settings.http_max_bytes)
MAX_PDF_PAGES = 2_000  # the longest UN reports have a few hundred pages
MAX_PDF_INFLATED = 256 * 1024 * 1024  # all Flate streams of one PDF, expanded
MAX_PAGE_CHARS = 1_000_000  # a dense A4 page holds ~6,000 characters
MAX_TEXT_CHARS = 20_000_000
MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_TOTAL = 200 * 1024 * 1024  # declared uncompressed size of all members
MAX_ZIP_RATIO = 100  # compression ratio allowed for a member larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_GZIP_BYTES = 100 * 1024 * 1024  # held in memory whole, then parsed as JSON

_MB = 1024 * 1024
_IN_PIECE = 64 * 1024
_OUT_PIECE = 1024 * 1024
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_NESTING = 3  # Flate inside Flate (a filter array) is followed this deep


def check_zip(data: bytes, *, url: str | None = None) -> None:
    """Refuse an archive whose members would expand beyond the limits (counted, not inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # BadZipFile, OSError, ValueError, struct errors of odd archives
        raise CorruptDocument(f"cannot read the ZIP archive: {type(exc).__name__}: {exc}",
                              url=url) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise DocumentTooLarge(f"ZIP archive has {len(members)} members (limit "
                               f"{MAX_ZIP_MEMBERS})", url=url)
    total = sum(m.file_size for m in members)
    if total > MAX_ZIP_TOTAL:
        raise DocumentTooLarge(f"ZIP archive expands to {total // _MB} MB (limit "
                               f"{MAX_ZIP_TOTAL // _MB} MB): decompression bomb?", url=url)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_ZIP_RATIO:
            raise DocumentTooLarge(f"ZIP member {member.filename[:80]!r} expands {ratio:.0f}-fold "
                                   f"(limit {MAX_ZIP_RATIO}): decompression bomb?", url=url)
    for member in members:
        _check_member(data, member, url)


def _check_member(data: bytes, member: zipfile.ZipInfo, url: str | None) -> None:
    """The member's real expansion stays within its declared size (stored or deflated only)."""
    name = member.filename[:80]
    if member.flag_bits & 0x1:
        raise CorruptDocument(f"ZIP member {name!r} is encrypted", url=url)
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise CorruptDocument(f"ZIP member {name!r} uses compression method "
                              f"{member.compress_type}: not an Office document", url=url)
    start = member.header_offset
    if data[start: start + 4] != b"PK\x03\x04" or len(data) < start + 30:
        raise CorruptDocument(f"ZIP member {name!r} has no local header", url=url)
    name_len, extra_len = struct.unpack("<HH", data[start + 26: start + 30])
    begin = start + 30 + name_len + extra_len
    raw = memoryview(data)[begin: begin + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        return
    size = 0
    try:
        for piece in _inflate(_pieces(raw), wbits=-15):
            size += len(piece)
            if size > member.file_size:
                raise CorruptDocument(f"ZIP member {name!r} expands beyond the "
                                      f"{member.file_size} bytes its header declares", url=url)
    except zlib.error:
        return  # damaged data: the reader reports it (BadZipFile), after inflating little


def gunzip(data: bytes, *, limit: int | None = None, url: str | None = None) -> bytes:
    """Inflate gzip data (all members) up to ``limit`` bytes (MAX_GZIP_BYTES when None); more
    is DocumentTooLarge. Memory never exceeds the limit: reading stops one byte past it."""
    limit = MAX_GZIP_BYTES if limit is None else limit
    chunks: list[bytes] = []
    size = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            while chunk := packed.read(_OUT_PIECE):  # read(limit) would allocate the limit
                size += len(chunk)
                if size > limit:
                    raise DocumentTooLarge(f"gzip data expands beyond {limit // _MB} MB: "
                                           "decompression bomb?", url=url)
                chunks.append(chunk)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise CorruptDocument(f"damaged gzip data: {type(exc).__name__}: {exc}", url=url) from exc
    return b"".join(chunks)


def check_pdf_bytes(data: bytes, *, url: str | None = None) -> None:
    """Refuse a PDF too large to open or whose Flate streams expand beyond the limit."""
    if len(data) > MAX_PDF_BYTES:
        raise DocumentTooLarge(f"PDF of {len(data) // _MB} MB (limit {MAX_PDF_BYTES // _MB} MB)",
                               url=url)
    expanded = pdf_inflated_size(data, MAX_PDF_INFLATED)
    if expanded > MAX_PDF_INFLATED:
        raise DocumentTooLarge(f"PDF streams expand beyond {MAX_PDF_INFLATED // _MB} MB: "
                               "decompression bomb?", url=url)


def pdf_inflated_size(data: bytes, budget: int) -> int:
    """Bytes the Flate streams of a PDF expand to, counting stops once past ``budget``.

    Streams are found by their keywords (``stream`` ... ``endstream``); a stream that is not
    Flate, or is damaged, counts what it inflated before the error (PDFium judges it later).
    """
    view = memoryview(data)
    total = 0
    for match in _STREAM.finditer(data):
        end = data.find(b"endstream", match.end())
        total += _stream_size(view[match.end(): end if end >= 0 else len(data)], budget - total)
        if total > budget:
            break
    return total


def _stream_size(raw: memoryview, budget: int) -> int:
    """Output of one stream through every Flate layer it has (each layer counted)."""
    total = 0
    for depth in range(1, _NESTING + 1):
        nested = False
        try:
            for index, piece in enumerate(_layers(raw, depth)):
                nested = nested or (index == 0 and _zlib_header(piece))
                total += len(piece)
                if total > budget:
                    return total
        except zlib.error:
            pass
        if not nested:
            break
    return total


def _layers(raw: memoryview, depth: int) -> Iterator[bytes]:
    source: Iterable[bytes | memoryview] = _pieces(raw)
    for _ in range(depth):
        source = _inflate(source)
    return iter(source)


def _pieces(raw: memoryview) -> Iterator[memoryview]:
    return (raw[i: i + _IN_PIECE] for i in range(0, len(raw), _IN_PIECE))


def _inflate(pieces: Iterable[bytes | memoryview], wbits: int = 15) -> Iterator[bytes]:
    """Inflate a zlib (or, with ``wbits=-15``, raw deflate) stream given in pieces, yielding at
    most 1 MB at a time."""
    inflater = zlib.decompressobj(wbits)
    for piece in pieces:
        pending: bytes | memoryview = piece
        while pending:
            out = inflater.decompress(pending, _OUT_PIECE)
            if out:
                yield out
            if inflater.eof:  # bytes after the end stay in unconsumed_tail: stop, or spin
                return
            pending = inflater.unconsumed_tail
        if inflater.eof:
            return


def _zlib_header(head: bytes) -> bool:
    return len(head) >= 2 and head[0] & 0x0F == 8 and ((head[0] << 8) | head[1]) % 31 == 0
