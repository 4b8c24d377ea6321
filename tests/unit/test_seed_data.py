"""Consistency checks of the seed data: the chain taxonomy and the demo lists.

Pure file checks (no database): seeds/chains.yaml, seeds/demo/*.csv and, when
present, the GB/T 2260 reference table seeds/regions/regions.csv.
"""
import csv
import datetime as dt
import re
from pathlib import Path

import networkx as nx
import pytest
import yaml

SEEDS = Path(__file__).parents[2] / "seeds"
DEMO = SEEDS / "demo"
HOME_REGION = "510100"

STAGES = ["upstream", "midstream", "downstream"]
ENTERPRISE_COLUMNS = ["id", "name", "name_en", "role", "tier", "region", "chains",
                      "certifications", "annual_procurement", "local_procurement",
                      "description"]
SUPPLY_COLUMNS = ["id", "enterprise_id", "name", "description", "category", "chain",
                  "capacity", "unit", "certifications", "status"]
DEMAND_COLUMNS = ["id", "enterprise_id", "name", "description", "category", "chain",
                  "quantity", "unit", "unit_price", "required_certifications",
                  "prefer_local", "current_supplier_region", "deadline", "status"]
ROLES = {"leader", "sme", "other"}
TIERS = {"", "none", "innovative", "srsn", "little_giant", "champion"}

CJK = re.compile(r"[\u4e00-\u9fff]")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _is_zh(word):
    return bool(CJK.search(word))


def _is_en(word):
    return not _is_zh(word) and bool(re.search(r"[A-Za-z]", word))


def _split(cell):
    return [part.strip() for part in re.split("[;；]", cell or "") if part.strip()]


def _number(cell):
    return float(cell.replace(",", "")) if cell and cell.strip() else None


def _read_csv(name):
    with open(DEMO / name, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def chains():
    with open(SEEDS / "chains.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)["chains"]


@pytest.fixture(scope="module")
def categories(chains):
    """category id -> chain id"""
    return {cat["id"]: chain["id"]
            for chain in chains for seg in chain["segments"] for cat in seg["categories"]}


@pytest.fixture(scope="module")
def chain_names(chains):
    """casefolded id / name / alias -> chain id"""
    names = {}
    for chain in chains:
        for name in [chain["id"], chain["name_zh"], chain["name_en"], *chain["aliases"]]:
            names.setdefault(name.casefold(), set()).add(chain["id"])
    return names


@pytest.fixture(scope="module")
def enterprises():
    return _read_csv("enterprises.csv")


@pytest.fixture(scope="module")
def supply():
    return _read_csv("supply.csv")


@pytest.fixture(scope="module")
def demand():
    return _read_csv("demand.csv")


# ---------------------------------------------------------------- taxonomy

def test_seventeen_chains_with_unique_slug_ids(chains):
    ids = [c["id"] for c in chains]
    assert len(ids) == 17
    assert len(set(ids)) == 17
    assert all(SLUG.match(i) for i in ids), ids


def test_chain_names_are_bilingual(chains):
    for chain in chains:
        assert _is_zh(chain["name_zh"]), chain["id"]
        assert chain["name_en"].isascii() and chain["name_en"].strip(), chain["id"]
        assert any(_is_zh(a) for a in chain["aliases"]), chain["id"]
        assert any(_is_en(a) for a in chain["aliases"]), chain["id"]


def test_aliases_name_one_chain_each(chain_names):
    ambiguous = {name: ids for name, ids in chain_names.items() if len(ids) > 1}
    assert not ambiguous


def test_three_stages_in_order(chains):
    for chain in chains:
        assert [s["stage"] for s in chain["segments"]] == STAGES, chain["id"]
        for seg in chain["segments"]:
            assert _is_zh(seg["name_zh"]) and seg["name_en"].isascii(), chain["id"]


def test_category_counts(chains):
    for chain in chains:
        per_segment = [len(s["categories"]) for s in chain["segments"]]
        assert sum(per_segment) >= 12, chain["id"]
        assert min(per_segment) >= 3, chain["id"]


def test_category_ids_unique_and_prefixed(chains):
    ids = [cat["id"] for chain in chains for seg in chain["segments"] for cat in seg["categories"]]
    assert len(ids) == len(set(ids))
    for chain in chains:
        for seg in chain["segments"]:
            for cat in seg["categories"]:
                prefix, _, slug = cat["id"].partition(".")
                assert prefix == chain["id"] and SLUG.match(slug), cat["id"]
                assert _is_zh(cat["name_zh"]) and cat["name_en"].isascii(), cat["id"]


def test_keywords_are_chinese_and_english(chains):
    for chain in chains:
        for seg in chain["segments"]:
            for cat in seg["categories"]:
                words = cat["keywords"]
                assert 4 <= len(words) <= 12, cat["id"]
                assert len(set(words)) == len(words), cat["id"]
                assert any(_is_zh(w) for w in words), cat["id"]
                assert any(_is_en(w) for w in words), cat["id"]


def test_feeds_reference_categories_and_form_a_dag(chains, categories):
    everything = nx.DiGraph()
    for chain in chains:
        edges = [tuple(edge) for edge in chain["feeds"]]
        assert len(edges) >= 8, chain["id"]
        assert len(set(edges)) == len(edges), chain["id"]
        for src, dst in edges:
            assert src in categories and dst in categories, (src, dst)
            assert src != dst
            assert categories[dst] == chain["id"], f"{src}->{dst} listed under {chain['id']}"
        graph = nx.DiGraph(edges)
        assert nx.is_directed_acyclic_graph(graph), chain["id"]
        everything.add_edges_from(edges)
    assert nx.is_directed_acyclic_graph(everything)


def test_feeds_within_a_chain_never_run_downstream_to_upstream(chains):
    for chain in chains:
        stage = {cat["id"]: STAGES.index(seg["stage"])
                 for seg in chain["segments"] for cat in seg["categories"]}
        for src, dst in chain["feeds"]:
            if src in stage:
                assert stage[src] <= stage[dst], (src, dst)


def test_localization_targets(chains):
    targets = {c["id"]: c["localization_target"] for c in chains}
    assert targets.pop("nev") == pytest.approx(0.40)
    assert targets.pop("rail") == pytest.approx(0.50)
    assert all(t is None for t in targets.values()), targets


# ---------------------------------------------------------------- demo lists

@pytest.mark.parametrize("name, columns", [
    ("enterprises.csv", ENTERPRISE_COLUMNS),
    ("supply.csv", SUPPLY_COLUMNS),
    ("demand.csv", DEMAND_COLUMNS),
])
def test_headers_are_the_interchange_columns(name, columns):
    header, rows = _read_csv(name)
    assert header == columns
    assert rows
    assert all(None not in row for row in rows), "row with more cells than the header"


def test_ids_unique_and_short(enterprises, supply, demand):
    for _, rows in (enterprises, supply, demand):
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids))
        assert all(0 < len(i) <= 64 for i in ids)
    all_ids = [r["id"] for _, rows in (enterprises, supply, demand) for r in rows]
    assert len(all_ids) == len(set(all_ids))


