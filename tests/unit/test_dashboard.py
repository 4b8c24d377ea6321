"""The dashboard's rates from per-leader totals equal the rates from the per-item projection."""
from __future__ import annotations

import math
import random

from matchmaker.analytics.localization import (Contract, DemandLine, ItemSums, Leader, Projection, breakdown,
                                               summed_breakdown)
from matchmaker.services.dashboard import leader_projection


def _random_projection(rng: random.Random) -> Projection:
    chains = ["nev", "rail", "ic"]
    leaders = []
    for i in range(8):
        declared = rng.random() < 0.4
        annual = rng.randrange(1000, 5000) if declared else None
        local = rng.randrange(0, annual) if declared and rng.random() < 0.7 else None
        leaders.append(Leader(f"L{i}", annual_procurement=annual, local_procurement=local,
                              chain_ids=tuple(rng.sample(chains, rng.randrange(1, 3)))))
    demands, contracts = [], []
    for j in range(60):
        leader = rng.choice(leaders)
        d = DemandLine(f"D{j}", leader.id, float(rng.randrange(0, 900)), rng.random() < 0.35,
                       rng.choice(leader.chain_ids), status=rng.choice(["published", "published", "closed", "draft"]))
        demands.append(d)
        for k in range(rng.randrange(0, 3)):
            contracts.append(Contract(f"G{j}-{k}", d.id, float(rng.randrange(0, 500)), rng.random() < 0.7,
                                      rng.choice(["contracted", "contracted", "samples"])))
    return Projection(leaders, demands, contracts, {c: rng.choice([0.4, 0.5, None]) for c in chains})


def _totals(p: Projection) -> tuple[list[dict], dict[str, float]]:
    """What graph.dashboard.rate_totals reads, computed from the projection as its Cypher does."""
    served = {d.id: d.current_supplier_local for d in p.demands}
    owner = {d.id: d.leader_id for d in p.demands}
    rows = []
    for l in p.leaders:
        own = [d for d in p.demands if d.leader_id == l.id and d.status in ("published", "closed")]
        rows.append({"id": l.id, "annual": l.annual_procurement, "declared_local": l.local_procurement,
                     "chains": list(l.chain_ids), "total": sum(d.value for d in own),
                     "local": sum(d.value for d in own if d.current_supplier_local)})
    contracted: dict[str, float] = {}
    for c in p.contracts:
        if c.status == "contracted" and c.supplier_local and not served[c.demand_id] and c.value > 0:
            contracted[owner[c.demand_id]] = contracted.get(owner[c.demand_id], 0.0) + c.value
    return rows, contracted


def test_chain_and_leader_rates_from_totals_equal_those_from_items():
    for seed in range(40):
        p = _random_projection(random.Random(seed))
        full = breakdown(p)
        fast = breakdown(leader_projection(*_totals(p), p.targets))
        for chain in p.targets:
            a, b = full["chains"][chain], fast["chains"][chain]
            assert (a.rate is None) == (b.rate is None), (seed, chain)
            if a.rate is not None:
                assert math.isclose(a.rate, b.rate, abs_tol=1e-9), (seed, chain)
            assert math.isclose(a.total, b.total) and math.isclose(a.contracted_value, b.contracted_value)
            assert math.isclose(a.local_value, b.local_value) and a.target == b.target
        for leader in full["leaders"]:
            assert math.isclose(full["leaders"][leader].rate or 0, fast["leaders"][leader].rate or 0, abs_tol=1e-9)


def _sums(p: Projection, potential_ids: set[str]) -> tuple[dict, dict]:
    """Each leader's items summed as services.rate_inputs sums the list index's columns."""
    served = {d.id: d.current_supplier_local for d in p.demands}
    owner = {d.id: d.leader_id for d in p.demands}
    contracts: dict[str, list[Contract]] = {}
    for c in p.contracts:
        if c.status == "contracted" and c.supplier_local and not served[c.demand_id] and c.value > 0:
            contracts.setdefault(owner[c.demand_id], []).append(c)
    contracted = {c.demand_id for cs in contracts.values() for c in cs}
    sums = {}
    for l in p.leaders:
        own = [d for d in p.demands if d.leader_id == l.id and d.status in ("published", "closed")]
        local = [d for d in own if d.current_supplier_local]
        potential = [d for d in own if d.status == "published" and not d.current_supplier_local
                     and d.id not in contracted and d.id in potential_ids]
        sums[l.id] = ItemSums(sum(d.value for d in own), sum(d.value for d in local), tuple(d.id for d in local),
                              sum(d.value for d in potential), tuple(d.id for d in potential))
    return sums, contracts


def test_every_chain_from_summed_items_equals_the_per_item_breakdown():
    for seed in range(40):
        rng = random.Random(seed)
        p = _random_projection(rng)
        potential = {d.id for d in p.demands if rng.random() < 0.3}
        full = breakdown(p, None, potential)
        summed = summed_breakdown(p.leaders, *_sums(p, potential), p.targets)
        for scope in ("chains", "leaders"):
            for key, figure in full[scope].items():
                a, b = figure.as_dict(), summed[scope][key].as_dict()
                for number in ("total", "local_value", "contracted_value", "potential_value"):
                    assert math.isclose(a.pop(number), b.pop(number), abs_tol=1e-6), (seed, scope, key, number)
                for rate in ("rate", "potential_rate"):
                    assert (a[rate] is None and b[rate] is None) or math.isclose(a[rate], b[rate], abs_tol=1e-6)
                    a.pop(rate), b.pop(rate)
                assert a == b, (seed, scope, key)
        assert math.isclose(full["all"].total, summed["all"].total)
