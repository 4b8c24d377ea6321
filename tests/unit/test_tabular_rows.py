"""Row validation and normalisation (matchmaker.tabular.parse_rows)."""

from __future__ import annotations

import pytest

from matchmaker.tabular import COLUMNS, FileFormatError, RowError, parse_rows, read_table

FIRM = {"id": "91510100MA6C5XXX1X", "name": "成都某某科技有限公司", "role": "sme",
        "region": "510116"}
SUPPLY = {"id": "S1", "enterprise_id": "E1", "name": "钛合金锻件"}
DEMAND = {"id": "D1", "enterprise_id": "L1", "name": "线束总成"}


def parse(kind: str, *rows: dict[str, str]):
    """Parse CSV made of *rows* (dicts sharing the first one's keys)."""
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(_quote(r.get(h, "")) for h in header) for r in rows]
    return parse_rows(kind, read_table("\r\n".join(lines).encode(), "f.csv"))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def only_record(kind: str, **cells: str) -> dict:
    base = {"enterprises": FIRM, "supply": SUPPLY, "demand": DEMAND}[kind]
    result = parse(kind, {**base, **cells})
    assert result.errors == []
    return result.valid[0][1]


def only_error(kind: str, **cells: str) -> RowError:
    base = {"enterprises": FIRM, "supply": SUPPLY, "demand": DEMAND}[kind]
    result = parse(kind, {**base, **cells})
    assert result.valid == [] and len(result.errors) == 1, result.errors
    return result.errors[0]


def test_minimal_enterprise_gets_defaults_for_every_column() -> None:
    record = only_record("enterprises")
    assert record == {**FIRM, "name_en": None, "tier": "none", "chains": [],
                      "certifications": [], "annual_procurement": None,
                      "local_procurement": None, "description": None, "contact_person": None,
                      "phone": None, "email": None, "website": None}
    assert list(record) == [c.name for c in COLUMNS["enterprises"]]


def test_defaults_for_supply_and_demand() -> None:
    assert only_record("supply")["status"] == "published"
    demand = only_record("demand")
    assert (demand["prefer_local"], demand["status"], demand["required_certifications"]) \
        == (True, "published", [])


def test_header_matching_ignores_case_space_bom_and_order() -> None:
    data = "\ufeff REGION ,Role,NAME,Id,Remarks\r\n510116,SME,甲,E1,x\r\n".encode()
    result = parse_rows("enterprises", read_table(data, "f.csv"))
    assert result.valid[0][1]["id"] == "E1" and result.valid[0][1]["role"] == "sme"
    assert result.warnings == ["unknown column 'Remarks' ignored"]


def test_missing_required_columns_are_named_together() -> None:
    with pytest.raises(FileFormatError, match="missing required columns in row 1: role, region"):
        parse_rows("enterprises", read_table(b"id,name\r\nE1,a\r\n", "f.csv"))


def test_duplicate_columns_are_an_error() -> None:
    with pytest.raises(FileFormatError, match="duplicate columns in row 1: 'ID'"):
        parse_rows("supply", read_table(b"id,enterprise_id,name,ID\r\n", "f.csv"))


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown file kind"):
        parse_rows("orders", read_table(b"id\r\n", "f.csv"))


@pytest.mark.parametrize(("column", "reason"), [
    ("id", "required: give the enterprise's id"),
    ("name", "required: give the enterprise's name"),
    ("role", "required: give the enterprise's role (leader, sme, other)"),
    ("region", "required: give the enterprise's region"),
])
def test_blank_required_cells_are_rejected(column: str, reason: str) -> None:
    assert only_error("enterprises", **{column: " \u3000 "}) == RowError(2, column, reason)


def test_blank_enterprise_id_of_an_item() -> None:
    error = only_error("supply", enterprise_id="")
    assert (error.column, error.reason) == (
        "enterprise_id", "required: give the id of the enterprise this supply item belongs to")


def test_whitespace_including_ideographic_space_is_trimmed() -> None:
    record = only_record("enterprises", name="\u3000 成都 甲 \u3000", name_en=" Acme ")
    assert (record["name"], record["name_en"]) == ("成都 甲", "Acme")


@pytest.mark.parametrize("value", ["X" * 65, "E\x011", "名称\x7f"])
def test_text_is_kept_as_written_for_the_rules_to_judge(value: str) -> None:
    # Sizes and control characters are matchmaker.rules' business, the same on every path.
    assert only_record("enterprises", id=value, name=value)["name"] == value


def test_lists_split_trim_drop_empties_and_deduplicate() -> None:
    record = only_record("enterprises", chains=" 汽车；NEV;; 汽车 ;航空 ", certifications="ISO9001")
    assert record["chains"] == ["汽车", "NEV", "航空"]
    assert record["certifications"] == ["ISO9001"]


