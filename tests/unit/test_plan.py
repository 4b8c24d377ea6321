"""The batch plan: hand-solved cases, never below greedy, equal to brute force on tiny instances, within limits."""
from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.analytics.localization import DemandLine, Leader, Projection
from matchmaker.docking.plan import Need, Offer, Pair, greedy, local_value, rates, remaining_capacity, solve


def _by_pair(assignments):
    return {(a.demand_item_id, a.supply_item_id): a.quantity for a in assignments}


def test_greedy_is_suboptimal_here_and_the_plan_finds_the_optimum():
    # S1 fits A (better fit) and B; S2 fits only A. Greedy gives A to S1 and leaves B empty: 1,000.
    # The optimum sends S2 to A and S1 to B: 10 x 100 + 10 x 90 = 1,900.
    needs = [Need("A", 10, 100), Need("B", 10, 90)]
    offers = [Offer("s1", "S1", 10), Offer("s2", "S2", 10)]
    pairs = [Pair("A", "s1", 0.9), Pair("B", "s1", 0.5), Pair("A", "s2", 0.5)]
    assert local_value(greedy(needs, offers, pairs)) == 1000
    plan = solve(needs, offers, pairs)
    assert _by_pair(plan) == {("A", "s2"): 10, ("B", "s1"): 10}
    assert local_value(plan) == 1900


def test_capacity_split_across_items_highest_price_first():
    # one supplier, 15 units: the dear item (price 50, qty 10) in full, 5 of the cheap one (price 10).
    needs = [Need("A", 10, 10), Need("B", 10, 50)]
    offers = [Offer("s1", "S1", 15)]
    plan = solve(needs, offers, [Pair("A", "s1"), Pair("B", "s1")])
    assert _by_pair(plan) == {("A", "s1"): 5, ("B", "s1"): 10} and local_value(plan) == 550


def test_an_item_filled_by_two_suppliers_and_a_chain_of_reassignments():
    # A (price 5, qty 8) fits s1, s2; B (price 7, qty 4) fits s2, s3; C (price 9, qty 3) fits s3.
    # s1 cap 5, s2 cap 6, s3 cap 4. Optimum: C 3 from s3, B 1 from s3 + 3 from s2, A 5 from s1 + 3 from s2
    # = 27 + 28 + 40 = 95 (everything sourced: 3 + 4 + 8 = 15 = the 15 units of capacity).
    needs = [Need("A", 8, 5), Need("B", 4, 7), Need("C", 3, 9)]
    offers = [Offer("s1", "S1", 5), Offer("s2", "S2", 6), Offer("s3", "S3", 4)]
    pairs = [Pair("A", "s1"), Pair("A", "s2"), Pair("B", "s2"), Pair("B", "s3"), Pair("C", "s3")]
    plan = solve(needs, offers, pairs)
    assert local_value(plan) == 95
    _within_limits(needs, offers, pairs, plan)


def test_units_must_agree_or_be_missing():
    needs = [Need("A", 10, 10, unit="pcs"), Need("B", 10, 10, unit="t"), Need("C", 10, 10)]
    offers = [Offer("s1", "S1", 100, unit="件")]
    plan = solve(needs, offers, [Pair("A", "s1"), Pair("B", "s1"), Pair("C", "s1")])
    assert set(_by_pair(plan)) == {("A", "s1"), ("C", "s1")}


def test_fractional_quantities_and_pairs_outside_the_input_are_ignored():
    needs = [Need("A", 2.5, 4)]
    offers = [Offer("s1", "S1", 1.25), Offer("s0", "S0", 0)]
    plan = solve(needs, offers, [Pair("A", "s1"), Pair("A", "s0"), Pair("Z", "s1"), Pair("A", "zz")])
    assert _by_pair(plan) == {("A", "s1"): 1.25} and local_value(plan) == 5


def test_rates_before_and_after_come_from_the_localization_module():
    p = Projection([Leader("L", annual_procurement=1000, local_procurement=400, chain_ids=("nev",))],
                   [DemandLine("A", "L", 100, False, "nev")], [], {"nev": 0.4})
    plan = solve([Need("A", 10, 10)], [Offer("s1", "S1", 5)], [Pair("A", "s1")])
    before, after = rates(p, "nev", plan)
    assert before == 0.4 and math.isclose(after, 0.45)
    assert rates(p, None, plan) == (before, after)


# -- random small instances ----------------------------------------------------------------

@st.composite
def instances(draw, max_needs=4, max_offers=3):
    needs = [Need(f"D{i}", draw(st.integers(1, 12)), draw(st.integers(1, 60)))
             for i in range(draw(st.integers(1, max_needs)))]
    offers = [Offer(f"s{j}", f"S{j}", draw(st.integers(0, 15))) for j in range(draw(st.integers(1, max_offers)))]
    edges = draw(st.sets(st.tuples(st.sampled_from(needs), st.sampled_from(offers)), max_size=8))
    pairs = [Pair(n.id, o.id, draw(st.floats(0.4, 1.0))) for n, o in edges]
    return needs, offers, pairs


