"""The list index (matchmaker.lists) answers list queries exactly as the graph query does, and
follows writes, enterprise changes and bulk deletes."""
from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta, timezone

import pytest

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.item_search import SORTS, ItemQuery, search_items
from graph.maintenance import clear_user_data, delete_items
from matchmaker.lists import ListIndexes
from matchmaker.services.generator import Plan
from matchmaker.services.seeding import seed_generate

TODAY = date.today().isoformat()


def _now(offset_seconds: int = 0) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=offset_seconds)).isoformat(timespec="seconds")


@pytest.fixture
def lists(db, tmp_path):
    """A process's list indexes, no builder thread: `built(kind)` builds one now (in small segments)."""
    return ListIndexes(db, tmp_path, builder_thread=False, segment_rows=150)


def built(lists, kind: str):
    lists.build(kind)
    assert lists.view(kind)[1] is not None  # the index answers, not the graph
    return lists.catalog(kind)


def _rewrite_some(db, kind: str) -> None:
    """Change a few items after the build, so queries read segments and the delta together."""
    items = search_items(db, ItemQuery(kind, {}, sort="name", limit=12))[0]
    changed = [{"id": i["id"], "enterprise_id": i["enterprise_id"],
                "props": {**{k: i.get(k) for k in item_repo.FIELDS[kind]}, "status": "withdrawn",
                          "name": "Z" + (i.get("name") or "")}} for i in items]
    item_repo.upsert_many(db, kind, changed, _now())


@pytest.fixture
def loaded(db):
    seed_generate(db, Plan(40, 400, 7), "510100", batch=150)
    # Some variety the generator does not make: other statuses, dated certifications.
    supply = search_items(db, ItemQuery("supply", {}, limit=1000))[0]
    changed = []
    for n, item in enumerate(supply[:40]):
        props = {k: item.get(k) for k in item_repo.FIELDS["supply"]}
        props["status"] = ("draft", "withdrawn")[n % 2] if n < 20 else "published"
        props["certifications"] = ["ISO9001@2001-01-01"] if n % 3 else ["IATF16949@2099-12-31"]
        changed.append({"id": item["id"], "enterprise_id": item["enterprise_id"], "props": props})
    item_repo.upsert_many(db, "supply", changed, _now())
    return db


def _queries(db, kind: str, rng: random.Random) -> list[ItemQuery]:
    sample = search_items(db, ItemQuery(kind, {}, limit=1000))[0]
    pick = rng.choice
    filters = [
        {}, {"chain_id": pick(sample)["chain_id"]}, {"segment_id": pick(sample)["segment_id"]},
        {"category_id": pick(sample)["category_id"]}, {"tier": pick(sample)["tier"]}, {"local": True},
        {"local": False}, {"certification": "iso9001"}, {"certification": "IATF16949"},
        {"statuses": ["published"]}, {"statuses": ["draft", "withdrawn", "closed"]},
        {"chain_ids": [pick(sample)["chain_id"], pick(sample)["chain_id"]], "statuses": ["published"]},
        {"category_ids": [pick(sample)["category_id"]], "local": True},
        {"enterprise_id": pick(sample)["enterprise_id"]}, {"chain_id": "no-such-chain"},
    ]
    words = [[], [pick(sample)["name"][:2]], [pick(sample)["name"][-2:], "precision"], ["PRECISION"],
             ["没有这个词"]]
    queries = []
    for f in filters:
        for sort in SORTS:
            queries.append(ItemQuery(kind, dict(f), list(pick(words)), sort, 0, 1000, TODAY))
    return queries


@pytest.mark.parametrize("kind", ["supply", "demand"])
def test_catalog_answers_as_the_graph_query_does(loaded, lists, kind):
    catalog = built(lists, kind)
    _rewrite_some(loaded, kind)
    assert lists.view(kind)[1].delta and len(lists.view(kind)[1].segments) > 1
    for query in _queries(loaded, kind, random.Random(kind)):
        expected, total = search_items(loaded, query)
        ids, catalog_total = catalog.search(query)
        assert catalog_total == total, query
        assert set(ids) == {i["id"] for i in expected}, query
        # Same order of the sort key (ties may fall in another order).
        by_id = {i["id"]: i for i in expected}
        key = {"recent": "updated_at", "name": "name", "value": "value", "capacity": "capacity",
               "deadline": "deadline"}[query.sort]
        assert [by_id[i].get(key) for i in ids] == [i.get(key) for i in expected], query


def test_pages_cut_the_same_sorted_list(loaded, lists):
    catalog = built(lists, "demand")
    whole, total = catalog.search(ItemQuery("demand", {}, sort="value", limit=1000, today=TODAY))
    pages = [catalog.search(ItemQuery("demand", {}, sort="value", skip=s, limit=7, today=TODAY))[0]
             for s in range(0, total, 7)]
    assert [i for page in pages for i in page] == whole


