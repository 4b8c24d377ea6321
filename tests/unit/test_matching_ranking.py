"""The ranking rules: bands of equal fit, qualified before unqualified, local first among equals."""
from datetime import date

from matchmaker.matching.ranking import GOOD_FIT, MIN_FIT, STRONG_FIT, ItemFit, Need, grade, rank_suppliers

TODAY = date(2026, 11, 30)


def fit(firm, value, local=False, certs=(), capacity=None, unit=None, tier=None, item=None):
    return ItemFit(item or f"S-{firm}", firm, value, certifications=list(certs), capacity=capacity, unit=unit,
                   local=local, tier=tier)


def order(need, fits, **kw):
    return [s.enterprise_id for s in rank_suppliers(need, fits, today=TODAY, **kw)]


def test_local_first_among_equal_fits():
    need = Need("D-1")
    assert order(need, [fit("far", 0.98), fit("near", STRONG_FIT + 0.01, local=True)]) == ["near", "far"]


def test_grades():
    assert [grade(s) for s in (0.1, MIN_FIT, GOOD_FIT, STRONG_FIT, 1.0)] == [0, 1, 2, 3, 3]


def test_a_clearly_weaker_local_supplier_never_outranks_a_fitting_non_local_one():
    need = Need("D-1")
    assert order(need, [fit("far", 0.9), fit("near", STRONG_FIT - 0.02, local=True)]) == ["far", "near"]


def test_local_preference_off_keeps_the_score_order():
    need = Need("D-1", prefer_local=False)
    assert order(need, [fit("far", 0.84), fit("near", 0.81, local=True)]) == ["far", "near"]


def test_irrelevant_items_are_not_suggested():
    assert order(Need("D-1"), [fit("a", MIN_FIT / 2, local=True)]) == []


def test_missing_certificate_ranks_below_every_qualified_supplier_of_equal_fit_and_is_shown():
    need = Need("D-1", required_certifications=["IATF16949"])
    ranked = rank_suppliers(need, [fit("uncertified", 0.86, local=True), fit("certified", 0.81, certs=["IATF16949"])],
                            today=TODAY)
    assert [s.enterprise_id for s in ranked] == ["certified", "uncertified"]
    assert ranked[1].missing_certifications == ["IATF16949"]
    assert ranked[1].components["certifications_missing"] == ["IATF16949"]
    assert ranked[0].components["certifications_met"] == ["IATF16949"]


def test_an_expired_certificate_counts_as_missing():
    need = Need("D-1", required_certifications=["ISO13485"])
    ranked = rank_suppliers(need, [fit("a", 0.9, certs=["ISO13485@2025-01-01"])], today=TODAY)
    assert ranked[0].missing_certifications == ["ISO13485"]
    ranked = rank_suppliers(need, [fit("a", 0.9, certs=["iso13485@2027-01-01"])], today=TODAY)
    assert ranked[0].missing_certifications == []


def test_one_suggestion_per_supplier_with_its_best_item_first():
    ranked = rank_suppliers(Need("D-1"), [fit("a", 0.5, item="S-1"), fit("a", 0.9, item="S-2"), fit("b", 0.7)],
                            today=TODAY)
    assert [s.enterprise_id for s in ranked] == ["a", "b"]
    assert [i.item_id for i in ranked[0].items] == ["S-2", "S-1"]


def test_capacity_short_of_the_quantity_lowers_the_score_and_units_must_agree():
    need = Need("D-1", quantity=10000, unit="件")
    full, short = rank_suppliers(need, [fit("full", 0.8, capacity=20000, unit="pcs"),
                                        fit("short", 0.8, capacity=1000, unit="pcs")], today=TODAY)
    assert (full.enterprise_id, short.enterprise_id) == ("full", "short")
    assert full.components["capacity_cover"] == 1.0 and short.components["capacity_cover"] == 0.1
    other_unit = rank_suppliers(need, [fit("t", 0.8, capacity=5, unit="t")], today=TODAY)[0]
    assert other_unit.components["capacity_cover"] is None


def test_feedback_moves_a_supplier():
    need = Need("D-1")
    fits = [fit("a", 0.85), fit("b", 0.84)]
    assert order(need, fits, feedback={"a": -1.0}) == ["b", "a"]
    assert order(need, fits, feedback={"b": 0.2}) == ["b", "a"]
