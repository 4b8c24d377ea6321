"""The funnel as an SVG picture drawn on the server: one centred bar per stage. Pure.

The caller passes the rows already labelled in the page's language, so this module knows
nothing of translation; every text is escaped. The picture scales to its container
(viewBox, width 100%), so it reads at phone width.
"""
from __future__ import annotations

from html import escape

__all__ = ["funnel_svg"]

WIDTH, ROW, GAP, LABEL = 640, 34, 8, 150
COLOURS = ("#1f5f99", "#2b74b5", "#3f88c5", "#5c9fd3", "#7fb5de", "#2e8b57")


def funnel_svg(rows: list[dict], title: str) -> str:
    """An SVG funnel of rows ``{"label", "count", "note"}`` (first row the widest stage).

    Bar widths are proportional to `count` (relative to the largest); `note` (e.g. the demand
    value) is written after the count.

    >>> svg = funnel_svg([{"label": "Invited", "count": 4, "note": ""}, {"label": "Accepted", "count": 2, "note": ""}],
    ...                  "Funnel")
    >>> svg.startswith("<svg") and "Invited" in svg and 'width="480.0"' in svg
    True
    """
    top = max((r["count"] for r in rows), default=0) or 1
    span = WIDTH - LABEL - 10
    height = len(rows) * (ROW + GAP) + GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
             f'role="img" aria-label="{escape(title)}" class="funnel-chart">', f"<title>{escape(title)}</title>"]
    for n, row in enumerate(rows):
        y = GAP + n * (ROW + GAP)
        width = round(span * row["count"] / top, 1)
        x = LABEL + (span - width) / 2
        colour = COLOURS[min(n, len(COLOURS) - 1)]
        text = f'{row["count"]:,}' + (f' · {row["note"]}' if row.get("note") else "")
        parts += [
            f'<text x="{LABEL - 8}" y="{y + ROW / 2 + 5}" text-anchor="end" font-size="14">'
            f'{escape(row["label"])}</text>',
            f'<rect x="{x:.1f}" y="{y}" width="{width}" height="{ROW}" rx="3" fill="{colour}"/>',
            f'<text x="{LABEL + span / 2}" y="{y + ROW / 2 + 5}" text-anchor="middle" font-size="13" '
            f'fill="{"#fff" if row["count"] * 2 >= top else "#222"}">{escape(text)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)