def test_catalog_follows_new_and_changed_items_and_enterprises(db, lists):
    seed_generate(db, Plan(10, 60, 3), "510100", batch=30)
    catalog = built(lists, "supply")
    query = ItemQuery("supply", {"statuses": ["published"]}, ["钛合金法兰"], today=TODAY)
    assert catalog.search(query) == ([], 0)

    owner = search_items(db, ItemQuery("supply", {}, limit=1))[0][0]["enterprise_id"]
    props = {"name": "钛合金法兰", "description": "titanium flange", "status": "published",
             "search": "钛合金法兰 titanium flange", "chain_id": "aerospace"}
    item_repo.upsert_many(db, "supply", [{"id": "T-FLANGE", "enterprise_id": owner, "props": props}], _now())
    assert catalog.search(query) == (["T-FLANGE"], 1)

    item_repo.upsert_many(db, "supply", [{"id": "T-FLANGE", "enterprise_id": owner,
                                          "props": {**props, "status": "withdrawn"}}], _now())
    assert catalog.search(query) == ([], 0)

    firm = enterprise_repo.get(db, owner)
    new_tier = "single_champion" if firm["tier"] != "single_champion" else "little_giant"
    record = {k: firm.get(k) for k in ("id", "name", "name_en", "role", "region_code", "local",
                                       "certifications", "annual_procurement", "local_procurement",
                                       "description", "chain_ids")}
    enterprise_repo.upsert_many(db, [{**record, "tier": new_tier}], _now())
    by_tier = ItemQuery("supply", {"tier": new_tier, "enterprise_id": owner}, today=TODAY)
    assert catalog.search(by_tier)[1] == search_items(db, by_tier)[1] > 0


def test_a_write_stamped_long_before_it_commits_is_still_seen(db, lists):
    seed_generate(db, Plan(5, 20, 4), "510100", batch=20)
    catalog = built(lists, "supply")
    catalog.search(ItemQuery("supply", {}, today=TODAY))
    owner = search_items(db, ItemQuery("supply", {}, limit=1))[0][0]["enterprise_id"]
    late = {"name": "迟到的提交", "status": "published", "search": "迟到的提交"}
    # Stamped an hour ago, committed now: the feed follows change numbers, not clocks.
    item_repo.upsert_many(db, "supply", [{"id": "T-LATE", "enterprise_id": owner, "props": late}], _now(-3600))
    assert catalog.search(ItemQuery("supply", {}, ["迟到"], today=TODAY)) == (["T-LATE"], 1)


def test_a_bulk_delete_empties_the_catalog(db, lists):
    seed_generate(db, Plan(5, 40, 5), "510100", batch=40)
    catalog = built(lists, "demand")
    assert catalog.search(ItemQuery("demand", {}, today=TODAY))[1] > 0
    before = catalog.generation
    clear_user_data(db)
    assert catalog.search(ItemQuery("demand", {}, today=TODAY)) == ([], 0)  # the graph's answer
    assert catalog.generation > before
    assert built(lists, "demand") is catalog  # the new generation's index
    assert catalog.search(ItemQuery("demand", {}, today=TODAY)) == ([], 0)
    assert lists.view("demand")[1] is not None


def test_text_changes_after_compaction_are_found(db, lists):
    seed_generate(db, Plan(5, 30, 6), "510100", batch=30)
    catalog = built(lists, "supply")
    query = ItemQuery("supply", {}, today=TODAY)
    catalog.search(query)
    first = search_items(db, ItemQuery("supply", {}, limit=1))[0][0]
    props = {k: first.get(k) for k in item_repo.FIELDS["supply"]}
    props.update(name="改名后的产品", search="改名后的产品 renamed")
    item_repo.upsert_many(db, "supply", [{"id": first["id"], "enterprise_id": first["enterprise_id"],
                                          "props": props}], _now())
    assert catalog.search(ItemQuery("supply", {}, ["改名后"], today=TODAY))[0] == [first["id"]]
    lists.builder("supply", catalog.generation).update()  # the change moves from the delta into a segment
    assert catalog.search(ItemQuery("supply", {}, ["改名后"], today=TODAY))[0] == [first["id"]]
    old_word = first["search"].split()[0]
    if old_word not in "改名后的产品 renamed":
        assert first["id"] not in catalog.search(ItemQuery("supply", {}, [old_word], limit=1000,
                                                               today=TODAY))[0]


def test_an_unknown_filter_or_sort_is_refused(loaded, lists):
    catalog = built(lists, "supply")
    with pytest.raises(ValueError, match="unknown filter"):
        catalog.search(ItemQuery("supply", {"colour": "red"}, today=TODAY))
    with pytest.raises(ValueError, match="unknown sort"):
        catalog.search(ItemQuery("supply", {}, sort="random", today=TODAY))


def test_an_empty_catalog_sees_the_first_items(db, lists):
    catalog = built(lists, "demand")
    assert catalog.search(ItemQuery("demand", {}, today=TODAY)) == ([], 0)
    seed_generate(db, Plan(5, 40, 8), "510100", batch=40)
    assert catalog.search(ItemQuery("demand", {}, today=TODAY))[1] > 0


def test_the_builder_threads_build_both_kinds(db, tmp_path):
    seed_generate(db, Plan(5, 50, 9), "510100", batch=50)
    lists = ListIndexes(db, tmp_path, interval=0.1)
    try:
        lists.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and None in (lists.view("supply")[1], lists.view("demand")[1]):
            time.sleep(0.1)
        for kind in ("supply", "demand"):
            view = lists.view(kind)[1]
            assert view is not None and not view.delta
            assert view.live_count() == item_repo.count(db, kind) > 0
    finally:
        lists.close()


def test_deleted_items_leave_the_catalog(db, lists):
    seed_generate(db, Plan(5, 40, 10), "510100", batch=40)
    catalog = built(lists, "supply")
    ids, total = catalog.search(ItemQuery("supply", {}, limit=1000, today=TODAY))
    delete_items(db, "supply", ids[:3])
    left, left_total = catalog.search(ItemQuery("supply", {}, limit=1000, today=TODAY))
    assert left_total == total - 3 and not set(ids[:3]) & set(left)
    assert item_repo.count(db, "supply") == left_total
