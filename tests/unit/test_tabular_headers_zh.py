"""Chinese column headers (tabular.columns.HEADER_LABELS) are matched like English names."""
from __future__ import annotations

import pytest

from matchmaker.tabular import COLUMNS, FileFormatError, parse_rows, read_table
from matchmaker.tabular.columns import HEADER_LABELS, header_label, match_header


def test_every_column_has_a_chinese_label_and_no_label_names_two_columns() -> None:
    for kind, columns in COLUMNS.items():
        assert set(HEADER_LABELS[kind]) == {c.name for c in columns}, kind
        labels = [label for names in HEADER_LABELS[kind].values() for label in names]
        assert len(labels) == len(set(labels)), kind


@pytest.mark.parametrize("kind, header, expected", [
    ("supply", ["产品名称", "企业编号", "编号", "产能"], {"name", "enterprise_id", "id", "capacity"}),
    ("demand", [" 名称 ", "统一社会信用代码", "ID", "数量", "单价", "类别"],
     {"name", "enterprise_id", "id", "quantity", "unit_price", "category"}),
    ("enterprises", ["统一社会信用代码", "企业名称", "角色", "所在地区"], {"id", "name", "role", "region"}),
    ("supply", ["名称 name", "企业编号　enterprise_id", "编号\nid"], {"name", "enterprise_id", "id"}),
])
def test_chinese_and_bilingual_headers_map_to_columns(kind, header, expected) -> None:
    found, warnings = match_header(kind, header)
    assert set(found) == expected and warnings == []


def test_template_headers_are_accepted_back() -> None:
    for kind, columns in COLUMNS.items():
        found, warnings = match_header(kind, [header_label(kind, c.name) for c in columns])
        assert set(found) == {c.name for c in columns} and warnings == []


def test_a_chinese_and_an_english_header_for_one_column_are_duplicates() -> None:
    with pytest.raises(FileFormatError) as exc:
        match_header("supply", ["id", "enterprise_id", "name", "名称"])
    assert "名称" in exc.value.message


def test_a_chinese_file_parses() -> None:
    content = "编号,企业编号,产品名称,产能,单位\r\nS1,E1,钛合金锻件,\"3,000\",件\r\n".encode("utf-8-sig")
    result = parse_rows("supply", read_table(content, "供给.csv"))
    assert result.errors == [] and result.valid[0][1]["capacity"] == 3000 and result.valid[0][1]["name"] == "钛合金锻件"
