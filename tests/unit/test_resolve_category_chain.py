"""A row's category and chain must agree (services.resolve.Resolver, services.records.item_to_graph)."""
from __future__ import annotations

from matchmaker.regions import RegionTable
from matchmaker.services.chain_names import ChainNames
from matchmaker.services.classify import CategoryClassifier
from matchmaker.services.records import item_to_graph
from matchmaker.services.resolve import Resolver

CHAINS = [{"id": "nev", "name_zh": "新能源汽车", "name_en": "New energy vehicles"},
          {"id": "food", "name_zh": "食品", "name_en": "Food"}]
CATEGORIES = [
    {"id": "nev.gears", "name_zh": "齿轮", "name_en": "Gears", "keywords": ["齿轮", "gear"],
     "chain_id": "nev", "segment_id": "nev.mid", "stage": "midstream"},
    {"id": "food.frozen", "name_zh": "速冻食品", "name_en": "Frozen food", "keywords": ["速冻", "水饺", "frozen"],
     "chain_id": "food", "segment_id": "food.mid", "stage": "midstream"},
]


class Reference(Resolver):
    def __init__(self) -> None:  # noqa: super().__init__ reads the graph
        self.home_region = "510100"
        self.regions = RegionTable.load()
        self.chains = ChainNames(CHAINS)
        self.categories = {c["id"]: c for c in CATEGORIES}
        self.classifier = CategoryClassifier(CATEGORIES)


OWNERS = {"E1": {"role": "sme"}}


def row(**cells):
    return item_to_graph("supply", 7, {"id": "S1", "enterprise_id": "E1", "name": "速冻水饺", **cells},
                         Reference(), OWNERS)


def test_a_category_id_of_another_chain_is_an_error_naming_both() -> None:
    graph, errors, _ = row(category="food.frozen", chain="新能源汽车")
    assert graph is None and [(e.row, e.column) for e in errors] == [(7, "category")]
    assert "'food.frozen'" in errors[0].reason and "'food'" in errors[0].reason and "'新能源汽车'" in errors[0].reason


def test_a_category_name_found_only_in_another_chain_is_the_same_error() -> None:
    graph, errors, _ = row(category="Frozen Food", chain="nev")
    assert graph is None and errors[0].column == "category" and "'food'" in errors[0].reason


def test_agreeing_names_and_ids_resolve() -> None:
    graph, errors, _ = row(category="齿轮", chain="nev")
    assert errors == [] and graph["props"]["category_id"] == "nev.gears" and not graph["props"]["category_proposed"]
    graph, errors, _ = row(category="food.frozen")
    assert errors == [] and graph["props"]["chain_id"] == "food"


def test_a_proposal_never_leaves_the_rows_chain() -> None:
    graph, errors, _ = row(category="某种东西", chain="nev")
    assert errors == [] and graph["props"]["chain_id"] == "nev"
    assert graph["props"]["category_id"] in (None, "nev.gears")
