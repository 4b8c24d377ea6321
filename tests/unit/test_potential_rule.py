"""The potential's rule, with a fake engine: only a local, fully qualified, good best suggestion counts."""
from types import SimpleNamespace

from matchmaker.matching.ranking import GOOD_FIT
from matchmaker.services.potential import check, fits_locally


def _best(local=True, missing=(), score=GOOD_FIT):
    return SimpleNamespace(local=local, missing_certifications=list(missing), score=score)


def test_the_best_suggestion_must_be_local_qualified_and_good():
    assert fits_locally([_best()])
    assert not fits_locally([])
    assert not fits_locally([_best(local=False), _best()])        # a local second-best does not count
    assert not fits_locally([_best(missing=["IATF16949"])])
    assert not fits_locally([_best(score=GOOD_FIT - 0.01)])


class FakeEngine:
    def __init__(self, answers):
        self.answers, self.asked = answers, []

    def suppliers_for_many(self, demands, filters, limit=10):
        self.asked.append(([d["id"] for d in demands], limit))
        return [self.answers[d["id"]] for d in demands]


def test_check_asks_once_for_the_whole_batch_and_for_the_best_only():
    engine = FakeEngine({"D1": [_best()], "D2": [_best(local=False)], "D3": []})
    assert check(engine, [{"id": "D1"}, {"id": "D2"}, {"id": "D3"}]) == {"D1": True, "D2": False, "D3": False}
    assert engine.asked == [(["D1", "D2", "D3"], 1)]
