"""PACE pages that must be refused, made from our fixtures at test time (so each damage is
written down once, as code, next to what it breaks): a page cut in transit, a page whose text
stops before its operative part, and a page whose type line and title were merged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pace"


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def truncated() -> bytes:
    """`res_2322_current_later.html` cut in transit inside paragraph 10.2: no closing tags."""
    html = _read("res_2322_current_later.html")
    cut = html.index("the cases of all other persons whose detention")
    return html[:cut].encode()


def cut_before_operative() -> bytes:
    """`res_2322_current_early.html` whose text stops after paragraph 9, markup closed (a partly
    loaded page saved by a browser): no operative paragraph."""
    html = _read("res_2322_current_early.html")
    start = html.index("<p>10. The Assembly therefore calls on")
    end = html.index("</p>", html.index("<p>15. ")) + len("</p>\n")
    return (html[:start] + html[end:]).encode()


def title_edited() -> bytes:
    """`res_2322_current_early.html` with type line and title merged into one heading."""
    html = _read("res_2322_current_early.html")
    title = '<h1 class="document-title">Reported cases of political prisoners in Azerbaijan</h1>\n'
    reference = '<div class="document-reference">Resolution 2322 (2020)</div>\n'
    merged = ('<h1 class="document-title">Resolution 2322 (2020) \u2013 Reported cases of political '
              'prisoners in Azerbaijan</h1>\n')
    assert title + reference in html, "the fixture's heading changed: update this damage"
    return html.replace(title + reference, merged).encode()


DAMAGED: dict[str, Callable[[], bytes]] = {
    "res_2322_truncated.html": truncated,
    "res_2322_cut_before_operative.html": cut_before_operative,
    "res_2322_title_edited.html": title_edited,
}
