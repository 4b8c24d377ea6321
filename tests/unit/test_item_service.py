"""The item service's rules with an in-memory repository: create is create, edits carry their
version, ownership moves, statuses, visibility."""
from __future__ import annotations

import pytest

from matchmaker.errors import Conflict, Forbidden, Invalid, NotFound
from matchmaker.services import items as service
from matchmaker.services.permissions import ANONYMOUS, Principal
from tests.unit.fake_items import FakeItemRepository

HOME = "510100"
ADMIN = Principal("u-admin", "admin", None, "admin@test.cn")
SME_A = Principal("u-a", "sme", "E-A", "a@test.cn")
SME_B = Principal("u-b", "sme", "E-B", "b@test.cn")
LEADER = Principal("u-l", "leader", "E-L", "l@test.cn")


@pytest.fixture
def repo() -> FakeItemRepository:
    return FakeItemRepository({
        "E-A": {"role": "sme", "local": True, "tier": "none", "name": "甲公司"},
        "E-B": {"role": "sme", "local": False, "tier": "little_giant", "name": "乙公司"},
        "E-L": {"role": "leader", "local": True, "tier": "none", "name": "链主"},
    })


def _gear(repo, principal=SME_A, **data) -> dict:
    return service.create_item(repo, principal, "supply", {"name": "精密齿轮", "capacity": 10.0, **data}, HOME)


def test_create_stores_version_1_for_the_callers_firm_with_a_revision(repo):
    item = _gear(repo, id="S-1", category="nev.gears")
    assert (item["id"], item["enterprise_id"], item["version"], item["status"]) == ("S-1", "E-A", 1, "published")
    assert (item["category_id"], item["chain_id"], item["category_proposed"]) == ("nev.gears", "nev", False)
    assert repo.history("supply", "S-1") == [{"item_id": "S-1", "actor": "a@test.cn", "action": "create"}]


def test_an_id_in_use_is_a_conflict_naming_id_and_owner_and_nothing_changes(repo):
    _gear(repo, id="S-1")
    with pytest.raises(Conflict) as caught:
        _gear(repo, SME_B, id="S-1", name="抢来的")
    assert "'S-1'" in caught.value.message and "'E-A'" in caught.value.message
    assert caught.value.fields == {"id": ["already used by another item: choose another id"]}
    assert repo.get("supply", "S-1")["name"] == "精密齿轮" and len(repo.revisions) == 1


def test_a_create_that_loses_the_race_in_the_write_is_a_conflict_too(repo):
    original_create = repo.create

    def racing(kind, record, now, actor):   # another writer creates the id between check and write
        original_create(kind, {**record, "enterprise_id": "E-B"}, now, "other")
        return original_create(kind, record, now, actor)
    repo.create = racing
    with pytest.raises(Conflict, match="'E-B'"):
        _gear(repo, id="S-RACE")
    assert repo.get("supply", "S-RACE")["enterprise_id"] == "E-B"


def test_an_edit_on_the_current_version_is_written_and_bumps_it(repo):
    _gear(repo, id="S-1")
    item = service.update_item(repo, SME_A, "supply", "S-1", {"capacity": 20.0}, HOME, expected_version=1)
    assert (item["capacity"], item["version"], item["name"]) == (20.0, 2, "精密齿轮")


def test_a_stale_version_is_refused_and_nothing_changes(repo):
    _gear(repo, id="S-1")
    service.update_item(repo, SME_A, "supply", "S-1", {"capacity": 20.0}, HOME, expected_version=1)
    with pytest.raises(service.StaleVersion) as caught:
        service.update_item(repo, SME_A, "supply", "S-1", {"capacity": 30.0}, HOME, expected_version=1)
    assert caught.value.status == 409 and "reload" in caught.value.message
    assert repo.get("supply", "S-1")["capacity"] == 20.0 and len(repo.revisions) == 2


def test_without_a_version_an_edit_still_never_overwrites_one_made_meanwhile(repo):
    _gear(repo, id="S-1")
    # Another editor's change lands between this edit's read and its write.
    repo.before_write = lambda: repo.items["supply", "S-1"].update(version=2, capacity=99.0)
    with pytest.raises(service.StaleVersion):
        service.update_item(repo, SME_A, "supply", "S-1", {"name": "新名字"}, HOME)
    assert repo.get("supply", "S-1")["name"] == "精密齿轮"


def test_an_item_gone_before_the_write_is_not_found(repo):
    _gear(repo, id="S-1")
    repo.before_write = lambda: repo.items.pop(("supply", "S-1"))
    with pytest.raises(NotFound):
        service.update_item(repo, SME_A, "supply", "S-1", {"capacity": 1.0}, HOME)


def test_the_id_cannot_change_and_only_an_admin_moves_an_item(repo):
    _gear(repo, id="S-1")
    with pytest.raises(Invalid):
        service.update_item(repo, SME_A, "supply", "S-1", {"id": "S-2"}, HOME)
    with pytest.raises(Forbidden):
        service.update_item(repo, SME_A, "supply", "S-1", {"enterprise_id": "E-B"}, HOME)
    moved = service.update_item(repo, ADMIN, "supply", "S-1", {"enterprise_id": "E-B"}, HOME)
    assert (moved["enterprise_id"], moved["local"], moved["tier"]) == ("E-B", False, "little_giant")


def test_ending_withdraws_supply_and_closes_demand_and_the_form_keeps_the_ended_status(repo):
    _gear(repo, id="S-1")
    assert service.end_item(repo, SME_A, "supply", "S-1", HOME)["status"] == "withdrawn"
    demand = service.create_item(repo, LEADER, "demand", {"name": "齿轮", "quantity": 10.0, "unit_price": 2.0}, HOME)
    assert demand["value"] == 20.0
    closed = service.end_item(repo, LEADER, "demand", demand["id"], HOME, expected_version=1)
    assert (closed["status"], closed["version"]) == ("closed", 2)
    assert service.status_choices("supply") == ["published", "draft"]
    assert service.status_choices("demand", "closed") == ["published", "draft", "closed"]


def test_a_demand_item_needs_a_leader_as_owner(repo):
    with pytest.raises(Invalid) as caught:
        service.create_item(repo, ADMIN, "demand", {"name": "齿轮", "enterprise_id": "E-A"}, HOME)
    assert "enterprise_id" in caught.value.fields and not repo.items


def test_drafts_are_listed_and_read_only_for_their_owner(repo):
    _gear(repo, id="S-PUB")
    _gear(repo, id="S-DRAFT", status="draft")
    public = service.list_items(repo, ANONYMOUS, "supply", {})
    assert [i["id"] for i in public.items] == ["S-PUB"] and public.total == 1
    own = service.list_items(repo, SME_A, "supply", {"status": "all", "enterprise": "E-A"})
    assert {i["id"] for i in own.items} == {"S-PUB", "S-DRAFT"}
    with pytest.raises(Forbidden):
        service.list_items(repo, SME_B, "supply", {"status": "all", "enterprise": "E-A"})
    with pytest.raises(NotFound):
        service.get_item(repo, SME_B, "supply", "S-DRAFT")
