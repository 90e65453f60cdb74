"""Hypothesis strategies for hostile bytes and JSON: random bytes behind real magic numbers,
mutations of valid seeds (byte, line and ZIP-member level) and JSON with wrong shapes."""

from __future__ import annotations

import copy
import gzip
import io
import json
import reprlib
import zipfile
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "JsonInput",
    "deep_nesting",
    "encode_json",
    "json_values",
    "mutated_bytes",
    "mutated_json",
    "mutated_text",
    "mutated_zip_member",
    "random_bytes",
]

MAGIC = (b"%PDF-1.7\n", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", b"PK\x03\x04", b"\x1f\x8b\x08\x00",
         b"{", b"[", b"\xef\xbb\xbf{", b"<!DOCTYPE html><html><body>", b"<html>",
         b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"")
TAILS = (b"", b"\n%%EOF\n", b"trailer\n<< /Root 1 0 R /Size 3 >>\n%%EOF", b"</body></html>")
INTERESTING = (b"0", b"-1", b"4294967295", b"99999999999", b"\x00" * 8, b"\xff" * 8, b"%%EOF",
               b" obj ", b"endobj", b"stream\n", b"endstream", b"/Count 99999999", b"<<", b">>",
               b"(", b")", b"[", b"]", b"{", b"}", b"\"", b"<div>", b"</div>", b"&#0;",
               b"\xef\xbf\xbe", b"\r\n", b"\f", b"PK\x01\x02", b"PK\x05\x06")


def random_bytes(max_size: int = 2048) -> st.SearchStrategy[bytes]:
    """Random bytes, alone or between a real format's magic number and a plausible tail."""
    body = st.binary(max_size=max_size)
    framed = st.tuples(st.sampled_from(MAGIC), body, st.sampled_from(TAILS)).map(b"".join)
    return st.one_of(body, framed)


@st.composite
def mutated_bytes(draw: st.DrawFn, seeds: Sequence[bytes], max_ops: int = 6) -> bytes:
    """One seed after 1..max_ops edits: overwrite, delete, insert, duplicate, cut, splice."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, max_ops))):
        size = len(data)
        pos = draw(st.integers(0, size))
        op = draw(st.sampled_from(("flip", "delete", "insert", "magic", "dup", "cut", "splice")))
        if op == "flip" and size:
            data[min(pos, size - 1)] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[pos: pos + draw(st.integers(1, 256))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif op == "magic":
            data[pos:pos] = draw(st.sampled_from(INTERESTING))
        elif op == "dup":
            chunk = data[pos: pos + draw(st.integers(1, 512))]
            data[pos:pos] = chunk * draw(st.integers(1, 8))
        elif op == "cut":
            del data[pos:]
        elif op == "splice":
            other = draw(st.sampled_from(seeds))
            start = draw(st.integers(0, len(other)))
            data[pos:] = other[start:]
    return bytes(data)


@st.composite
def mutated_text(draw: st.DrawFn, seeds: Sequence[str], extra_lines: st.SearchStrategy[str],
                 max_ops: int = 6) -> str:
    """One seed text after line-level edits (drop, repeat, swap, insert) and character edits."""
    lines = draw(st.sampled_from(seeds)).split("\n")
    for _ in range(draw(st.integers(1, max_ops))):
        pos = draw(st.integers(0, len(lines)))
        op = draw(st.sampled_from(("drop", "repeat", "swap", "insert", "chars", "join")))
        if op == "drop" and lines:
            del lines[pos: pos + draw(st.integers(1, 5))]
        elif op == "repeat" and pos < len(lines):
            lines[pos:pos] = [lines[pos]] * draw(st.integers(1, 20))
        elif op == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            pos = min(pos, len(lines) - 1)
            lines[pos], lines[other] = lines[other], lines[pos]
        elif op == "insert":
            lines[pos:pos] = draw(st.lists(extra_lines, min_size=1, max_size=4))
        elif op == "chars" and pos < len(lines):
            line = lines[pos]
            cut = draw(st.integers(0, len(line)))
            lines[pos] = line[:cut] + draw(st.text(max_size=8)) + line[cut + 1:]
        elif op == "join" and pos + 1 < len(lines):
            lines[pos: pos + 2] = [lines[pos] + draw(st.sampled_from(("", " ", "-", "\f")))
                                   + lines[pos + 1]]
    return "\n".join(lines)


@st.composite
def mutated_zip_member(draw: st.DrawFn, seeds: Sequence[bytes], member: str,
                       extra_lines: st.SearchStrategy[str]) -> bytes:
    """A ZIP seed whose ``member`` (e.g. ``word/document.xml``) had its text mutated; the
    archive itself stays valid, so the XML reader and the parser behind it are reached."""
    seed = draw(st.sampled_from(seeds))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == member:
                xml = body.decode("utf-8", "replace").replace("><", ">\n<")
                body = draw(mutated_text([xml], extra_lines)).encode("utf-8")
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- JSON --------------------------------------------------------------------------------------

_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring = 8, 8, 8, 80


class JsonInput:
    """A decoded JSON value handed to a parser. Its repr is depth-limited: Hypothesis prints
    test arguments, and a list nested 20,000 deep cannot be printed by a recursive printer."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"JsonInput({_SHORT.repr(self.value)})"

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-2**70, 2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["", "CEC", "AZE", "True", "false", "15/03/2020", "2020-03-15T00:00:00.0Z",
                     "44 - November 2023", "Cycle 4", "Supported", "Noted", "CM/ResDH(2020)1",
                     "9" * 5000 + " - May 2020", "A/HRC/43/15", "Azerbaijan", "\x00", "\ud7ff"]),
)


