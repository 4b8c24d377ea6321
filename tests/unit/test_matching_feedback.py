"""How verdicts move rankings: directly for their demand, weakly for the leader's similar demands."""
import numpy as np

from matchmaker.matching.feedback import DIRECT, SIMILAR_FROM, feedback_effects


def unit(*values):
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_a_verdict_moves_its_supplier_for_its_demand():
    effects = feedback_effects("D1", unit(1, 0), [{"demand_id": "D1", "enterprise_id": "A", "verdict": "dismiss",
                                                  "vector": unit(1, 0)}])
    assert effects == {"A": DIRECT["dismiss"]}


def test_a_verdict_on_a_similar_demand_moves_the_supplier_weakly_in_proportion():
    close, closer = unit(1, 0.2), unit(1, 0.05)
    far = unit(0, 1)
    verdicts = [{"demand_id": "D2", "enterprise_id": "A", "verdict": "dismiss", "vector": close},
                {"demand_id": "D3", "enterprise_id": "B", "verdict": "dismiss", "vector": closer},
                {"demand_id": "D4", "enterprise_id": "C", "verdict": "confirm", "vector": far}]
    effects = feedback_effects("D1", unit(1, 0), verdicts)
    assert float(unit(1, 0) @ close) > SIMILAR_FROM
    assert DIRECT["dismiss"] < effects["B"] < effects["A"] < 0
    assert "C" not in effects  # an unrelated demand's verdict says nothing here


def test_the_verdict_on_this_demand_wins_over_similar_ones():
    verdicts = [{"demand_id": "D1", "enterprise_id": "A", "verdict": "confirm", "vector": unit(1, 0)},
                {"demand_id": "D2", "enterprise_id": "A", "verdict": "dismiss", "vector": unit(1, 0)}]
    assert feedback_effects("D1", unit(1, 0), verdicts) == {"A": DIRECT["confirm"]}


def test_without_vectors_only_direct_verdicts_count():
    verdicts = [{"demand_id": "D2", "enterprise_id": "A", "verdict": "dismiss", "vector": None}]
    assert feedback_effects("D1", None, verdicts) == {}
