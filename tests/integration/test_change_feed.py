"""The change feed: numbers allocated inside each write transaction, in commit order, on every
write path; a reader asking for `seq > last seen` misses nothing, however slow a commit."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

from graph import changes
from graph import items as item_repo
from graph.item_search import ItemQuery
from graph.maintenance import delete_items
from matchmaker.lists import ListIndexes
from tests.helpers import gen_enterprise

TODAY = date.today().isoformat()


def _stamp(offset_seconds: int = 0) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=offset_seconds)).isoformat(timespec="seconds")


def _item(item_id: str, owner: str, name: str) -> dict:
    return {"id": item_id, "enterprise_id": owner, "props": {"name": name, "status": "published"}}


def _last(db) -> int:
    return db.read(changes.last_seq)


def _seq_of(db, item_id: str) -> int:
    return item_repo.get(db, "supply", item_id)["seq"]


def test_every_write_path_takes_a_new_number_and_stamps_its_items(db):
    firm = gen_enterprise(db, "sme")
    before = _last(db)
    item_repo.upsert_many(db, "supply", [_item("T-A", firm["id"], "齿轮")], _stamp())
    first = _seq_of(db, "T-A")
    assert first == _last(db) > before
    assert item_repo.create_one(db, "supply", _item("T-B", firm["id"], "轴承"), _stamp(), "test") is None
    assert _seq_of(db, "T-B") == _last(db) > first
    record = {**_item("T-B", firm["id"], "轴承座"), "changes": "[]"}
    assert item_repo.update_one(db, "supply", record, 1, _stamp(), "test") == (True, 2)
    assert _seq_of(db, "T-B") == _last(db) > first + 1
    deleted_at = _last(db)
    delete_items(db, "supply", ["T-A"])
    assert _last(db) > deleted_at


def test_a_write_whose_commit_is_slow_is_still_seen(db, tmp_path):
    """A writer stamps and numbers its item, then holds its transaction open while another
    write commits and a reader looks; its item is seen as soon as it commits."""
    firm = gen_enterprise(db, "sme")
    lists = ListIndexes(db, tmp_path, builder_thread=False)
    lists.build("supply")
    catalog = lists.catalog("supply")
    catalog.search(ItemQuery("supply", {}, today=TODAY))
    written, release = threading.Event(), threading.Event()

    def slow(tx):
        item_repo._upsert(tx, "supply", [_item("T-SLOW", firm["id"], "慢提交的产品")], _stamp(-30), None, "test")
        written.set()
        release.wait(30)  # the first attempt waits; a retry (after a conflict) goes straight through

    slow_writer = threading.Thread(target=db.write, args=(slow,))
    slow_writer.start()
    assert written.wait(30)
    fast_writer = threading.Thread(target=item_repo.upsert_many,
                                   args=(db, "supply", [_item("T-FAST", firm["id"], "快提交的产品")], _stamp()))
    fast_writer.start()
    fast_writer.join(5)  # a server that locks the counter holds the fast write until the slow one ends
    if not fast_writer.is_alive():
        assert catalog.search(ItemQuery("supply", {}, ["快提交"], today=TODAY))[1] == 1
        assert catalog.search(ItemQuery("supply", {}, ["慢提交"], today=TODAY))[1] == 0
    release.set()
    slow_writer.join(30)
    fast_writer.join(30)
    assert catalog.search(ItemQuery("supply", {}, ["提交的产品"], limit=10, today=TODAY))[1] == 2
    assert _seq_of(db, "T-SLOW") != _seq_of(db, "T-FAST")
