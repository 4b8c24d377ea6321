"""The in-memory item catalog answers list queries exactly as the graph query does, and
follows writes, enterprise changes and bulk deletes."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.item_search import SORTS, ItemQuery, search_items
from graph.maintenance import clear_user_data, delete_items
from matchmaker.services.catalog import ItemCatalog, catalog_for, warm_in_background
from matchmaker.services.generator import Plan
from matchmaker.services.seeding import seed_generate

TODAY = date.today().isoformat()


def _now(offset_seconds: int = 0) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=offset_seconds)).isoformat(timespec="seconds")


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
def test_catalog_answers_as_the_graph_query_does(loaded, kind):
    catalog = ItemCatalog(kind)
    for query in _queries(loaded, kind, random.Random(kind)):
        expected, total = search_items(loaded, query)
        ids, catalog_total = catalog.search(loaded, query)
        assert catalog_total == total, query
        assert set(ids) == {i["id"] for i in expected}, query
        # Same order of the sort key (ties may fall in another order).
        by_id = {i["id"]: i for i in expected}
        key = {"recent": "updated_at", "name": "name", "value": "value", "capacity": "capacity",
               "deadline": "deadline"}[query.sort]
        assert [by_id[i].get(key) for i in ids] == [i.get(key) for i in expected], query


def test_pages_cut_the_same_sorted_list(loaded):
    catalog = ItemCatalog("demand")
    whole, total = catalog.search(loaded, ItemQuery("demand", {}, sort="value", limit=1000, today=TODAY))
    pages = [catalog.search(loaded, ItemQuery("demand", {}, sort="value", skip=s, limit=7, today=TODAY))[0]
             for s in range(0, total, 7)]
    assert [i for page in pages for i in page] == whole


def test_catalog_follows_new_and_changed_items_and_enterprises(db):
    seed_generate(db, Plan(10, 60, 3), "510100", batch=30)
    catalog = ItemCatalog("supply")
    query = ItemQuery("supply", {"statuses": ["published"]}, ["钛合金法兰"], today=TODAY)
    assert catalog.search(db, query) == ([], 0)

    owner = search_items(db, ItemQuery("supply", {}, limit=1))[0][0]["enterprise_id"]
    props = {"name": "钛合金法兰", "description": "titanium flange", "status": "published",
             "search": "钛合金法兰 titanium flange", "chain_id": "aerospace"}
    item_repo.upsert_many(db, "supply", [{"id": "T-FLANGE", "enterprise_id": owner, "props": props}], _now())
    assert catalog.search(db, query) == (["T-FLANGE"], 1)

    item_repo.upsert_many(db, "supply", [{"id": "T-FLANGE", "enterprise_id": owner,
                                          "props": {**props, "status": "withdrawn"}}], _now())
    assert catalog.search(db, query) == ([], 0)

    firm = enterprise_repo.get(db, owner)
    new_tier = "single_champion" if firm["tier"] != "single_champion" else "little_giant"
    record = {k: firm.get(k) for k in ("id", "name", "name_en", "role", "region_code", "local",
                                       "certifications", "annual_procurement", "local_procurement",
                                       "description", "chain_ids")}
    enterprise_repo.upsert_many(db, [{**record, "tier": new_tier}], _now())
    by_tier = ItemQuery("supply", {"tier": new_tier, "enterprise_id": owner}, today=TODAY)
    assert catalog.search(db, by_tier)[1] == search_items(db, by_tier)[1] > 0


def test_a_write_stamped_long_before_it_commits_is_still_seen(db):
    seed_generate(db, Plan(5, 20, 4), "510100", batch=20)
    catalog = ItemCatalog("supply")
    catalog.search(db, ItemQuery("supply", {}, today=TODAY))
    owner = search_items(db, ItemQuery("supply", {}, limit=1))[0][0]["enterprise_id"]
    late = {"name": "迟到的提交", "status": "published", "search": "迟到的提交"}
    # Stamped an hour ago, committed now: the feed follows change numbers, not clocks.
    item_repo.upsert_many(db, "supply", [{"id": "T-LATE", "enterprise_id": owner, "props": late}], _now(-3600))
    assert catalog.search(db, ItemQuery("supply", {}, ["迟到"], today=TODAY)) == (["T-LATE"], 1)


def test_a_bulk_delete_empties_the_catalog(db):
    seed_generate(db, Plan(5, 40, 5), "510100", batch=40)
    catalog = catalog_for(db, "demand")
    assert catalog.search(db, ItemQuery("demand", {}, today=TODAY))[1] > 0
    clear_user_data(db)
    assert catalog.search(db, ItemQuery("demand", {}, today=TODAY)) == ([], 0)
    assert catalog_for(db, "demand") is catalog


def test_text_changes_after_compaction_are_found(db, monkeypatch):
    seed_generate(db, Plan(5, 30, 6), "510100", batch=30)
    catalog = ItemCatalog("supply")
    query = ItemQuery("supply", {}, today=TODAY)
    catalog.search(db, query)
    first = search_items(db, ItemQuery("supply", {}, limit=1))[0][0]
    props = {k: first.get(k) for k in item_repo.FIELDS["supply"]}
    props.update(name="改名后的产品", search="改名后的产品 renamed")
    item_repo.upsert_many(db, "supply", [{"id": first["id"], "enterprise_id": first["enterprise_id"],
                                          "props": props}], _now())
    assert catalog.search(db, ItemQuery("supply", {}, ["改名后"], today=TODAY))[0] == [first["id"]]
    catalog._table.compact_text()
    assert catalog.search(db, ItemQuery("supply", {}, ["改名后"], today=TODAY))[0] == [first["id"]]
    old_word = first["search"].split()[0]
    if old_word not in "改名后的产品 renamed":
        assert first["id"] not in catalog.search(db, ItemQuery("supply", {}, [old_word], limit=1000,
                                                               today=TODAY))[0]


def test_an_unknown_filter_or_sort_is_refused(loaded):
    catalog = ItemCatalog("supply")
    with pytest.raises(ValueError, match="unknown filter"):
        catalog.search(loaded, ItemQuery("supply", {"colour": "red"}, today=TODAY))
    with pytest.raises(ValueError, match="unknown sort"):
        catalog.search(loaded, ItemQuery("supply", {}, sort="random", today=TODAY))


def test_an_empty_catalog_sees_the_first_items(db):
    catalog = ItemCatalog("demand")
    assert catalog.search(db, ItemQuery("demand", {}, today=TODAY)) == ([], 0)
    seed_generate(db, Plan(5, 40, 8), "510100", batch=40)
    assert catalog.search(db, ItemQuery("demand", {}, today=TODAY))[1] > 0


def test_warming_builds_both_catalogs_before_the_first_request(db):
    seed_generate(db, Plan(5, 50, 9), "510100", batch=50)
    warm_in_background(db).join(timeout=60)
    assert catalog_for(db, "supply").size() == item_repo.count(db, "supply") > 0
    assert catalog_for(db, "demand").size() == item_repo.count(db, "demand") > 0


def test_deleted_items_leave_the_catalog(db):
    seed_generate(db, Plan(5, 40, 10), "510100", batch=40)
    catalog = ItemCatalog("supply")
    ids, total = catalog.search(db, ItemQuery("supply", {}, limit=1000, today=TODAY))
    delete_items(db, "supply", ids[:3])
    left, left_total = catalog.search(db, ItemQuery("supply", {}, limit=1000, today=TODAY))
    assert left_total == total - 3 and not set(ids[:3]) & set(left)
    assert item_repo.count(db, "supply") == left_total
