"""Formats for people (matchmaker/web/formats.py): stored UTC times in Beijing time to the minute."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from matchmaker.web.formats import when_text

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("stamp, zh, en", [
    ("2026-11-30T09:56:15+00:00", "11月30日 17:56", "30 Nov 2026, 17:56"),          # this year: no year in zh
    ("2026-11-30T09:56:15.123456+00:00", "11月30日 17:56", "30 Nov 2026, 17:56"),   # microseconds dropped
    ("2025-03-05T01:02:03+00:00", "2025-03-05 09:02", "5 Mar 2025, 09:02"),         # another year: the year
    ("2026-12-31T20:00:00", "2027-01-01 04:00", "1 Jan 2027, 04:00"),               # no offset means UTC
    ("2026-06-01T10:00:00Z", "6月1日 18:00", "1 Jun 2026, 18:00"),
    ("2026-06-01T18:00:00+08:00", "6月1日 18:00", "1 Jun 2026, 18:00"),             # already local
])
def test_times_in_beijing_time_without_seconds(stamp, zh, en):
    assert when_text(stamp, "zh", now=NOW) == zh
    assert when_text(stamp, "en", now=NOW) == en


def test_dates_missing_values_and_non_times_pass_through():
    assert when_text("2027-03-31", "en") == "2027-03-31"          # a deadline stays YYYY-MM-DD
    assert when_text(None, "zh") == "—" and when_text("", "en") == "—"
    assert when_text("not a time", "zh") == "not a time"
    assert when_text(datetime(2026, 11, 30, 2, 15, tzinfo=timezone.utc), "zh", now=NOW) == "11月30日 10:15"


def test_the_year_is_the_home_regions_year():
    # 2026-12-31 20:00 UTC is already 2027 in Beijing: a 2027 time then counts as this year
    late = datetime(2026, 12, 31, 20, 0, tzinfo=timezone.utc)
    assert when_text("2027-01-01T01:00:00+00:00", "zh", now=late) == "1月1日 09:00"


def test_revisions_read_as_labels_with_old_and_new_values():
    from matchmaker import create_app
    from matchmaker.web.formats import revision_view

    app = create_app({"TESTING": True, "GRAPH_DB": object()})
    with app.test_request_context("/?lang=zh"):
        update = revision_view({"at": "2026-11-30T02:15:00+00:00", "actor": "zhang@example.cn", "action": "update",
                                "changes": '{"capacity": [3000, 5000.0], "certifications": [[], ["IATF16949"]]}'})
        assert update["changes"] == ["年产能 3,000 → 5,000", "资质认证 — → IATF16949"]
        assert update["action"] == "修改" and update["actor"] == "zhang@example.cn" and update["at"].endswith("10:15")
        older = revision_view({"at": "2026-11-30T02:15:00", "action": "update", "changes": '["capacity", "unit"]'})
        assert older["changes"] == ["年产能", "单位"]
        assert revision_view({"action": "create", "changes": '["name"]'})["changes"] == []
        assert revision_view({"action": "update", "changes": "not json"})["changes"] == []
    with app.test_request_context("/?lang=en"):
        update = revision_view({"at": "2026-11-30T02:15:00+00:00", "action": "update",
                                "changes": '{"unit_price": [1200, 12.5], "status": ["published", "closed"]}'})
        assert update["changes"] == ["Unit price (CNY) 1,200 → 12.5", "Status published → closed"]