def test_enterprise_fields(enterprises):
    _, rows = enterprises
    for row in rows:
        assert row["name"] and row["region"], row["id"]
        assert row["role"] in ROLES, row["id"]
        assert row["tier"] in TIERS, row["id"]
        annual, local = _number(row["annual_procurement"]), _number(row["local_procurement"])
        if row["role"] != "leader":
            assert annual is None and local is None, row["id"]
        if annual is not None and local is not None:
            assert 0 <= local <= annual, row["id"]
    leaders = [r for r in rows if r["role"] == "leader"]
    declared = [r for r in leaders if r["annual_procurement"]]
    assert len(declared) > len(leaders) / 2


def test_list_items_belong_to_enterprises_of_the_right_role(enterprises, supply, demand):
    role = {r["id"]: r["role"] for r in enterprises[1]}
    for row in supply[1]:
        assert role.get(row["enterprise_id"]) == "sme", row["id"]
    for row in demand[1]:
        assert role.get(row["enterprise_id"]) == "leader", row["id"]


def test_category_ids_exist(supply, demand, categories):
    for _, rows in (supply, demand):
        for row in rows:
            if "." in row["category"]:
                assert row["category"] in categories, row["id"]


def test_some_supply_items_leave_the_category_to_the_platform(supply, categories):
    rows = supply[1]
    unknown = [r for r in rows if r["category"] not in categories]
    assert 0.05 <= len(unknown) / len(rows) <= 0.2


def test_chain_names_resolve(enterprises, supply, demand, chain_names):
    for _, rows in (enterprises, supply, demand):
        for row in rows:
            cell = row["chains"] if "chains" in row else row["chain"]
            for name in _split(cell):
                assert name.casefold() in chain_names, (row["id"], name)


