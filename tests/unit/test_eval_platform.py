"""The platform evaluation's supplier-level reading of item judgments, and local-first@1."""
from bench.eval.platform import local_first_at_1, supplier_grades


def test_a_supplier_is_graded_by_its_best_item():
    firm_of = {"S1": "A", "S2": "A", "S3": "B", "S9": None}
    assert supplier_grades({"S1": 1, "S2": 3, "S3": 2, "S9": 3, "S404": 3}, firm_of) == {"A": 3, "B": 2}


def test_local_first_at_1_counts_only_demands_that_can_show_it():
    grades, local = {"L": 3, "F": 3, "W": 2}, {"L": True, "F": False, "W": True}
    assert local_first_at_1(["L", "F"], grades, local) == 1.0
    assert local_first_at_1(["F", "L"], grades, local) == 0.0
    assert local_first_at_1(["W", "L"], grades, local) == 0.0            # local, but not of the best grade
    assert local_first_at_1(["F"], {"F": 3, "W": 2}, local) is None      # no local supplier of the best grade
    assert local_first_at_1([], {"L": 1}, local) is None                 # nothing relevant at all
