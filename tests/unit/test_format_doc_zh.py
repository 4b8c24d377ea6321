"""docs/DATA-FORMAT.zh.md stays a translation of docs/DATA-FORMAT.md: same structure, same codes.

The English file is the contract; these checks fail as soon as one is edited without the other
(a heading, a table row or a backticked column name, code or example added, dropped or changed).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from matchmaker.web.doc_page import localized

DOCS = Path(__file__).resolve().parents[2] / "docs"
EN = (DOCS / "DATA-FORMAT.md").read_text("utf-8")
ZH = (DOCS / "DATA-FORMAT.zh.md").read_text("utf-8")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def heading_levels(text: str) -> list[int]:
    return [len(line) - len(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")]


def headings(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]


def table_first_cells(text: str) -> list[str]:
    """The first cell of every table body row, in order (header and separator rows left out)."""
    cells, previous = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        is_row = stripped.startswith("|")
        if is_row and previous.startswith("|") and not re.fullmatch(r"[\s|:-]+", stripped):
            cells.append(stripped.strip("|").split("|")[0].strip())
        previous = stripped if is_row else ""
    return cells


def codes(text: str) -> set[str]:
    """Everything in backticks; a code may wrap onto the next line, as Markdown allows."""
    return set(re.findall(r"`([^`]+)`", re.sub(r"\s+", " ", text)))


def test_same_headings_at_the_same_levels() -> None:
    assert heading_levels(ZH) == heading_levels(EN)


def test_every_heading_is_translated() -> None:
    assert all(_HAN.search(h) for h in headings(ZH)), headings(ZH)


def test_same_tables_with_the_same_rows() -> None:
    assert table_first_cells(EN) and table_first_cells(ZH) == table_first_cells(EN)


def test_same_backticked_codes() -> None:
    en, zh = codes(EN), codes(ZH)
    assert en and zh == en, {"missing in zh": en - zh, "only in zh": zh - en}


def list_items(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


def test_same_number_of_list_items() -> None:
    assert len(list_items(ZH)) == len(list_items(EN))


@pytest.mark.parametrize("kind", ["enterprises", "supply", "demand"])
def test_the_chinese_column_labels_are_copied_verbatim(kind: str) -> None:
    """The header labels are the importer's (HEADER_LABELS): the translation lists them unchanged."""
    en = next(line for line in list_items(EN) if line.startswith(f"- {kind}: "))
    zh = next(line for line in list_items(ZH) if line.startswith(f"- {kind}（"))
    assert zh.split("：", 1)[1] == en.split(": ", 1)[1]


def test_the_translation_names_its_reference() -> None:
    note = next(line for line in ZH.splitlines()[1:] if line.strip())
    assert "docs/DATA-FORMAT.md" in note and "译本" in note and "英文原文为准" in note


# -- localized(): which file a page shows ---------------------------------------------------------

@pytest.fixture
def doc(tmp_path: Path) -> Path:
    (tmp_path / "A.md").write_text("# A", "utf-8")
    (tmp_path / "A.zh.md").write_text("# 甲", "utf-8")
    return tmp_path / "A.md"


def test_the_translation_is_chosen_for_its_locale(doc: Path) -> None:
    assert localized(doc, "zh") == doc.with_name("A.zh.md")


@pytest.mark.parametrize("locale", ["en", "fr", "", "zh/../A", "../zh", "ZH", None])
def test_the_original_for_other_or_malformed_locales(doc: Path, locale) -> None:
    assert localized(doc, locale) == doc


def test_the_original_when_there_is_no_translation(doc: Path) -> None:
    doc.with_name("A.zh.md").unlink()
    assert localized(doc, "zh") == doc


def test_the_real_format_doc_has_its_chinese_translation() -> None:
    assert localized(DOCS / "DATA-FORMAT.md", "zh") == DOCS / "DATA-FORMAT.zh.md"
