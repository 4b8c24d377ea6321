"""Hostile XLSX containers are refused before openpyxl parses them."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from matchmaker.tabular import FileFormatError, read_table
from matchmaker.tabular.xlsx_guard import ZipLimits, check_xlsx_container

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    b'uniqueCount="1"><si><t>&lol2;</t></si></sst>'
)


def workbook_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["id", "name"])
    workbook.active.append(["E1", "成都"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """Copy the package with member *name* set to *content* (added if absent)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info.filename, src.read(info))
        dst.writestr(name, content)
    return out.getvalue()


def test_a_plain_workbook_passes() -> None:
    check_xlsx_container(workbook_bytes())


def test_zip_bomb_is_rejected() -> None:
    data = replace_member(workbook_bytes(), "xl/worksheets/sheet1.xml", bytes(50 * 2**20))
    with pytest.raises(FileFormatError, match="compressed .*:1, which looks like a zip bomb"):
        read_table(data, "bomb.xlsx")


def test_total_uncompressed_size_is_limited() -> None:
    data = workbook_bytes()
    with pytest.raises(FileFormatError, match="unpacks to .* MB"):
        read_table(data, "f.xlsx", zip_limits=ZipLimits(max_uncompressed=1000))


def test_too_many_members_are_rejected() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(30):
            archive.writestr(f"junk/{i}.bin", b"x")
    with pytest.raises(FileFormatError, match="holds 30 parts"):
        read_table(out.getvalue(), "f.xlsx", zip_limits=ZipLimits(max_members=20))


@pytest.mark.parametrize("member", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
                                    "xl/_rels/workbook.xml.rels"])
def test_dtd_in_any_xml_part_is_rejected(member: str) -> None:
    data = replace_member(workbook_bytes(), member, BILLION_LAUGHS)
    with pytest.raises(FileFormatError, match=f"'{member}' contains a DOCTYPE or ENTITY"):
        read_table(data, "laughs.xlsx")


def test_entity_split_across_read_chunks_is_found() -> None:
    content = b"<sst>" + b" " * (64 * 1024 - 9) + b"<!ENTITY x 'y'></sst>"
    data = replace_member(workbook_bytes(), "xl/sharedStrings.xml", content)
    with pytest.raises(FileFormatError, match="DOCTYPE or ENTITY"):
        check_xlsx_container(data)


def test_utf16_xml_part_cannot_hide_a_dtd() -> None:
    data = replace_member(workbook_bytes(), "xl/sharedStrings.xml",
                          BILLION_LAUGHS.decode().replace('"1.0"?', '"1.0" encoding="UTF-16"?')
                          .encode("utf-16"))
    with pytest.raises(FileFormatError, match="not UTF-8"):
        check_xlsx_container(data)


def test_zip_that_is_not_a_workbook_is_rejected() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(FileFormatError, match="could not open the XLSX workbook"):
        read_table(out.getvalue(), "f.xlsx")


def test_understated_member_size_cannot_smuggle_a_bomb() -> None:
    """zipfile stops at the declared size and fails the CRC, so declared sizes bind."""
    data = bytearray(replace_member(workbook_bytes(), "xl/worksheets/sheet1.xml",
                                    b"<a>" + bytes(50 * 2**20)))
    name = b"xl/worksheets/sheet1.xml"
    entry = data.find(b"PK\x01\x02")  # first central directory entry
    while data[entry + 46:entry + 46 + len(name)] != name:
        entry = data.find(b"PK\x01\x02", entry + 4)
    data[entry + 24:entry + 28] = (100).to_bytes(4, "little")  # uncompressed size
    with pytest.raises(FileFormatError, match="not a valid XLSX workbook"):
        read_table(bytes(data), "f.xlsx")
