"""Edition naming and rows: pure functions, no graph."""
from __future__ import annotations

from datetime import date

import pytest

from matchmaker.errors import Invalid
from matchmaker.services.editions import current_period, period_label, titles, to_row

NEV = {"id": "nev", "name_zh": "新能源汽车", "name_en": "New Energy Vehicles"}


@pytest.mark.parametrize("today, period", [(date(2026, 1, 1), "2026-Q1"), (date(2026, 3, 31), "2026-Q1"),
                                           (date(2026, 4, 1), "2026-Q2"), (date(2026, 12, 31), "2026-Q4")])
def test_current_period_is_the_calendar_quarter(today, period):
    assert current_period(today) == period


def test_titles_of_a_quarter_and_a_month():
    assert titles(NEV, "supply", "2026-Q4") == ("新能源汽车产业链 2026年第四季度 产品供给清单",
                                               "New Energy Vehicles chain — 2026 Q4 supply list")
    assert titles(NEV, "demand", "2027-01") == ("新能源汽车产业链 2027年1月 产品需求清单",
                                               "New Energy Vehicles chain — January 2027 demand list")


def test_a_chain_named_with_its_suffix_is_not_doubled():
    chain = {**NEV, "name_zh": "电子信息产业链"}
    assert titles(chain, "supply", "2026-Q2")[0].startswith("电子信息产业链 2026年第二季度")


@pytest.mark.parametrize("period", ["2026-Q0", "2026-Q5", "2026-00", "2026-13", "26-Q1", "2026Q1", "", "2026-q1"])
def test_malformed_periods_name_the_field(period):
    with pytest.raises(Invalid) as error:
        period_label(period)
    assert "period" in error.value.fields


def test_a_row_keeps_the_file_record_apart_from_display_fields():
    item = {"id": "S-1", "enterprise_id": "E-1", "name": "壳体", "capacity": 10.0, "certifications": ["ISO9001"],
            "category_id": "nev.lightweight-castings", "chain_id": "nev", "status": "published",
            "enterprise_name": "某某公司", "category_name_zh": "压铸件", "local": True, "version": 3}
    row = to_row("supply", item)
    assert row["record"] == {"id": "S-1", "enterprise_id": "E-1", "name": "壳体", "description": None,
                             "category": "nev.lightweight-castings", "chain": "nev", "capacity": 10.0,
                             "unit": None, "certifications": ["ISO9001"], "status": "published"}
    assert row["display"]["enterprise_name"] == "某某公司" and row["display"]["local"] is True
    assert "version" not in row["display"]
