"""An import template per file kind: bilingual headers, one example row, and the code lists."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from .cells import neutralise
from .columns import columns_for, header_label
from .writer import _xlsx_value

__all__ = ["CodeList", "EXAMPLES", "write_template"]

# (list name as the codes sheet shows it, [(code, Chinese label, English label), ...])
CodeList = tuple[str, Sequence[tuple[str, str, str]]]

# The example row of each kind; enterprise ids, chains and categories are filled in by the caller.
EXAMPLES: dict[str, dict[str, object]] = {
    "enterprises": {"id": "91510116MA6XXXXXX1", "name": "成都示例精密制造有限公司",
                    "name_en": "Chengdu Example Precision Co., Ltd.", "role": "sme", "tier": "srsn",
                    "region": "成都市双流区", "certifications": ["ISO9001", "IATF16949@2027-06-30"],
                    "description": "铝合金压铸件、精密机加工"},
    "supply": {"id": None, "name": "铝合金压铸壳体", "description": "A380 铝合金，年产 5 万件，可来图加工",
               "capacity": 50000, "unit": "件", "certifications": ["IATF16949"], "status": "published"},
    "demand": {"id": None, "name": "电机控制器壳体", "description": "铝合金压铸，需 IATF16949",
               "quantity": 20000, "unit": "件", "unit_price": 180, "required_certifications": ["IATF16949"],
               "prefer_local": True, "deadline": "2027-06-30", "status": "published"},
}


def write_template(kind: str, example: Mapping[str, object], code_lists: Sequence[CodeList]) -> bytes:
    """XLSX whose first sheet the importer takes back unchanged: headers '名称 name', one example row.

    The second sheet lists the codes the columns accept, with their Chinese and English labels.
    """
    columns = columns_for(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append([header_label(kind, c.name) for c in columns])
    sheet.append([_xlsx_value(c, example.get(c.name)) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        width = max(len(header_label(kind, column.name)) + 4, 14)
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "A2"
    codes = workbook.create_sheet("代码 codes")
    codes.append(["列表 list", "代码 code", "中文", "English"])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    for name, entries in code_lists:
        for code, zh, en in entries:  # names officials typed: never let a spreadsheet run them
            codes.append([neutralise(name), neutralise(code), neutralise(zh), neutralise(en)])
    for letter, width in zip("ABCD", (24, 28, 30, 40)):
        codes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