def json_values(keys: Sequence[str] = ()) -> st.SearchStrategy[Any]:
    """Any JSON value, with dictionary keys often taken from ``keys`` (the seeds' own keys)."""
    key = st.one_of(st.text(max_size=12), st.sampled_from(keys)) if keys else st.text(max_size=12)
    return st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(key, inner, max_size=6),
        max_leaves=25,
    )


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every value, down to a depth of 30 (deeper parts are mutated as a whole)."""
    out = [prefix]
    if len(prefix) >= 30:
        return out
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _keys(value: Any, depth: int = 0) -> list[str]:
    if depth > 30:
        return []
    if isinstance(value, dict):
        return [k for key, v in value.items() for k in (key, *_keys(v, depth + 1))]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v, depth + 1)]
    return []


@st.composite
def mutated_json(draw: st.DrawFn, seeds: Sequence[Any], max_ops: int = 4) -> Any:
    """A JSON seed with values at random paths replaced by wrong shapes, wrapped or deleted."""
    value = copy.deepcopy(draw(st.sampled_from(seeds)))
    keys = sorted({k for seed in seeds for k in _keys(seed)})
    for _ in range(draw(st.integers(1, max_ops))):
        path = draw(st.sampled_from(_paths(value)))
        op = draw(st.sampled_from(("replace", "replace", "wrap", "delete", "deep")))
        new: Any
        if op == "delete" and path:
            parent = _get(value, path[:-1])
            del parent[path[-1]]
            continue
        old = _get(value, path)
        if op == "wrap":
            new = draw(st.sampled_from(([old], {"value": old}, [old, old], _SHORT.repr(old))))
        elif op == "deep":
            new = draw(deep_nesting())
        else:
            new = draw(json_values(keys))
        if not path:
            value = new
        else:
            _get(value, path[:-1])[path[-1]] = new
    return value


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def deep_nesting() -> st.SearchStrategy[Any]:
    """Lists or objects nested deeper than any parser's recursion can follow."""
    depth = st.integers(50, 20_000)
    return st.one_of(
        depth.map(lambda n: _nest([], n)),
        depth.map(lambda n: _nest({}, n)),
    )


def _nest(leaf: Any, depth: int) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value] if isinstance(leaf, list) else {"metadata": value}
    return value


@st.composite
def encode_json(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> bytes:
    """A JSON value as a file: plain, with a BOM, gzipped, truncated, or deeply nested raw."""
    how = draw(st.sampled_from(("plain", "bom", "gzip", "cut", "raw_deep", "bad_gzip")))
    if how == "raw_deep":
        return draw(st.sampled_from((b"[", b"{\"rows\":", b"{\"a\":"))) * draw(
            st.integers(100, 200_000))
    try:
        data = json.dumps(draw(values), allow_nan=True).encode("utf-8")
    except (RecursionError, ValueError):
        data = b"[" * 50_000  # too deep to serialise: send something as deep
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    if how == "gzip":
        return gzip.compress(data, compresslevel=1)
    if how == "bad_gzip":
        packed = gzip.compress(data, compresslevel=1)
        return packed[: draw(st.integers(0, len(packed)))]
    if how == "cut":
        return data[: draw(st.integers(0, len(data)))]
    return data