def test_item_fields(supply, demand):
    for row in supply[1]:
        assert row["status"] in {"", "published", "draft"}, row["id"]
        assert row["name"], row["id"]
        if row["capacity"]:
            assert _number(row["capacity"]) > 0, row["id"]
    for row in demand[1]:
        assert row["status"] in {"", "published", "draft", "closed"}, row["id"]
        assert row["prefer_local"] in {"", "true", "false"}, row["id"]
        assert _number(row["quantity"]) > 0 and _number(row["unit_price"]) > 0, row["id"]
        if row["deadline"]:
            assert dt.date.fromisoformat(row["deadline"]).year == 2027, row["id"]


def test_declared_procurement_covers_demand_lists(enterprises, demand):
    annual = {r["id"]: _number(r["annual_procurement"]) for r in enterprises[1]}
    totals = {}
    for row in demand[1]:
        value = _number(row["quantity"]) * _number(row["unit_price"])
        totals[row["enterprise_id"]] = totals.get(row["enterprise_id"], 0) + value
    for leader, total in totals.items():
        if annual.get(leader) is not None:
            assert total <= annual[leader], leader


def _item_chains(row, categories, chain_names):
    found = set()
    if row["category"] in categories:
        found.add(categories[row["category"]])
    for name in _split(row["chain"]):
        found |= chain_names.get(name.casefold(), set())
    return found


def test_every_chain_has_leaders_smes_supply_and_demand(
        chains, categories, chain_names, enterprises, supply, demand):
    members = {c["id"]: {"leader": set(), "sme": set()} for c in chains}
    for row in enterprises[1]:
        for name in _split(row["chains"]):
            for chain_id in chain_names.get(name.casefold(), ()):
                if row["role"] in ("leader", "sme"):
                    members[chain_id][row["role"]].add(row["id"])
    offered = {c for row in supply[1] for c in _item_chains(row, categories, chain_names)}
    needed = {c for row in demand[1] for c in _item_chains(row, categories, chain_names)}
    for chain in chains:
        cid = chain["id"]
        assert len(members[cid]["leader"]) >= 1, cid
        assert len(members[cid]["sme"]) >= 3, cid
        assert cid in offered, cid
        assert cid in needed, cid


# ---------------------------------------------------------------- regions

@pytest.fixture(scope="module")
def region_table():
    path = SEEDS / "regions" / "regions.csv"
    if not path.exists():
        pytest.skip("seeds/regions/regions.csv not present")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or not {"code", "name", "parent", "name_en"} <= set(rows[0]):
        pytest.skip("regions.csv has another layout")
    return {r["code"]: r for r in rows}


def _resolve(text, table):
    """Code of a region given as a code, a chain of full Chinese names
    (四川省成都市郫都区) or 'X District, City' in English; None if unknown."""
    text = text.strip()
    if text in table:
        return text
    if _is_zh(text):
        parent, rest = "", text
        while rest:
            step = [c for c, r in table.items()
                    if rest.startswith(r["name"]) and (not parent or r["parent"] == parent)]
            if not step:
                # a leading unit may be omitted (成都市双流区 without 四川省)
                step = [c for c, r in table.items() if rest.startswith(r["name"]) and not parent]
            if len(step) != 1:
                return None
            parent = step[0]
            rest = rest[len(table[parent]["name"]):]
        return parent or None
    parent = ""
    for part in reversed([p.strip() for p in text.split(",")]):
        step = [c for c, r in table.items()
                if r["name_en"].casefold() == part.casefold() and (not parent or r["parent"] == parent)]
        if len(step) != 1:
            return None
        parent = step[0]
    return parent or None


def _within(code, ancestor, table):
    while code:
        if code == ancestor:
            return True
        code = table[code]["parent"]
    return False


def test_regions_resolve_to_gbt2260_units(region_table, enterprises, demand):
    for row in enterprises[1]:
        assert _resolve(row["region"], region_table), (row["id"], row["region"])
    for row in demand[1]:
        if row["current_supplier_region"]:
            assert _resolve(row["current_supplier_region"], region_table), row["id"]


def test_leaders_local_and_most_smes_local(region_table, enterprises):
    local = {r["id"]: _within(_resolve(r["region"], region_table), HOME_REGION, region_table)
             for r in enterprises[1]}
    roles = {r["id"]: r["role"] for r in enterprises[1]}
    assert all(local[i] for i, role in roles.items() if role == "leader")
    smes = [i for i, role in roles.items() if role == "sme"]
    local_smes = sum(local[i] for i in smes)
    assert 0.6 * len(smes) <= local_smes < len(smes)


def test_demand_served_both_locally_and_remotely(region_table, demand):
    served = [r for r in demand[1] if r["current_supplier_region"]]
    local = [r for r in served
             if _within(_resolve(r["current_supplier_region"], region_table), HOME_REGION, region_table)]
    assert 0 < len(local) < len(served)
