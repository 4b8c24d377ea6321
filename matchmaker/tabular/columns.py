"""The columns of each file kind, as fixed by DATA-FORMAT.md, and header matching."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from ..errors import N_
from .errors import FileFormatError

__all__ = ["Column", "COLUMNS", "HEADER_LABELS", "KINDS", "columns_for", "header_label", "match_header",
           "normalise_name"]

ColumnType = Literal["id", "text", "list", "certs", "number", "bool", "date", "enum"]


@dataclass(frozen=True)
class Column:
    """One column: its name in files, whether it is required, and how to parse it."""

    name: str
    required: bool = False
    type: ColumnType = "text"
    choices: tuple[str, ...] = ()
    default: str | bool | None = None
    # Other spellings accepted for an enum value, keyed by their normalised form.
    aliases: dict[str, str] = field(default_factory=dict, compare=False)


_TIER_LABELS = {
    "无": "none", "创新型中小企业": "innovative", "专精特新": "srsn",
    "专精特新中小企业": "srsn", "专精特新小巨人": "little_giant", "小巨人": "little_giant",
    "单项冠军": "champion", "制造业单项冠军": "champion",
}

# An item row without an id gets one generated on import (services.imports); enterprises need theirs.
COLUMNS: dict[str, list[Column]] = {
    "enterprises": [
        Column("id", True, "id"), Column("name", True), Column("name_en"),
        Column("role", True, "enum", ("leader", "sme", "other")),
        Column("tier", False, "enum",
               ("none", "innovative", "srsn", "little_giant", "champion"),
               "none", _TIER_LABELS),
        Column("region", True), Column("chains", False, "list"),
        Column("certifications", False, "certs"),
        Column("annual_procurement", False, "number"),
        Column("local_procurement", False, "number"), Column("description"),
        Column("contact_person"), Column("phone"), Column("email"), Column("website"),
    ],
    "supply": [
        Column("id", False, "id"), Column("enterprise_id", True, "id"),
        Column("name", True), Column("description"), Column("category"),
        Column("chain"), Column("capacity", False, "number"), Column("unit"),
        Column("certifications", False, "certs"),
        Column("status", False, "enum", ("published", "draft"), "published"),
    ],
    "demand": [
        Column("id", False, "id"), Column("enterprise_id", True, "id"),
        Column("name", True), Column("description"), Column("category"),
        Column("chain"), Column("quantity", False, "number"), Column("unit"),
        Column("unit_price", False, "number"),
        Column("required_certifications", False, "list"),
        Column("prefer_local", False, "bool", default=True),
        Column("current_supplier_region"), Column("deadline", False, "date"),
        Column("status", False, "enum", ("published", "draft", "closed"), "published"),
    ],
}
KINDS = tuple(COLUMNS)  # the same as matchmaker.rules.vocab.FILE_KINDS (tests/unit/test_rules.py)


# Chinese header labels accepted for each column (DATA-FORMAT.md, "Chinese column headers"); the first
# label of a column is the one templates write. Matched after the same normalisation as English names.
_ITEM_LABELS = {
    "id": ("编号", "产品编号", "物料编号", "ID"), "enterprise_id": ("企业编号", "统一社会信用代码", "企业ID"),
    "name": ("名称", "产品名称", "物料名称"), "description": ("描述", "说明", "规格说明"),
    "category": ("类别", "分类", "产品类别"), "chain": ("产业链", "链条"),
    "unit": ("单位", "计量单位"), "status": ("状态",),
}
HEADER_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "enterprises": {
        "id": ("企业编号", "统一社会信用代码", "信用代码", "编号"), "name": ("名称", "企业名称"),
        "name_en": ("英文名称",), "role": ("角色", "企业角色"), "tier": ("梯度", "企业梯度", "培育层级"),
        "region": ("地区", "所在地区", "行政区划"), "chains": ("产业链", "所属产业链"),
        "certifications": ("资质认证", "认证", "资质"), "annual_procurement": ("年采购额", "年度采购额"),
        "local_procurement": ("本地采购额", "本地配套采购额"), "description": ("描述", "简介", "企业简介"),
        "contact_person": ("联系人",), "phone": ("联系电话", "电话", "手机"), "email": ("电子邮箱", "邮箱"),
        "website": ("网站", "官网", "企业网站"),
    },
    "supply": {
        **_ITEM_LABELS, "capacity": ("产能", "年产能"), "certifications": ("资质认证", "认证", "产品认证"),
    },
    "demand": {
        **_ITEM_LABELS, "quantity": ("数量", "年需求量", "需求数量"), "unit_price": ("单价", "预期单价"),
        "required_certifications": ("要求认证", "所需认证", "资质要求"),
        "prefer_local": ("优先本地", "本地优先"), "current_supplier_region": ("现供应商地区", "当前供应商地区"),
        "deadline": ("截止日期", "需求截止日期"),
    },
}


def header_label(kind: str, column: str) -> str:
    """The header a template writes: the first Chinese label and the column name, e.g. '名称 name'."""
    return f"{HEADER_LABELS[kind][column][0]} {column}"


def _header_names(kind: str) -> dict[str, str]:
    """Normalised header text -> column name: the name, each Chinese label, and '<label> <name>'."""
    names: dict[str, str] = {}
    for column in columns_for(kind):
        names[column.name] = column.name
        for label in HEADER_LABELS[kind].get(column.name, ()):
            names.setdefault(normalise_name(label), column.name)
            names[normalise_name(f"{label} {column.name}")] = column.name
    return names


def columns_for(kind: str) -> list[Column]:
    """The columns of *kind*; a programming error (ValueError) for an unknown kind."""
    try:
        return COLUMNS[kind]
    except KeyError:
        raise ValueError(f"unknown file kind {kind!r}; expected one of {KINDS}") from None


def normalise_name(name: str) -> str:
    """Header cell as compared: NFKC, BOM and surrounding space removed, lower case."""
    return unicodedata.normalize("NFKC", name).replace("\ufeff", "").strip().casefold()


def match_header(kind: str, header: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map each known column name to the header cell naming it; warn about the rest.

    Raises :class:`FileFormatError` for duplicated or missing required columns.
    """
    known = _header_names(kind)
    found: dict[str, str] = {}
    duplicates: list[str] = []
    warnings: list[str] = []
    for cell in header:
        key = known.get(" ".join(normalise_name(cell).split()))
        if key in found:
            duplicates.append(cell.strip())
        elif key is not None:
            found[key] = cell
        else:
            warnings.append(N_("unknown column '%(column)s' ignored") % {"column": cell.strip()})
    warnings = list(dict.fromkeys(warnings))
    if duplicates:
        raise FileFormatError(N_("duplicate columns in row 1: %(columns)s")
                              % {"columns": ", ".join(f"'{d}'" for d in dict.fromkeys(duplicates))})
    missing = [c.name for c in columns_for(kind) if c.required and c.name not in found]
    if missing:
        raise FileFormatError(N_("missing required columns in row 1: %(missing)s; the file needs %(required)s")
                              % {"missing": ", ".join(missing), "required": ", ".join(_required(kind))})
    return found, warnings


def _required(kind: str) -> list[str]:
    return [c.name for c in columns_for(kind) if c.required]