def _within_limits(needs, offers, pairs, plan):
    allowed = {(p.demand_id, p.supply_item_id) for p in pairs}
    for n in needs:
        assert sum(a.quantity for a in plan if a.demand_item_id == n.id) <= n.quantity + 1e-9
    for o in offers:
        assert sum(a.quantity for a in plan if a.supply_item_id == o.id) <= o.capacity + 1e-9
    assert all((a.demand_item_id, a.supply_item_id) in allowed and a.quantity > 0 for a in plan)


def _brute_force(needs, offers, pairs) -> float:
    """Best value over every integer split (tiny instances only)."""
    price = {n.id: n.unit_price for n in needs}
    best = 0.0
    ranges = [range(0, int(min(next(n.quantity for n in needs if n.id == p.demand_id),
                                next(o.capacity for o in offers if o.id == p.supply_item_id))) + 1) for p in pairs]
    for amounts in itertools.product(*ranges):
        used_q, used_c = {}, {}
        for p, x in zip(pairs, amounts):
            used_q[p.demand_id] = used_q.get(p.demand_id, 0) + x
            used_c[p.supply_item_id] = used_c.get(p.supply_item_id, 0) + x
        if all(used_q.get(n.id, 0) <= n.quantity for n in needs) and all(
                used_c.get(o.id, 0) <= o.capacity for o in offers):
            best = max(best, sum(price[p.demand_id] * x for p, x in zip(pairs, amounts)))
    return best


@settings(max_examples=300, deadline=None)
@given(instances(max_needs=6, max_offers=5))
def test_the_plan_is_never_below_greedy_and_never_exceeds_a_capacity_or_quantity(instance):
    needs, offers, pairs = instance
    plan = solve(needs, offers, pairs)
    _within_limits(needs, offers, pairs, plan)
    assert local_value(plan) >= local_value(greedy(needs, offers, pairs))


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: instances(max_needs=n, max_offers=2)))
def test_the_plan_equals_brute_force_on_tiny_instances(instance):
    needs, offers, pairs = instance
    pairs = pairs[:4]
    needs = [Need(n.id, min(n.quantity, 5), n.unit_price) for n in needs]
    offers = [Offer(o.id, o.supplier_id, min(o.capacity, 6)) for o in offers]
    assert local_value(solve(needs, offers, pairs)) == _brute_force(needs, offers, pairs)


def test_remaining_capacity_charges_named_items_and_spreads_unnamed_contracts_in_category_and_unit():
    items = [{"id": "a", "supplier_id": "S", "capacity": 100, "unit": "pcs", "category_id": "k"},
             {"id": "b", "supplier_id": "S", "capacity": 50, "unit": "件", "category_id": "k"},
             {"id": "c", "supplier_id": "S", "capacity": 70, "unit": "t", "category_id": "k"},
             {"id": "d", "supplier_id": "S", "capacity": None, "unit": "pcs", "category_id": "k"}]
    contracts = [{"supplier_id": "S", "supply_item_id": "a", "quantity": 30},
                 {"supplier_id": "S", "supply_item_id": None, "quantity": 100, "category_id": "k", "unit": "pcs"}]
    # a: 100 - 30 = 70; the unnamed 100 pcs take 70 from a (largest left), then 30 from b; c is in tons.
    assert remaining_capacity(items, contracts) == {"a": 0.0, "b": 20.0, "c": 70.0, "d": 0.0}


def test_the_xlsx_export_keeps_numbers_and_neutralises_formulas():
    import io

    from openpyxl import load_workbook

    from matchmaker.docking.plan_export import plan_xlsx

    plan = {"chain": "nev", "local_value": 1900.0, "greedy_local_value": 1000.0, "rate_before": 0.4,
            "rate_after": 0.45, "assignments": [{"demand_item_id": "A", "supplier_id": "S2", "supply_item_id": "s2",
                                                 "quantity": 10.0, "value": 1000.0, "fit": 0.5,
                                                 "leader_name": "=HYPERLINK(\"x\")"}]}
    book = load_workbook(io.BytesIO(plan_xlsx(plan, {"quantity": "数量"})))
    rows = list(book["plan"].values)
    assert rows[0][8] == "数量" and rows[1][2] == "A" and rows[1][8] == 10.0
    assert not str(rows[1][1]).startswith("=")
    assert dict(book["totals"].values)["local_value"] == 1900.0


def test_each_part_takes_the_cheapest_exact_route():
    stats: dict = {}
    needs = [Need("A", 10, 100), Need("B", 10, 90), Need("C", 5, 10), Need("D", 5, 10), Need("E", 1, 1)]
    offers = [Offer("s1", "S1", 10), Offer("s2", "S2", 10), Offer("s3", "S3", 100), Offer("s4", "S4", 100)]
    pairs = [Pair("A", "s1", 0.9), Pair("B", "s1", 0.5), Pair("A", "s2", 0.5),     # greedy falls short: flow
             Pair("C", "s3"), Pair("D", "s3"), Pair("C", "s4"), Pair("D", "s4"),   # ample capacity: bound
             Pair("E", "s3")]
    pairs = pairs[:7] + [Pair("E", "zz")]                                        # E has no usable pair
    plan = solve(needs + [Need("F", 3, 3)], offers + [Offer("s5", "S5", 1)], pairs + [Pair("F", "s5")], stats)
    assert stats == {"flow": 1, "bound": 1, "single": 1}
    assert local_value(plan) == 1900 + 100 + 3
