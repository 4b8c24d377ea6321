"""Compiling on request threads goes through one lock (CPython 3.11's AST state is not per thread)."""
import threading

import numpy as np

from matchmaker import create_app
from matchmaker.compile_lock import COMPILE_LOCK
from matchmaker.index.strings import mapped


def _waits_for_the_lock(action) -> bool:
    """True when `action` cannot finish while another thread holds COMPILE_LOCK."""
    done = threading.Event()
    with COMPILE_LOCK:
        thread = threading.Thread(target=lambda: (action(), done.set()), daemon=True)
        thread.start()
        blocked = not done.wait(0.3)
    thread.join(5)
    return blocked and done.is_set()


def test_opening_a_mapped_file_takes_the_lock(tmp_path):
    path = tmp_path / "a.npy"
    np.save(path, np.arange(3))
    assert _waits_for_the_lock(lambda: mapped(path))
    assert mapped(path).tolist() == [0, 1, 2]


def test_compiling_a_template_takes_the_lock(monkeypatch, tmp_path):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("MATCHMAKER_ENV", "development")
    env = create_app({"TESTING": True}).jinja_env
    assert _waits_for_the_lock(lambda: env.from_string("{{ 1 + 1 }}"))
    assert env.from_string("{{ 2 + 2 }}").render() == "4"
