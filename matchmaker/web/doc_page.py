"""A repository document as a page: the small Markdown subset docs/ use, rendered to safe HTML,
in the reader's language when a translation lies beside it (localized).

Headings, paragraphs, bullet lists, pipe tables, inline code, bold and links; everything
else is escaped text. No library: the documents are ours and the subset is small.
"""
from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

__all__ = ["localized", "render_markdown"]

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def localized(path: Path, language: str | None) -> Path:
    """*path*'s translation beside it (DATA-FORMAT.zh.md for DATA-FORMAT.md) if there is one, else *path*."""
    if not language or not _LANGUAGE.fullmatch(language):  # a language code only: never a path
        return path
    translation = path.with_suffix(f".{language}{path.suffix}")
    return translation if translation.is_file() else path


def render_markdown(text: str) -> Markup:
    """HTML of *text*; every character of the source is escaped before markup is added."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
        elif line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")), 6)
            out.append(f"<h{level}>{_inline(line[level:].strip())}</h{level}>")
            i += 1
        elif line.lstrip().startswith("|"):
            block, i = _take(lines, i, lambda s: s.lstrip().startswith("|"))
            out.append(_table(block))
        elif line.lstrip().startswith(("- ", "* ")):
            items: list[str] = []
            while i < len(lines) and lines[i].strip():
                stripped = lines[i].strip()
                if stripped.startswith(("- ", "* ")):
                    items.append(stripped[2:])
                elif items:
                    items[-1] += " " + stripped
                i += 1
            out.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
        else:
            block, i = _take(lines, i, lambda s: bool(s.strip()) and not s.startswith("#")
                             and not s.lstrip().startswith(("|", "- ", "* ")))
            out.append(f"<p>{_inline(' '.join(s.strip() for s in block))}</p>")
    return Markup("\n".join(out))


def _take(lines: list[str], i: int, keep) -> tuple[list[str], int]:
    block = []
    while i < len(lines) and keep(lines[i]):
        block.append(lines[i])
        i += 1
    return block, i


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _table(rows: list[str]) -> str:
    body = [r for r in rows if not re.fullmatch(r"[\s|:-]+", r)]
    if not body:
        return ""
    head, *rest = body
    header = "".join(f"<th>{_inline(c)}</th>" for c in _cells(head))
    labels = _cells(head)
    lines = []
    for row in rest:
        cells = "".join(f'<td data-label="{escape(labels[n]) if n < len(labels) else ""}">{_inline(c)}</td>'
                        for n, c in enumerate(_cells(row)))
        lines.append(f"<tr>{cells}</tr>")
    return f'<table class="responsive"><thead><tr>{header}</tr></thead><tbody>{"".join(lines)}</tbody></table>'


def _inline(text: str) -> str:
    html = str(escape(text))
    html = _CODE.sub(lambda m: f"<code>{m[1]}</code>", html)
    html = _BOLD.sub(lambda m: f"<strong>{m[1]}</strong>", html)
    return _LINK.sub(_link, html)


def _link(match: re.Match) -> str:
    target = match[2]
    if not re.match(r"(https?://|/|#)", target):  # a path inside the repository: no page serves it
        return match[1]
    return f'<a href="{target}">{match[1]}</a>'
