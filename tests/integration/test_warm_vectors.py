"""Text vectors stored by the write paths on the real graph server: imports, the API, `seed generate`."""
from __future__ import annotations

import time

import pytest

from matchmaker.matching import warm
from matchmaker.matching.encoder import default_encoder
from matchmaker.matching.vectors import VectorStore
from matchmaker.services.imports import import_file
from tests.helpers import HOME, bearer, firm_with_token, gen_enterprise, uid


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self):
        self.inner = default_encoder()
        self.name, self.dim, self.encoded = self.inner.name, self.inner.dim, []

    def encode(self, texts, batch_size=64, role="query"):
        self.encoded.extend(texts)
        return self.inner.encode(texts, batch_size, role)


def _csv(firm_id: str, rows: list[tuple[str, str]]) -> bytes:
    lines = ["id,enterprise_id,name,description"] + [f"{uid('S')},{firm_id},{n},{d}" for n, d in rows]
    return "\n".join(lines).encode()


def test_an_import_stores_one_vector_per_distinct_text_and_a_reimport_encodes_nothing(db, tmp_path):
    firm, encoder = gen_enterprise(db), CountingEncoder()
    store = VectorStore(tmp_path / "vectors.sqlite3", encoder)
    rows = [("电子水泵", "12V 80W"), ("IGBT模块", "750V"), ("电子水泵", "12V 80W"), ("wire harness", "PVC")]
    data, steps = _csv(firm["id"], rows), []
    report = import_file(db, "supply", data, "parts.csv", home_region=HOME, vectors=store,
                         vector_progress=steps.append)
    assert report.written == 4 and store.count() == 3 and sum(steps) == 3
    assert sorted(encoder.encoded) == ["IGBT模块 750V", "wire harness PVC", "电子水泵 12V 80W"]

    encoder.encoded.clear()
    again = import_file(db, "supply", data, "parts.csv", home_region=HOME, vectors=store)
    assert again.written == 4 and encoder.encoded == [] and store.count() == 3


def test_a_dry_run_or_a_refused_file_encodes_nothing(db, tmp_path):
    firm, encoder = gen_enterprise(db), CountingEncoder()
    store = VectorStore(tmp_path / "vectors.sqlite3", encoder)
    import_file(db, "supply", _csv(firm["id"], [("电子水泵", "")]), "a.csv", home_region=HOME, dry_run=True,
                vectors=store)
    refused = import_file(db, "supply", _csv("E-NOBODY", [("电子水泵", "")]), "b.csv", home_region=HOME,
                          vectors=store)
    assert refused.errors and not refused.applied and encoder.encoded == [] and store.count() == 0


def test_items_written_through_the_api_have_their_vectors_stored_before_any_match(app, client, db):
    _firm, _user, token = firm_with_token(db)
    store = app.extensions["matching"].vectors
    created = client.post("/api/v1/supply-items", json={"name": "电子膨胀阀", "description": "热泵空调用"},
                          headers=bearer(token))
    assert created.status_code == 201, created.get_json()
    assert store.count() == 1
    item_id = created.get_json()["data"]["id"]
    same_text = client.patch(f"/api/v1/supply-items/{item_id}", json={"capacity": 500}, headers=bearer(token))
    assert same_text.status_code == 200 and store.count() == 1
    new_text = client.patch(f"/api/v1/supply-items/{item_id}", json={"description": "热泵空调用，R744"},
                            headers=bearer(token))
    assert new_text.status_code == 200 and store.count() == 2


@pytest.fixture
def runner(app, graph_server, monkeypatch):
    for name in ("uri", "user", "password", "database"):
        monkeypatch.setenv(f"NEO4J_{name.upper()}", getattr(graph_server, name))
    return app.test_cli_runner()


def test_seed_generate_and_the_import_command_store_vectors_with_their_bars(app, runner, db, tmp_path):
    store = app.extensions["matching"].vectors
    seeded = runner.invoke(args=["seed", "generate", "--enterprises", "4", "--items", "3", "--seed", "7"])
    assert seeded.exit_code == 0, seeded.output
    assert store.count() == 3 and "vectors" in seeded.output

    firm = gen_enterprise(db)
    path = tmp_path / "parts.csv"
    path.write_bytes(_csv(firm["id"], [("减速器", "RV"), ("减速器", "RV")]))
    imported = runner.invoke(args=["import", "--kind", "supply", str(path)])
    assert imported.exit_code == 0, imported.output
    assert store.count() == 4  # one new text; its bar shows on a terminal only, like the writing bar


def test_an_import_inside_a_request_context_stores_its_vectors_in_the_background(db, tmp_path):
    firm, encoder = gen_enterprise(db), CountingEncoder()
    store = VectorStore(tmp_path / "vectors.sqlite3", encoder)
    token = warm.bind(lambda: store)  # what warm.install does around every request
    try:
        report = import_file(db, "supply", _csv(firm["id"], [("谐波减速器", "精密")]), "a.csv", home_region=HOME)
    finally:
        warm.unbind(token)
    deadline = time.monotonic() + 120
    while store.count() < 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert report.written == 1 and store.count() == 1 and encoder.encoded == ["谐波减速器 精密"]
