"""Notification and demand-alert rules with an in-memory store (no graph)."""
from __future__ import annotations

import logging
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.support import Translations

from matchmaker.errors import Invalid, Unauthorized
from matchmaker.i18n import compile_catalogues
from matchmaker.notifications import Alerting, bind, publish_alerts, unbind
from matchmaker.notifications.alerts import becomes_published, send_demand_alerts
from matchmaker.notifications.inbox import inbox_page, mark_read, unread_count
from matchmaker.notifications.messages import render_title
from matchmaker.services.permissions import ANONYMOUS, Principal

ZH = Path(__file__).resolve().parents[2] / "matchmaker" / "translations" / "zh" / "LC_MESSAGES"


class FakeStore:
    """The NotificationStore port over dicts, with the same per-account scoping as graph.notifications."""

    def __init__(self, users: list[dict]):
        self.users, self.notes = users, {}

    def create_many(self, notes):
        for note in notes:
            self.notes.setdefault(note["id"], {**note, "read_at": None})
        return len(notes)

    def _of(self, user_id):
        return sorted((n for n in self.notes.values() if n["user_id"] == user_id),
                      key=lambda n: (n["created_at"], n["id"]), reverse=True)

    def page_of(self, user_id, skip, limit, unread_only=False):
        return [n for n in self._of(user_id) if not (unread_only and n["read_at"])][skip:skip + limit]

    def counts(self, user_id):
        mine = self._of(user_id)
        return {"total": len(mine), "unread": sum(1 for n in mine if not n["read_at"])}

    def unread_count(self, user_id):
        return self.counts(user_id)["unread"]

    def mark_read(self, user_id, ids, now):
        found = [n for n in self._of(user_id) if n["id"] in ids]
        for n in found:
            n["read_at"] = n["read_at"] or now
        return [n["id"] for n in found]

    def mark_all_read(self, user_id, now):
        unread = [n for n in self._of(user_id) if not n["read_at"]]
        for n in unread:
            n["read_at"] = now
        return len(unread)

    def recipients(self, enterprise_ids):
        return [{"user_id": u["id"], "enterprise_id": u["enterprise_id"]} for u in self.users
                if u["enterprise_id"] in enterprise_ids and u.get("active", True) and u.get("alerts", True)]

    def to(self, user_id):
        return self._of(user_id)


@dataclass
class Fit:
    item_id: str
    enterprise_id: str
    fit: float


DEMAND = {"id": "D-1", "name": "车规级IGBT模块", "enterprise_id": "L", "enterprise_name": "成都链主汽车",
          "enterprise_name_en": "Chengdu Leader Motors", "status": "published"}
NAMES = {"a1": "IGBT功率模块", "a2": "IGBT驱动板", "b1": "螺栓", "c1": "IGBT模块", "l1": "自家模块", "d1": "功率模块"}


@pytest.fixture
def store():
    return FakeStore([
        {"id": "u-a1", "enterprise_id": "A"}, {"id": "u-a2", "enterprise_id": "A"},
        {"id": "u-a3", "enterprise_id": "A", "active": False},
        {"id": "u-b", "enterprise_id": "B"}, {"id": "u-c", "enterprise_id": "C", "alerts": False},
        {"id": "u-l", "enterprise_id": "L"}, {"id": "u-d", "enterprise_id": "D"},
    ])


FITS = [Fit("a2", "A", 0.8), Fit("a1", "A", 0.93), Fit("b1", "B", 0.69), Fit("c1", "C", 0.9),
        Fit("l1", "L", 0.99), Fit("d1", "D", 0.7)]


def test_each_fitting_firm_is_alerted_once_per_account_naming_its_best_item(store):
    sent = send_demand_alerts(store, DEMAND, FITS, NAMES, 0.7, "2026-11-30T12:00:00")
    assert sent == 3  # A's two active accounts, D's one
    for user_id in ("u-a1", "u-a2"):
        [note] = store.to(user_id)
        assert note["kind"] == "demand_alert" and note["link"] == "/demand/D-1"
        assert render_title(note) == "New demand from Chengdu Leader Motors: 车规级IGBT模块 fits your IGBT功率模块"
    assert len(store.to("u-d")) == 1  # the threshold is inclusive


@pytest.mark.parametrize("user_id, why", [
    ("u-a3", "an inactive account"), ("u-b", "below the threshold"), ("u-c", "alerts turned off"),
    ("u-l", "the demand's own firm"),
])
def test_who_is_not_alerted(store, user_id, why):
    send_demand_alerts(store, DEMAND, FITS, NAMES, 0.7, "2026-11-30T12:00:00")
    assert store.to(user_id) == [], why


def test_the_threshold_is_configurable(store):
    send_demand_alerts(store, DEMAND, FITS, NAMES, 0.5, "2026-11-30T12:00:00")
    assert len(store.to("u-b")) == 1
    store.notes.clear()
    send_demand_alerts(store, DEMAND, FITS, NAMES, 0.95, "2026-11-30T12:00:00")
    assert store.notes == {}


def test_publishing_the_same_demand_again_does_not_alert_twice(store):
    send_demand_alerts(store, DEMAND, FITS, NAMES, 0.7, "2026-11-30T12:00:00")
    mark_read(store, Principal("u-a1", "sme", "A"), "2026-11-30T12:01:00", everything=True)
    send_demand_alerts(store, DEMAND, FITS, NAMES, 0.7, "2026-11-30T13:00:00")
    assert [n["read_at"] for n in store.to("u-a1")] == ["2026-11-30T12:01:00"]


