"""Decompression bombs built in milliseconds: 1 GB of zeros is one deflate block of 1 MB of
zeros repeated (after a full flush every block compresses to the same bytes), wrapped into a
ZIP (DOCX) member, a zlib PDF stream or a gzip file without ever being materialised."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

__all__ = ["build_pdf", "deflate_zeros", "docx_with_member", "gzip_zeros", "pdf_page_count_bomb",
           "pdf_with_stream", "zlib_zeros"]

_MB = 1024 * 1024
_ADLER_MOD = 65521


def deflate_zeros(megabytes: int) -> bytes:
    """A raw deflate stream of ``megabytes`` MB of zeros (~1 KB per MB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(b"\0" * _MB) + packer.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + packer.flush(zlib.Z_FINISH)


def zlib_zeros(megabytes: int) -> bytes:
    """The same, zlib-wrapped (PDF FlateDecode); Adler-32 of n zeros is ((n % 65521) << 16) | 1."""
    size = megabytes * _MB
    return b"\x78\xda" + deflate_zeros(megabytes) + struct.pack(">I", (size % _ADLER_MOD) << 16 | 1)


def gzip_zeros(megabytes: int) -> bytes:
    """A gzip file of zeros. Its CRC is left 0: a reader meets it only after inflating it all."""
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    size = (megabytes * _MB) & 0xFFFFFFFF
    return header + deflate_zeros(megabytes) + struct.pack("<II", 0, size)


def docx_with_member(base: bytes, name: str, megabytes: int) -> bytes:
    """``base`` (a valid DOCX) with member ``name`` (added, or replacing the one of that name,
    e.g. ``word/document.xml``, which every reader inflates) holding ``megabytes`` MB of zeros
    (CRC left 0, as above). Written by hand: zipfile cannot store pre-compressed data."""
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        members = [(i.filename, archive.read(i)) for i in archive.infolist() if i.filename != name]
    entries = []
    for filename, body in members:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        entries.append((filename, packer.compress(body) + packer.flush(), zlib.crc32(body),
                        len(body)))
    entries.append((name, deflate_zeros(megabytes), 0, megabytes * _MB))
    return _zip(entries)


def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    out, central = bytearray(), bytearray()
    for name, packed, crc, size in entries:
        encoded = name.encode("utf-8")
        fields = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0, crc, len(packed), size, len(encoded), 0)
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack(
            "<HHHII", 0, 0, 0, 0, len(out)) + encoded
        out += b"PK\x03\x04" + fields + encoded + packed
    start = len(out)
    out += central + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(entries), len(entries),
                                                 len(central), start, 0)
    return bytes(out)


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given object bodies (numbered from 1; object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def pdf_with_stream(stream: bytes, filters: str = "/FlateDecode") -> bytes:
    """A one-page PDF whose content stream is ``stream`` with ``filters`` (e.g. a Flate bomb)."""
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters.encode()) + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def pdf_page_count_bomb(count: int) -> bytes:
    """300 bytes that PDFium reads as ``count`` pages (the page tree's /Count is trusted)."""
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    ])
