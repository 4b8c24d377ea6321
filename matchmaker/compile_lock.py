"""One lock for compiling Python source on request threads.

CPython 3.11 keeps the AST constructor's recursion depth in interpreter-wide state, so two threads
compiling at once can fail with "SystemError: AST constructor recursion depth mismatch" (python/cpython
gh-106905 and related reports). Seen under gunicorn's worker threads at a million items: numpy parses each
`.npy` header with `ast.literal_eval` when index segments are opened, and two threads opened them at once.
So the places this process compiles on a request thread take this lock: opening a mapped index file
(matchmaker/index/strings.mapped) and Jinja compiling a template (matchmaker.Environment). Both happen rarely
(a new manifest, a template's first render), so the lock costs nothing in steady state.
"""
from __future__ import annotations

import threading

COMPILE_LOCK = threading.Lock()
