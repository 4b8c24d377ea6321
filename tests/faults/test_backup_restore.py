"""backup and restore: the graph and the text vectors come back equal, record by record.

On a graph server of its own: restore deletes everything, reference data included.
"""
from __future__ import annotations

import gzip
import io
import sqlite3
import tarfile
from pathlib import Path

import pytest

from graph import backup as graph_backup
from graph.db import GraphDB
from graph.maintenance import clear_user_data
from graph.schema import LATEST, constraints
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_demo
from tests.helpers import gen_enterprise, gen_user

from .graph_state import graph_state
from .servers import own_server

HOME = "510100"
VECTORS = "vectors-test-model.sqlite3"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = own_server(tmp_path_factory.mktemp("backup"))
    yield server
    server.stop()


@pytest.fixture
def world(server, tmp_path, monkeypatch):
    """An app and a CLI runner on the module's server, with demo data, accounts and a vectors file."""
    db = GraphDB(server.settings)
    graph_backup.delete_everything(db)
    init_db(db, HOME)
    seed_demo(db, HOME)
    gen_user(db, role="official")
    firm = gen_enterprise(db, role="sme")
    gen_user(db, role="sme", enterprise_id=firm["id"])
    settings = server.settings()
    for name, value in (("NEO4J_URI", settings.uri), ("NEO4J_USER", settings.user),
                        ("NEO4J_PASSWORD", settings.password), ("NEO4J_DATABASE", settings.database)):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    from matchmaker import create_app

    app = create_app({"TESTING": True, "GRAPH_DB": db, "HOME_REGION": HOME, "MATCH_BUILDER_THREAD": False,
                      "MATCH_ENCODER": "none"})
    index = tmp_path / "var" / "index"
    index.mkdir(parents=True)
    _vectors(index / VECTORS, {bytes([i]) * 16: bytes([i, 255 - i]) * 64 for i in range(50)})
    yield db, app.test_cli_runner(), index, tmp_path
    db.close()


def _vectors(path: Path, rows: dict[bytes, bytes]) -> None:
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA journal_mode=WAL")  # as the app keeps it: the backup must see WAL content too
        con.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")
        con.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows.items())
    con.close()


def _read_vectors(path: Path) -> dict[bytes, bytes]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT key, vector FROM vectors"))
    finally:
        con.close()


def test_backup_then_restore_gives_the_same_graph_and_vectors(world):
    db, cli, index, tmp = world
    before, vectors_before = graph_state(db), _read_vectors(index / VECTORS)
    assert sum(before[0].values()) > 4000 and sum(before[1].values()) > 4000  # demo data, taxonomy, regions
    file = tmp / "instance.tar.gz"

    made = cli.invoke(args=["backup", str(file)])
    assert made.exit_code == 0, made.output
    assert f"schema v{LATEST}" in made.output and "vectors/" + VECTORS in made.output

    clear_user_data(db)  # the firms and items go ...
    (index / VECTORS).unlink()
    _vectors(index / VECTORS, {b"k" * 16: b"stale"})  # ... and the vectors are not the backup's
    refused = cli.invoke(args=["restore", str(file)])
    assert refused.exit_code == 1 and "--force" in refused.output  # reference data is still there

    done = cli.invoke(args=["restore", "--force", str(file)])
    assert done.exit_code == 0, done.output
    after = graph_state(db)
    assert after[0] == before[0]  # node by node: labels and every property
    assert after[1] == before[1]  # relationship by relationship: type, properties, both ends
    assert _read_vectors(index / VECTORS) == vectors_before
    assert {c["label"] for c in constraints(db)} >= {"Enterprise", "SupplyItem", "User"}


def test_restore_into_an_empty_database_needs_no_force(world):
    db, cli, index, tmp = world
    before = graph_state(db)
    file = tmp / "b.tar.gz"
    assert cli.invoke(args=["backup", str(file)]).exit_code == 0
    graph_backup.delete_everything(db)
    result = cli.invoke(args=["restore", str(file)])
    assert result.exit_code == 0, result.output
    assert graph_state(db) == before


def _damaged_copies(file: Path, tmp: Path) -> dict[str, Path]:
    data = file.read_bytes()
    raw = gzip.decompress(data)
    out = {}

    def put(name: str, content: bytes) -> None:
        out[name] = tmp / f"{name}.tar.gz"
        out[name].write_bytes(content)

    put("truncated", data[: len(data) // 2])
    put("bit-flipped", data[:200] + bytes([data[200] ^ 0xFF]) + data[201:])
    put("not-gzip", b"hello, this is not a backup")
    # A member altered and the archive rewritten with a valid gzip: only the manifest's sha256 sees it.
    altered = bytearray(raw)
    at = raw.index(b'"Enterprise"')
    altered[at + 1:at + 3] = b"XX"
    put("member-altered", gzip.compress(bytes(altered)))
    # A tar without a manifest.
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("graph/nodes.jsonl")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"{}"))
    put("no-manifest", buffer.getvalue())
    return out


def test_a_damaged_backup_is_refused_and_nothing_is_written(world):
    db, cli, index, tmp = world
    file = tmp / "good.tar.gz"
    assert cli.invoke(args=["backup", str(file)]).exit_code == 0
    clear_user_data(db)
    before, vectors_before = graph_state(db), _read_vectors(index / VECTORS)
    for name, damaged in _damaged_copies(file, tmp).items():
        result = cli.invoke(args=["restore", "--force", str(damaged)])
        assert result.exit_code == 1, (name, result.output)
        assert "damaged" in result.output or "not a backup" in result.output, (name, result.output)
        assert graph_state(db) == before, name  # not one node deleted or written
        assert _read_vectors(index / VECTORS) == vectors_before, name


def test_a_backup_with_a_label_that_is_not_a_name_is_refused_before_anything_is_deleted(world, tmp_path):
    from matchmaker.backup.archive import write_archive

    db, cli, index, tmp = world
    nodes = tmp_path / "nodes.jsonl"
    nodes.write_text('{"key": "1", "labels": ["X) DETACH DELETE (n"], "properties": {}}\n', encoding="utf-8")
    relationships = tmp_path / "relationships.jsonl"
    relationships.write_text("", encoding="utf-8")
    evil = tmp_path / "evil.tar.gz"
    write_archive(evil, {"graph/nodes.jsonl": nodes, "graph/relationships.jsonl": relationships},
                  {"schema_version": LATEST, "nodes": 1, "relationships": 0})
    before = graph_state(db)
    result = cli.invoke(args=["restore", "--force", str(evil)])
    assert result.exit_code == 1 and "cannot restore" in result.output
    assert graph_state(db) == before


def test_a_backup_from_a_newer_schema_is_refused(world, tmp_path):
    from matchmaker.backup.archive import write_archive

    db, cli, index, tmp = world
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    newer = tmp_path / "newer.tar.gz"
    write_archive(newer, {"graph/nodes.jsonl": empty, "graph/relationships.jsonl": empty},
                  {"schema_version": LATEST + 1, "nodes": 0, "relationships": 0})
    result = cli.invoke(args=["restore", "--force", str(newer)])
    assert result.exit_code == 1 and "newer than this code's" in result.output


def test_bad_command_lines(world):
    db, cli, index, tmp = world
    assert cli.invoke(args=["restore", str(tmp / "missing.tar.gz")]).exit_code == 2
    assert cli.invoke(args=["restore"]).exit_code == 2
    assert cli.invoke(args=["backup"]).exit_code == 2
    assert cli.invoke(args=["backup", str(tmp)]).exit_code == 2  # a folder, not a file
