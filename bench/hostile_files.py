"""Hostile upload files, built in memory: the shapes an attacker sends to the importer.

Used by bench/hostile_uploads.py (time and memory) and tests/security/ (4xx, graph unchanged).
Each builder returns the file's bytes; nothing touches the disk.
"""
from __future__ import annotations

import io
import zipfile

__all__ = ["bad_csv", "commas_csv", "xfd_xlsx", "zip_bomb_xlsx", "entity_xlsx", "renamed_xlsx", "binary_csv",
           "sheet_xlsx", "FAR_COLUMN"]

FAR_COLUMN = "XFD"  # the last column a worksheet has (16,384)
SUPPLY_HEADER = "id,enterprise_id,name,capacity"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="supply" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def bad_csv(rows: int = 1_000_000) -> bytes:
    """A supply CSV of *rows* rows, each rejected (no enterprise_id, capacity not a number): ~10 MB."""
    body = "".join(f",,x{i % 10},zz\r\n" for i in range(rows))
    return f"{SUPPLY_HEADER}\r\n{body}".encode()


def commas_csv(megabytes: int = 20) -> bytes:
    """A supply header, then one line of *megabytes* million commas (that many empty cells)."""
    return f"{SUPPLY_HEADER}\r\n".encode() + b"," * (megabytes * 1_000_000) + b"\r\n"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xlsx(rows_xml: str, dimension: str | None = None, prologue: str = "") -> bytes:
    """A minimal workbook whose first sheet's <sheetData> is *rows_xml* (inline strings, no styles)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prologue}'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"{dim}<sheetData>{rows_xml}</sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def _header_row() -> str:
    cells = "".join(_cell(f"{col}1", name) for col, name in zip("ABCD", SUPPLY_HEADER.split(",")))
    return f'<row r="1">{cells}</row>'


def xfd_xlsx(rows: int = 80_000, declared: bool = True) -> bytes:
    """A supply header, then *rows* rows holding one cell each in column XFD (~415 KB for 80,000).

    openpyxl pads every such row to 16,384 cells; with `declared` the sheet's <dimension> says so too.
    """
    body = "".join(f'<row r="{r}">{_cell(f"{FAR_COLUMN}{r}", "x")}</row>' for r in range(2, rows + 2))
    return sheet_xlsx(_header_row() + body, f"A1:{FAR_COLUMN}{rows + 1}" if declared else None)


def entity_xlsx() -> bytes:
    """A sheet with a DOCTYPE declaring nested entities (billion laughs; also the XXE vector)."""
    lol = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    row = f'<row r="2">{_cell("A2", "S1")}{_cell("B2", "E1")}{_cell("C2", "&lol2;")}</row>'
    return sheet_xlsx(_header_row() + row, prologue=lol)


def zip_bomb_xlsx(megabytes: int = 5) -> bytes:
    """A workbook whose sheet inflates to *megabytes* MB of blank space (a few hundred KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def renamed_xlsx() -> bytes:
    """Plain text that only claims to be a workbook by its name (or a PK header without a zip)."""
    return b"PK\x03\x04 this is not a zip archive at all" + b"\x00" * 64


def binary_csv() -> bytes:
    """Binary noise (a PNG header and NUL bytes) uploaded under a .csv name."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
