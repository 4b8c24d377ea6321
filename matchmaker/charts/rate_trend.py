"""A rate's trend as an SVG line chart: months on x, the rate in % on y, the target as a dashed line,
one point per month with a <title> tooltip, a legend. Pure: the caller passes the texts in the reader's
language (`TrendTexts`), so the same function draws the pages and the tests' fixtures.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Callable

LINE, TARGET = "#2b6cb0", "#c05621"


@dataclass(frozen=True)
class TrendTexts:
    title: str
    rate: str                                   # legend: the rate's line
    target: str                                 # legend: the target's line
    no_data: str                                # shown when there is no snapshot yet
    tooltip: Callable[[dict], str]              # a snapshot -> its numbers, one line each


@dataclass(frozen=True)
class Size:
    width: int = 640
    height: int = 260
    left: int = 44
    right: int = 32
    top: int = 34
    bottom: int = 30


SMALL = Size(320, 160, 36, 28, 30, 24)


def y_top(rates: list[float], target: float | None) -> float:
    """The y axis's top in %: 10 above the highest rate or target rounded up to a multiple of 10, at most 100."""
    high = max([r * 100 for r in rates] + ([target * 100] if target is not None else []) + [0.0])
    return float(min(100, math.ceil(high / 10) * 10 + 10))


def draw_rate_trend(snapshots: list[dict], target: float | None, texts: TrendTexts, size: Size = Size()) -> str:
    """`snapshots` oldest first, each {month, rate (0..1 or None), ...}; months without a rate are skipped."""
    points = [s for s in snapshots if s.get("rate") is not None]
    w, h = size.width, size.height
    plot_w, plot_h = w - size.left - size.right, h - size.top - size.bottom
    top = y_top([p["rate"] for p in points], target)

    def x(i: int) -> float:
        return size.left + (plot_w / 2 if len(points) == 1 else plot_w * i / (len(points) - 1))

    def y(rate: float) -> float:
        return size.top + plot_h * (1 - min(rate * 100, top) / top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
             f'role="img" aria-label="{escape(texts.title)}" class="rate-trend" font-family="sans-serif" '
             f'font-size="11">', f"<title>{escape(texts.title)}</title>", _legend(texts, target, size)]
    for step in range(0, int(top) + 1, 10 if top <= 50 else 20):
        yy = y(step / 100)
        parts.append(f'<line x1="{size.left}" y1="{yy:.1f}" x2="{w - size.right}" y2="{yy:.1f}" stroke="#e2e8f0"/>')
        parts.append(f'<text x="{size.left - 4}" y="{yy + 4:.1f}" text-anchor="end" fill="#4a5568">{step}%</text>')
    if target is not None:
        ty = y(target)
        parts.append(f'<line class="target" x1="{size.left}" y1="{ty:.1f}" x2="{w - size.right}" y2="{ty:.1f}" '
                     f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4">'
                     f'<title>{escape(texts.target)} {round(target * 100, 1):g}%</title></line>')
    if not points:
        parts.append(f'<text x="{w / 2:.0f}" y="{size.top + plot_h / 2:.0f}" text-anchor="middle" fill="#4a5568">'
                     f'{escape(texts.no_data)}</text>')
    else:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(p['rate']):.1f}" for i, p in enumerate(points))
        parts.append(f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
        every = max(1, -(-len(points) * 52 // plot_w))   # label every n-th month so labels do not overlap
        for i, p in enumerate(points):
            parts.append(f'<circle class="point" cx="{x(i):.1f}" cy="{y(p["rate"]):.1f}" r="4" fill="{LINE}">'
                         f'<title>{escape(texts.tooltip(p))}</title></circle>')
            if i % every == 0 or i == len(points) - 1:
                parts.append(f'<text x="{x(i):.1f}" y="{h - size.bottom + 16}" text-anchor="middle" '
                             f'fill="#4a5568">{escape(p["month"])}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(texts: TrendTexts, target: float | None, size: Size) -> str:
    x = size.left
    out = [f'<g class="legend" transform="translate({x},12)">',
           f'<line x1="0" y1="0" x2="18" y2="0" stroke="{LINE}" stroke-width="2"/>',
           f'<text x="22" y="4">{escape(texts.rate)}</text>']
    if target is not None:
        offset = 30 + 7 * len(texts.rate) + (5 * sum(1 for ch in texts.rate if ord(ch) > 0x2e80))
        out += [f'<line x1="{offset}" y1="0" x2="{offset + 18}" y2="0" stroke="{TARGET}" stroke-width="1.5" '
                f'stroke-dasharray="6 4"/>',
                f'<text x="{offset + 22}" y="4">{escape(texts.target)} {round(target * 100, 1):g}%</text>']
    out.append("</g>")
    return "".join(out)
