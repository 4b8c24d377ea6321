"""Vet an XLSX container before any XML parser sees it (zip bombs, XXE)."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from ..errors import N_
from .errors import FileFormatError

__all__ = ["ZipLimits", "check_xlsx_container"]

_XML_SUFFIXES = (".xml", ".rels", ".vml")
# XML is case-sensitive, but a lenient parser might not be: match lower-cased.
_FORBIDDEN = (b"<!doctype", b"<!entity")
_CHUNK = 64 * 1024
_OVERLAP = max(len(p) for p in _FORBIDDEN) - 1
_NOT_XLSX = N_("file is not a valid XLSX workbook: open it in Excel and save it as 'Excel Workbook (*.xlsx)'")
_TOO_MANY_PARTS = N_("XLSX file rejected: it holds %(parts)s parts (at most %(max)s allowed)")
_TOO_BIG = N_("XLSX file rejected: it unpacks to %(mb)s MB (at most %(max)s MB): split it")
_BOMB = N_("XLSX file rejected: part '%(part)s' is compressed %(ratio)s:1, which looks like a zip bomb")
_DTD = N_("XLSX file rejected: part '%(part)s' contains a DOCTYPE or ENTITY declaration or is not UTF-8; "
          "save the file again from Excel")


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Bounds on the zip container; declared sizes are binding because zipfile enforces them."""

    max_uncompressed: int = 200 * 1024 * 1024
    max_ratio: float = 100.0
    max_members: int = 1000
    # Small members compress extremely well yet cannot be bombs; the total cap covers them.
    ratio_floor: int = 1024 * 1024


def check_xlsx_container(data: bytes, limits: ZipLimits = ZipLimits()) -> None:
    """Raise :class:`FileFormatError` unless *data* is a zip that is safe to hand to openpyxl."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileFormatError(_NOT_XLSX) from exc
    with archive:
        members = archive.infolist()
        _check_sizes(members, limits)
        for info in members:
            if info.filename.lower().endswith(_XML_SUFFIXES):
                _scan_xml(archive, info)


def _check_sizes(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(members) > limits.max_members:
        raise FileFormatError(_TOO_MANY_PARTS % {"parts": len(members), "max": limits.max_members})
    total = sum(info.file_size for info in members)
    if total > limits.max_uncompressed:
        raise FileFormatError(_TOO_BIG % {"mb": total // 2**20, "max": limits.max_uncompressed // 2**20})
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise FileFormatError(_BOMB % {"part": info.filename, "ratio": f"{ratio:.0f}"})


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Stream one XML part looking for DTDs; chunks overlap so no marker is split."""
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                window = (tail + chunk).lower()
                # UTF-8 never contains NUL: this also bars UTF-16/32 parts hiding a DTD.
                if b"\x00" in chunk or any(p in window for p in _FORBIDDEN):
                    raise FileFormatError(_DTD % {"part": info.filename})
                tail = window[-_OVERLAP:]
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
            EOFError) as exc:  # corrupt, encrypted or exotic members
        raise FileFormatError(_NOT_XLSX) from exc
