"""The Markdown subset of docs/ as HTML (web.doc_page)."""
from __future__ import annotations

from pathlib import Path

from matchmaker.web.doc_page import render_markdown


def test_headings_lists_tables_and_code() -> None:
    html = render_markdown("# Title\n\nSome `code` and **bold**.\n\n- one\n  more\n- two\n\n"
                           "| a | b |\n| --- | --- |\n| `x` | y |\n")
    assert "<h1>Title</h1>" in html and "<code>code</code>" in html and "<strong>bold</strong>" in html
    assert "<li>one more</li><li>two</li>" in html
    assert '<th>a</th>' in html and '<td data-label="b">y</td>' in html and "<code>x</code>" in html


def test_everything_is_escaped_and_only_web_links_become_links() -> None:
    html = render_markdown('<script>alert(1)</script> [x](javascript:alert(1)) [y](https://e.org/a"b) [z](docs/A.md)')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript" not in html.split("href")[0] and 'href="javascript' not in html
    assert 'href="https://e.org/a&#34;b"' in html and "<a " not in html.split("e.org")[1]


def test_the_data_format_renders() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "DATA-FORMAT.md").read_text("utf-8")
    html = render_markdown(text)
    assert html.count("<table") >= 3 and "enterprise_id" in html
