"""How a leader's verdicts move later rankings. Pure.

A verdict on (demand, supplier) moves that supplier for that demand strongly
(a dismissed supplier drops below every other; a confirmed one rises a band or
two) and, more weakly and in proportion to how alike the texts are, for the
leader's other demands that read like it.
"""
from __future__ import annotations

import numpy as np

VERDICTS = ("confirm", "dismiss")
DIRECT = {"confirm": 0.2, "dismiss": -1.0}
SIMILAR = {"confirm": 0.2, "dismiss": -0.6}
SIMILAR_FROM = 0.9   # cosine above which another demand of the leader counts as "similar"


def feedback_effects(demand_id: str, demand_vector: np.ndarray | None, verdicts: list[dict]) -> dict[str, float]:
    """{supplier enterprise id: score adjustment} from the leader's latest verdicts.

    Each verdict is {demand_id, enterprise_id, verdict, vector (of its demand's text, or None)}.
    """
    effects: dict[str, float] = {}
    direct = {v["enterprise_id"]: DIRECT[v["verdict"]] for v in verdicts if v["demand_id"] == demand_id}
    for verdict in verdicts:
        if verdict["demand_id"] == demand_id or verdict["enterprise_id"] in direct:
            continue
        similarity = _similarity(demand_vector, verdict.get("vector"))
        if similarity >= SIMILAR_FROM:
            weight = SIMILAR[verdict["verdict"]] * (similarity - SIMILAR_FROM) / (1 - SIMILAR_FROM)
            firm = verdict["enterprise_id"]
            effects[firm] = _stronger(effects.get(firm, 0.0), weight)
    return {**effects, **direct}


def _similarity(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    a, b = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norms if norms else 0.0


def _stronger(a: float, b: float) -> float:
    return a if abs(a) >= abs(b) else b
