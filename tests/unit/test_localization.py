"""Localization rates: the DESIGN.md example by hand, and the invariants over random projections (hypothesis)."""
from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.analytics.localization import (Contract, DemandLine, Leader, Projection, breakdown, chain_figure,
                                               group_figure, leader_figure, with_contracts)


def test_the_design_example_forty_then_forty_five_percent():
    leader = Leader("L1", annual_procurement=1_000_000_000, local_procurement=400_000_000, chain_ids=("nev",))
    shanghai = DemandLine("D1", "L1", 50_000_000, current_supplier_local=False, chain_id="nev")
    p = Projection([leader], [shanghai], [], {"nev": 0.4})
    assert leader_figure(p, leader).rate == 0.4
    after = with_contracts(p, [Contract("G-1", "D1", 50_000_000)])
    fig = leader_figure(after, leader)
    assert math.isclose(fig.rate, 0.45) and fig.engagements == ["G-1"] and fig.declared_total
    chain = chain_figure(after, "nev")
    assert math.isclose(chain.rate, 0.45) and chain.target == 0.4


def test_item_based_figures_and_what_does_not_count():
    leader = Leader("L1", chain_ids=("rail",))
    demands = [DemandLine("D1", "L1", 100, True, "rail", "rail.up", "rail.a"),
               DemandLine("D2", "L1", 300, False, "rail", "rail.up", "rail.b"),
               DemandLine("D3", "L1", 600, False, "rail", "rail.mid", "rail.c"),
               DemandLine("D4", "L1", 999, False, "rail", "rail.mid", "rail.c", status="draft")]
    contracts = [Contract("G-ok", "D2", 150), Contract("G-far", "D3", 600, supplier_local=False),
                 Contract("G-open", "D3", 600, status="samples"), Contract("G-served", "D1", 100)]
    p = Projection([leader], demands, contracts, {"rail": 0.5})
    fig = leader_figure(p, leader, potential_ids={"D3", "D1", "D4"})
    assert (fig.total, fig.local_value, fig.contracted_value) == (1000, 100, 150)
    assert fig.rate == 0.25 and fig.local_items == ["D1"] and fig.engagements == ["G-ok"]
    assert fig.potential_items == ["D3"] and fig.potential_rate == 0.85
    cat = group_figure(p, "category", "rail.b")
    assert (cat.total, cat.rate) == (300, 0.5)
    seg = breakdown(p, "rail")["segments"]["rail.mid"]
    assert (seg.total, seg.rate) == (600, 0.0)


def test_an_undefined_rate_is_none():
    p = Projection([Leader("L1", chain_ids=("x",))], [], [], {"x": None})
    assert leader_figure(p, p.leaders[0]).rate is None and chain_figure(p, "x").rate is None


# -- invariants over random projections -------------------------------------------------

values = st.integers(min_value=1, max_value=10_000).map(float)


@st.composite
def projections(draw):
    chains = ["a", "b"]
    leaders = []
    for i in range(draw(st.integers(1, 4))):
        declared = draw(st.booleans())
        total = draw(st.integers(1, 100_000)) if declared else None
        local = draw(st.integers(0, total)) if declared and draw(st.booleans()) else None
        leaders.append(Leader(f"L{i}", annual_procurement=total, local_procurement=local,
                              chain_ids=tuple(draw(st.lists(st.sampled_from(chains), min_size=1, unique=True)))))
    demands = [DemandLine(f"D{j}", draw(st.sampled_from(leaders)).id, draw(values), draw(st.booleans()),
                          draw(st.sampled_from(chains)), None, draw(st.sampled_from(["k1", "k2"])),
                          draw(st.sampled_from(["published", "published", "closed", "draft"])))
               for j in range(draw(st.integers(0, 8)))]
    contracts = [Contract(f"G{k}", draw(st.sampled_from(demands)).id, draw(values), draw(st.booleans()),
                          draw(st.sampled_from(["contracted", "samples"])))
                 for k in range(draw(st.integers(0, 4)))] if demands else []
    return Projection(leaders, demands, contracts, {c: 0.4 for c in chains})


def _rates(figures):
    return [f.rate for f in figures if f.rate is not None] + [f.potential_rate for f in figures
                                                               if f.potential_rate is not None]


@settings(max_examples=200, deadline=None)
@given(projections(), st.data())
def test_every_rate_lies_between_zero_and_one_and_potential_is_at_least_today(p, data):
    potential = data.draw(st.sets(st.sampled_from([d.id for d in p.demands] or ["none"])))
    out = breakdown(p, "a", potential)
    figures = [*out["chains"].values(), *out["leaders"].values(), *out["segments"].values(),
               *out["categories"].values(), out["all"]]
    assert all(0 <= r <= 1 for r in _rates(figures))
    for f in figures:
        if f.rate is not None:
            assert f.potential_rate >= f.rate


@settings(max_examples=200, deadline=None)
@given(projections())
def test_a_chains_rate_is_the_value_weighted_mean_of_its_leaders(p):
    for chain in ("a", "b"):
        members = [leader_figure(p, l) for l in p.leaders if chain in l.chain_ids]
        total = sum(f.total for f in members)
        got = chain_figure(p, chain).rate
        if total == 0:
            assert got is None
        else:
            assert math.isclose(got, sum(f.total * f.rate for f in members if f.rate is not None) / total,
                                rel_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(projections(), st.data())
def test_contracting_a_local_match_on_an_item_served_elsewhere_raises_the_rate_by_its_value_share(p, data):
    elsewhere = [d for d in p.demands if not d.current_supplier_local]
    if not elsewhere:
        return
    item = data.draw(st.sampled_from(elsewhere))
    value = data.draw(values)
    leader = next(l for l in p.leaders if l.id == item.leader_id)
    before = leader_figure(p, leader)
    after = leader_figure(with_contracts(p, [Contract("new", item.id, value)]), leader)
    if before.total == 0:
        return
    uncapped = before.local_value + before.contracted_value + value <= before.total
    if uncapped:
        assert math.isclose(after.rate - before.rate, value / before.total, rel_tol=1e-9, abs_tol=1e-12)
    else:
        assert after.rate == 1.0
    for chain in leader.chain_ids:
        c0 = chain_figure(p, chain)
        c1 = chain_figure(with_contracts(p, [Contract("new", item.id, value)]), chain)
        if uncapped:
            assert math.isclose(c1.rate - c0.rate, value / c0.total, rel_tol=1e-9, abs_tol=1e-12)
        else:
            assert c1.rate >= c0.rate