@pytest.mark.parametrize(("text", "value"), [
    ("1,000,000", 1_000_000), ("１，５００，０００", 1_500_000), ("12.5", 12.5),
    ("0", 0), ("3.0", 3), ("1e3", 1000), ("0.000001", 1e-06),
])
def test_numbers(text: str, value: float) -> None:
    assert only_record("supply", capacity=text)["capacity"] == value


@pytest.mark.parametrize(("text", "reason"), [
    ("12abc", "not a number: '12abc' — write digits only, e.g. 1500000"),
    ("1,00", "not a number: '1,00' — write digits only, e.g. 1500000"),
    ("ten", "not a number: 'ten' — write digits only, e.g. 1500000"),
    ("1e999", "number too large: '1e999'"),
    ("nan", "not a number: 'nan' — write digits only, e.g. 1500000"),
])
def test_bad_numbers(text: str, reason: str) -> None:
    assert only_error("demand", unit_price=text) == RowError(2, "unit_price", reason)


@pytest.mark.parametrize(("text", "role"), [("Leader", "leader"), (" SME ", "sme"),
                                            ("other", "other")])
def test_role_is_case_insensitive(text: str, role: str) -> None:
    assert only_record("enterprises", role=text)["role"] == role


@pytest.mark.parametrize(("kind", "column", "text"), [
    ("enterprises", "role", "boss"), ("enterprises", "tier", "gold"), ("demand", "status", "open"),
])
def test_unknown_enum_values_pass_to_the_rules_as_written(kind: str, column: str, text: str) -> None:
    assert only_record(kind, **{column: text})[column] == text


def test_negative_numbers_pass_to_the_rules() -> None:
    assert only_record("demand", unit_price="-5")["unit_price"] == -5


@pytest.mark.parametrize(("text", "tier"), [
    ("", "none"), ("SRSN", "srsn"), ("Little Giant", "little_giant"),
    ("创新型中小企业", "innovative"), ("专精特新", "srsn"), ('专精特新"小巨人"', "little_giant"),
    ("专精特新“小巨人”", "little_giant"), ("小巨人", "little_giant"),
    ("单项冠军", "champion"), ("制造业单项冠军", "champion"),
])
def test_tier_accepts_codes_and_chinese_labels(text: str, tier: str) -> None:
    assert only_record("enterprises", tier=text)["tier"] == tier


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("FALSE", False), ("yes", True), ("No", False), ("1", True),
    ("0", False), ("是", True), ("否", False), ("", True),
])
def test_prefer_local(text: str, value: bool) -> None:
    assert only_record("demand", prefer_local=text)["prefer_local"] is value


def test_bad_boolean() -> None:
    assert only_error("demand", prefer_local="maybe") == RowError(
        2, "prefer_local", "not true or false: 'maybe' — write true or false")


@pytest.mark.parametrize(("text", "value"), [("2026-02-30", "2026-02-30"), ("２０２６-１２-３１", "2026-12-31")])
def test_dates_pass_to_the_rules_with_plain_digits(text: str, value: str) -> None:
    assert only_record("demand", deadline=text)["deadline"] == value


def test_good_date() -> None:
    assert only_record("demand", deadline="2026-12-31")["deadline"] == "2026-12-31"


def test_certifications_with_expiry() -> None:
    record = only_record("supply", certifications="IATF16949@2027-06-30; iso9001 ;AS9100D @ 2026-01-01")
    assert record["certifications"] == ["IATF16949@2027-06-30", "iso9001", "AS9100D@2026-01-01"]




def test_duplicate_id_is_reported_on_the_later_row() -> None:
    result = parse("supply", SUPPLY, {**SUPPLY, "id": "S2"}, SUPPLY)
    assert [n for n, _ in result.valid] == [2, 3]
    assert result.errors == [RowError(4, "id", "duplicate id 'S1' (first on row 2)")]


@pytest.mark.parametrize(("text", "value"), [
    ("'=SUM(A1:A9)", "=SUM(A1:A9)"), ("'-40℃ 耐低温", "-40℃ 耐低温"), ("'+86 28", "+86 28"),
    ("'@home", "@home"), ("''=x", "'=x"), ("'quoted'", "'quoted'"), ("=raw", "=raw"),
])
def test_formula_guard_apostrophe_is_removed_once(text: str, value: str) -> None:
    assert only_record("supply", description=text)["description"] == value


def test_every_error_names_its_row_and_column() -> None:
    bad = {"id": "", "name": "", "region": "", "annual_procurement": "x", "local_procurement": "abc"}
    result = parse("enterprises", {k: "" for k in bad} | FIRM, bad, FIRM | {"id": "E9"})
    assert [n for n, _ in result.valid] == [2, 4]
    assert {e.column for e in result.errors} == set(bad) | {"role"}
    assert all(e.row == 3 and e.reason for e in result.errors)
    assert result.rejected_rows == [3]
    assert str(result.errors[0]).startswith("row 3, column id: required")
