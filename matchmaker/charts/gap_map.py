"""The gap map of a chain as SVG: segments as columns (upstream to downstream), categories as nodes
coloured by local coverage and sized by the demand value at stake, FEEDS as arrows.

Pure: the caller passes the texts in the reader's language (`GapMapTexts`) and how to link a
category, so the same function draws the page, the SVG download and the tests' fixtures.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Callable

from ..analytics.gaps import COVERED, GAP, STATES, WEAK, GapMap, GapNode

COLUMN_W, NODE_W, NODE_H, ROW_GAP = 290, 230, 34, 10
PAD, LEGEND_H, HEADER_H = 16, 34, 30
COLOURS = {GAP: ("#fde2e2", "#c0392b"), WEAK: ("#fff3cd", "#b7791f"), COVERED: ("#dff5e6", "#2f855a")}
MIN_R, MAX_R = 3.0, 12.0


@dataclass(frozen=True)
class GapMapTexts:
    title: str
    states: dict[str, str]                  # state -> legend label
    size_note: str                          # what the circle's size means
    tooltip: Callable[[GapNode], str]       # the numbers of a node, one line each
    name: Callable[[dict], str]             # a node or segment dict -> its name in the reader's language


def draw_gap_map(gap_map: GapMap, texts: GapMapTexts, link: Callable[[str], str]) -> str:
    columns = _columns(gap_map)
    rows = max([len(c) for c in columns.values()] or [1])
    width = max(PAD * 2 + COLUMN_W * max(1, len(gap_map.segments)), PAD * 2 + _legend_width(texts))
    height = PAD * 2 + LEGEND_H + HEADER_H + rows * (NODE_H + ROW_GAP)
    places = _places(gap_map, columns)
    top = max([n.demand_value for n in gap_map.nodes] or [0])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(texts.title)}" class="gap-map" font-family="sans-serif" font-size="12">',
             f"<title>{escape(texts.title)}</title>", _defs(), _legend(texts, width)]
    parts += [_header(i, s, texts) for i, s in enumerate(gap_map.segments)]
    parts += [_edge(places[s], places[t]) for s, t in gap_map.edges if s in places and t in places]
    parts += [_node(n, places[n.id], top, texts, link) for n in gap_map.nodes if n.id in places]
    parts.append("</svg>")
    return "\n".join(parts)


def _columns(gap_map: GapMap) -> dict[str, list[GapNode]]:
    columns: dict[str, list[GapNode]] = {s["id"]: [] for s in gap_map.segments}
    for node in gap_map.nodes:
        if node.segment_id in columns:
            columns[node.segment_id].append(node)
    return columns


def _places(gap_map: GapMap, columns: dict[str, list[GapNode]]) -> dict[str, tuple[float, float]]:
    """Top-left corner of each node's box."""
    out = {}
    for i, segment in enumerate(gap_map.segments):
        x = PAD + i * COLUMN_W + (COLUMN_W - NODE_W) / 2
        for j, node in enumerate(columns[segment["id"]]):
            out[node.id] = (x, PAD + LEGEND_H + HEADER_H + j * (NODE_H + ROW_GAP))
    return out


def _defs() -> str:
    return ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7a8699"/></marker></defs>')


def _legend(texts: GapMapTexts, width: float) -> str:
    items, x = [], PAD
    for state in STATES:
        fill, stroke = COLOURS[state]
        label = escape(texts.states[state])
        items.append(f'<rect x="{x}" y="{PAD}" width="14" height="14" rx="3" fill="{fill}" stroke="{stroke}"/>'
                     f'<text x="{x + 20}" y="{PAD + 11}">{label}</text>')
        x += 20 + _width(texts.states[state]) + 24
    items.append(f'<circle cx="{x + 8}" cy="{PAD + 7}" r="6" fill="#5b6b82" opacity="0.55"/>'
                 f'<text x="{x + 20}" y="{PAD + 11}">{escape(texts.size_note)}</text>')
    return f'<g class="legend">{"".join(items)}</g>'


def _legend_width(texts: GapMapTexts) -> float:
    return sum(20 + _width(texts.states[state]) + 24 for state in STATES) + 20 + _width(texts.size_note)


def _header(i: int, segment: dict, texts: GapMapTexts) -> str:
    x = PAD + i * COLUMN_W + COLUMN_W / 2
    y = PAD + LEGEND_H + 14
    return (f'<text class="segment" x="{x}" y="{y}" text-anchor="middle" font-weight="bold">'
            f'{escape(texts.name(segment))}</text>')


def _edge(source: tuple[float, float], target: tuple[float, float]) -> str:
    x1, y1 = source[0] + NODE_W, source[1] + NODE_H / 2
    if target[0] > source[0]:
        x2, y2 = target[0], target[1] + NODE_H / 2
        bend = (x2 - x1) / 2
        d = f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    else:  # same column or backwards: loop out on the right and come back in from the right
        x2, y2 = target[0] + NODE_W, target[1] + NODE_H / 2
        d = f"M{x1:.0f},{y1:.0f} C{x1 + 30:.0f},{y1:.0f} {x2 + 30:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    return f'<path class="feed" d="{d}" fill="none" stroke="#7a8699" stroke-width="1.2" marker-end="url(#arrow)"/>'


def _node(node: GapNode, place: tuple[float, float], top: float, texts: GapMapTexts,
          link: Callable[[str], str]) -> str:
    x, y = place
    fill, stroke = COLOURS[node.state]
    radius = MIN_R + (MAX_R - MIN_R) * math.sqrt(node.demand_value / top) if top > 0 and node.demand_value > 0 \
        else 0.0
    name = texts.name(node.as_dict())
    href = escape(link(node.id))
    circle = (f'<circle cx="{x + 16}" cy="{y + NODE_H / 2}" r="{radius:.1f}" fill="{stroke}" opacity="0.55"/>'
              if radius else "")
    return (f'<a href="{href}" xlink:href="{href}" class="node state-{node.state}" data-id="{escape(node.id)}">'
            f'<title>{escape(texts.tooltip(node))}</title>'
            f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="{fill}" stroke="{stroke}"/>'
            f'{circle}<text x="{x + 32}" y="{y + NODE_H / 2 + 4}">{escape(_fit(name))}</text>'
            f'<text x="{x + NODE_W - 8}" y="{y + NODE_H / 2 + 4}" text-anchor="end" font-weight="bold" '
            f'fill="{stroke}">{node.local_suppliers}</text></a>')


def _char_width(ch: str) -> float:
    """At 12 px: a CJK character takes about 12 px, a Latin one about 7."""
    return 12 if ord(ch) > 0x2E80 else 7


def _width(text: str) -> float:
    return sum(_char_width(ch) for ch in text)


def _fit(name: str, room: float = NODE_W - 56) -> str:
    """The name cut to the box."""
    used, out = 0.0, []
    for ch in name:
        used += _char_width(ch)
        if used > room:
            return "".join(out).rstrip() + "…"
        out.append(ch)
    return name
