"""Text vectors at write time (matchmaker.matching.warm) over a real VectorStore and the real encoder,
counted by a wrapper: only texts never seen are encoded, progress is reported, a failure never fails a write."""
from __future__ import annotations

import logging

import pytest

from matchmaker.matching import warm
from matchmaker.matching.encoder import default_encoder
from matchmaker.matching.vectors import VectorStore
from matchmaker.services import items as service
from matchmaker.services.permissions import Principal
from tests.unit.fake_items import FakeItemRepository

HOME = "510100"
SME = Principal("u-a", "sme", "E-A", "a@test.cn")


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self):
        self.inner = default_encoder()
        self.name, self.dim, self.encoded = self.inner.name, self.inner.dim, []

    def encode(self, texts, batch_size=64, role="query"):
        self.encoded.extend(texts)
        return self.inner.encode(texts, batch_size, role)


class BrokenStore:
    def vectors(self, texts, progress=None):
        raise OSError("disk full")


@pytest.fixture
def encoder():
    return CountingEncoder()


@pytest.fixture
def store(tmp_path, encoder):
    return VectorStore(tmp_path / "vectors.sqlite3", encoder)


def _records(*texts):
    return [{"id": f"S-{i}", "props": {"name": name, "description": description}}
            for i, (name, description) in enumerate(texts)]


def test_rows_are_encoded_once_per_distinct_text_in_batches_with_progress(store, encoder):
    records = _records(("电子水泵", "12V"), ("IGBT模块", None), ("电子水泵", "12V"), ("wire harness", "PVC"))
    steps = []
    assert warm.warm_rows(store, records, steps.append, batch=2) == 3
    assert steps == [2, 1] and store.count() == 3
    assert sorted(encoder.encoded) == sorted(["电子水泵 12V", "IGBT模块", "wire harness PVC"])

    encoder.encoded.clear()
    assert warm.warm_rows(store, records + _records(("磁钢", "钕铁硼")), steps.append) == 4
    assert encoder.encoded == ["磁钢 钕铁硼"] and store.count() == 4


def test_without_a_store_nothing_is_encoded_and_a_failure_is_logged_not_raised(caplog):
    assert warm.warm_rows(None, _records(("电子水泵", ""))) == 0
    with caplog.at_level(logging.ERROR, logger=warm.__name__):
        assert warm.warm_rows(BrokenStore(), _records(("电子水泵", ""))) == 0
        assert warm.warm_item({"id": "S-1", "name": "电子水泵"}, BrokenStore()) is False
    assert "text vector of item S-1 not stored" in caplog.text


@pytest.fixture
def repo() -> FakeItemRepository:
    return FakeItemRepository({"E-A": {"role": "sme", "local": True, "tier": "none", "name": "甲公司"}})


def test_the_item_service_warms_the_bound_store_on_create_and_only_changed_texts_on_update(repo, store, encoder):
    token = warm.bind(lambda: store)
    try:
        item = service.create_item(repo, SME, "supply", {"name": "精密齿轮", "description": "模数2"}, HOME)
        service.update_item(repo, SME, "supply", item["id"], {"capacity": 5.0}, HOME)
        assert encoder.encoded == ["精密齿轮 模数2"]
        service.update_item(repo, SME, "supply", item["id"], {"description": "模数3"}, HOME)
    finally:
        warm.unbind(token)
    assert encoder.encoded == ["精密齿轮 模数2", "精密齿轮 模数3"] and store.count() == 2


def test_a_failing_store_never_fails_the_write(repo):
    token = warm.bind(lambda: BrokenStore())
    try:
        item = service.create_item(repo, SME, "supply", {"name": "精密齿轮"}, HOME)
    finally:
        warm.unbind(token)
    assert repo.get("supply", item["id"])["name"] == "精密齿轮"

