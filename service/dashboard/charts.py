"""Inline SVG charts drawn on the server: no script, no external file, and readable without
colour (every chart has an accessible name with its numbers, and the page prints them too).

Colours come from CSS classes (dashboard.css), never from `style` attributes, so the strict
CSP holds; every label is escaped here because these strings bypass Jinja's autoescape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Segment:
    label: str
    value: int
    css: str  # a class from dashboard.css: st-acc, st-rej, st-impl, st-partimpl, st-pend


@dataclass(frozen=True)
class TrendPoint:
    label: str  # "Cycle 2 (2013)"
    accepted: float | None  # share 0..1, None when the cycle has no recommendations
    implemented: float | None


def _pct(x: float) -> str:
    return f"{round(100 * x)} %"


def stacked_bar(segments: Sequence[Segment], *, name: str) -> Markup:
    """A 100 % bar of the segments' shares; empty segments are left out."""
    total = sum(s.value for s in segments)
    parts = [s for s in segments if s.value > 0]
    summary = ", ".join(f"{s.label} {s.value} ({_pct(s.value / total)})" for s in parts) if total \
        else "no recommendations"
    out = [(f'<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
            f'aria-label="{escape(name)}: {escape(summary)}" focusable="false">')]
    x = 0.0
    for s in parts:
        width = 100 * s.value / total
        out.append(f'<rect class="fill-{escape(s.css)}" x="{x:.3f}" y="0" width="{width:.3f}" '
                   f'height="10"><title>{escape(s.label)}: {s.value}</title></rect>')
        x += width
    if not parts:
        out.append('<rect class="fill-empty" x="0" y="0" width="100" height="10"/>')
    out.append("</svg>")
    return Markup("".join(out))


def hbar(value: int, maximum: int) -> Markup:
    """A small bar for a list row whose number is printed beside it (so hidden from AT)."""
    width = 100 * value / maximum if maximum else 0
    return Markup(f'<svg class="hbar" viewBox="0 0 100 6" preserveAspectRatio="none" '
                  f'aria-hidden="true" focusable="false"><rect class="fill-bar" x="0" y="0" '
                  f'width="{width:.2f}" height="6"/></svg>')


W, H = 360, 190
LEFT, RIGHT, TOP, BOTTOM = 46, 40, 16, 46


def _xy(i: int, n: int, share: float) -> tuple[float, float]:
    span = W - LEFT - RIGHT
    x = LEFT + (span / 2 if n == 1 else span * i / (n - 1))
    y = TOP + (H - TOP - BOTTOM) * (1 - share)
    return x, y


def _series(points: Sequence[TrendPoint], attr: str, css: str) -> list[str]:
    n = len(points)
    coords = [(i, getattr(p, attr)) for i, p in enumerate(points) if getattr(p, attr) is not None]
    out = []
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_xy(i, n, s) for i, s in coords))
        out.append(f'<polyline class="line {css}" points="{path}"/>')
    for i, share in coords:
        x, y = _xy(i, n, share)
        out.append(f'<circle class="dot {css}" cx="{x:.1f}" cy="{y:.1f}" r="3.5"/>')
        dy = -8 if attr == "accepted" else 15
        out.append(f'<text class="val {css}" x="{x:.1f}" y="{y + dy:.1f}" '
                   f'text-anchor="middle">{round(100 * share)}</text>')
    return out


def trend_chart(points: Sequence[TrendPoint], *, name: str) -> Markup:
    """Share accepted (solid) and share implemented (dashed) across review cycles."""
    summary = "; ".join(
        f"{p.label}: accepted {_pct(p.accepted) if p.accepted is not None else 'n/a'}, "
        f"implemented {_pct(p.implemented) if p.implemented is not None else 'n/a'}"
        for p in points)
    out = [(f'<svg class="trend" viewBox="0 0 {W} {H}" role="img" focusable="false" '
            f'aria-label="{escape(name)}. {escape(summary)}">')]
    for tick in (0, 25, 50, 75, 100):
        y = TOP + (H - TOP - BOTTOM) * (1 - tick / 100)
        out.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick} %</text>')
    for i, p in enumerate(points):
        x, _ = _xy(i, len(points), 0)
        out.append(f'<text class="axis" x="{x:.1f}" y="{H - 8}" '
                   f'text-anchor="middle">{escape(p.label)}</text>')
    out += _series(points, "accepted", "s-acc")
    out += _series(points, "implemented", "s-impl")
    out.append("</svg>")
    return Markup("".join(out))
