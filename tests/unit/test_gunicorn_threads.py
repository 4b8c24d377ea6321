"""WEB_THREADS, the threads of each gunicorn worker: a whole number from 1 to 64, named when wrong."""
from __future__ import annotations

import pytest

from matchmaker.cli import gunicorn_hooks


@pytest.mark.parametrize("raw, threads", [("", 4), ("1", 1), ("16", 16)])
def test_threads_from_the_environment(monkeypatch, raw, threads):
    monkeypatch.setenv("WEB_THREADS", raw)
    assert gunicorn_hooks._threads() == threads


@pytest.mark.parametrize("raw", ["0", "65", "four", "-2", "1.5"])
def test_a_bad_thread_count_is_named(monkeypatch, raw):
    monkeypatch.setenv("WEB_THREADS", raw)
    with pytest.raises(ValueError, match="WEB_THREADS"):
        gunicorn_hooks._threads()