@pytest.mark.parametrize("kind, status, previous, alert", [
    ("demand", "published", None, True),          # created published
    ("demand", "published", "draft", True),       # edited from draft to published
    ("demand", "published", "closed", True),      # reopened
    ("demand", "published", "published", False),  # an edit of a published item
    ("demand", "draft", None, False),
    ("demand", "closed", "published", False),
    ("supply", "published", None, False),
])
def test_when_a_demand_item_becomes_published(kind, status, previous, alert):
    assert becomes_published(kind, {"status": status}, previous) is alert


@pytest.fixture(scope="module")
def zh(tmp_path_factory) -> Translations:
    root = tmp_path_factory.mktemp("translations")
    folder = root / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    for po in ZH.glob("*.po"):
        shutil.copy(po, folder / po.name)
    compile_catalogues(root)
    with open(folder / "messages.mo", "rb") as mo:
        return Translations(mo)


def test_a_notification_reads_in_the_readers_language(store, zh):
    send_demand_alerts(store, DEMAND, FITS, NAMES, 0.7, "2026-11-30T12:00:00")
    [note] = store.to("u-a1")
    assert render_title(note, zh.gettext, "zh") == "成都链主汽车 发布新需求“车规级IGBT模块”，与贵企业的“IGBT功率模块”匹配"
    assert render_title(note, lambda s: s, "en").startswith("New demand from Chengdu Leader Motors: ")
    chinese_only = send_demand_alerts(store, {**DEMAND, "id": "D-2", "enterprise_name_en": None}, FITS, NAMES, 0.7,
                                      "2026-11-30T12:00:01")
    assert chinese_only == 3
    newest = store.to("u-a1")[0]
    assert render_title(newest).startswith("New demand from 成都链主汽车: ")  # no English name: the Chinese one


def test_an_account_pages_its_own_notifications_newest_first_and_counts_unread(store):
    me, other = Principal("u-a1", "sme", "A"), Principal("u-d", "sme", "D")
    for n in range(5):
        send_demand_alerts(store, {**DEMAND, "id": f"D-{n}"}, FITS, NAMES, 0.7, f"2026-11-30T12:00:0{n}")
    page = inbox_page(store, me, page=2, per_page=2)
    assert [n["created_at"][-1] for n in page.notes] == ["2", "1"] and page.total == 5 and page.pages == 3
    assert unread_count(store, me) == 5 and unread_count(store, ANONYMOUS) == 0
    mine, theirs = store.to("u-a1")[0]["id"], store.to("u-d")[0]["id"]
    result = mark_read(store, me, "2026-11-30T13:00:00", ids=[mine, theirs, "N-unknown"])
    assert result == {"marked": 1, "ignored": [theirs, "N-unknown"], "unread": 4}
    assert unread_count(store, other) == 5  # another account's notification is never marked
    assert inbox_page(store, me, unread_only=True).total == 4


def test_mark_read_input(store):
    me = Principal("u-a1", "sme", "A")
    with pytest.raises(Invalid) as neither:
        mark_read(store, me, "now")
    assert "ids" in neither.value.fields
    with pytest.raises(Invalid):
        mark_read(store, me, "now", ids=["N-1"], everything=True)
    with pytest.raises(Invalid) as too_many:
        mark_read(store, me, "now", ids=[f"N-{i}" for i in range(201)])
    assert "ids" in too_many.value.fields
    with pytest.raises(Unauthorized):
        mark_read(store, ANONYMOUS, "now", everything=True)
    with pytest.raises(Unauthorized):
        inbox_page(store, ANONYMOUS)


def test_publish_alerts_does_nothing_outside_a_request_and_never_raises(caplog):
    calls = []
    assert publish_alerts("demand", DEMAND) == 0  # nothing bound: CLI, imports, service tests

    def failing(demand):
        calls.append(demand["id"])
        raise RuntimeError("index unavailable")
    token = bind(Alerting(None, failing, 0.7))
    try:
        with caplog.at_level(logging.ERROR, logger="matchmaker.notifications.hook"):
            assert publish_alerts("demand", DEMAND) == 0
        assert publish_alerts("demand", DEMAND, previous_status="published") == 0
    finally:
        unbind(token)
    assert calls == ["D-1"]  # the edit of a published item did not ask the engine
    assert "demand alerts for D-1 failed" in caplog.text


def test_in_the_background_the_write_returns_at_once_and_a_failure_is_logged(caplog):
    started, release = threading.Event(), threading.Event()

    def slow_failing(demand):
        started.set()
        release.wait(10)
        raise RuntimeError("encoder crashed")
    alerting = Alerting(None, slow_failing, 0.7, background=True)
    token = bind(alerting)
    try:
        with caplog.at_level(logging.ERROR, logger="matchmaker.notifications.hook"):
            assert publish_alerts("demand", DEMAND) == 0  # queued, not waited for
            assert started.wait(10) and "failed" not in caplog.text
            release.set()
            alerting.drain()
    finally:
        unbind(token)
    assert "demand alerts for D-1 failed" in caplog.text
