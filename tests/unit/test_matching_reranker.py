"""The shipped re-ranker: Platt-scaled probabilities that keep the model's order."""
import numpy as np

from matchmaker.matching.features import NAMES
from matchmaker.matching.reranker import Reranker, load_reranker


def test_calibration_maps_the_logit_and_keeps_the_order():
    weights = {"bias": 0.5, "lexical": 2.0}
    raw, scaled = Reranker(weights), Reranker(weights, calibration=(0.5, -1.0))
    features = np.zeros((3, len(NAMES)))
    features[:, 0] = 1.0
    features[:, 1] = [0.0, 0.5, 1.0]
    logit = raw.logit(features)
    assert np.allclose(scaled.fit_probability(features), 1 / (1 + np.exp(-(0.5 * logit - 1.0))))
    assert list(np.argsort(raw.fit_probability(features))) == list(np.argsort(scaled.fit_probability(features)))


def test_both_shipped_models_load_with_their_calibration():
    for with_encoder in (True, False):
        model = load_reranker(with_encoder)
        assert len(model.weights) == len(NAMES) and model.calibration[0] > 0


def test_the_shipped_models_were_trained_on_todays_features():
    import json

    from matchmaker.matching.reranker import WEIGHTS_FILES
    for path in WEIGHTS_FILES.values():
        assert json.loads(path.read_text(encoding="utf-8"))["features"] == list(NAMES)
