"""Helpers shared by the benchmarks: machine description, memory, disk, statistics, report file."""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_REPORT = PROJECT_DIR / "docs" / "BENCHMARKS.md"

_REPORT_HEAD = """# Benchmarks

Results of `make bench` (the code is in `bench/`). The machines these run on are
shared and noisy, so each benchmark measures a baseline in the same run and
reports ratios and medians next to the absolute numbers. Each section below is
rewritten by its own benchmark; the rest of the file is left as it is.
"""


# -- machine -----------------------------------------------------------------
def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 0


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def git_revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR,
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=PROJECT_DIR, capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}{' (with uncommitted changes)' if dirty else ''}" if head else "unknown"


def in_process_app_env() -> None:
    """An app a benchmark creates in its own process runs as in development: its own secret key in its
    var dir (production refuses to start without SECRET_KEY) and plain-HTTP cookies."""
    os.environ.setdefault("MATCHMAKER_ENV", "development")


def build_indexes(app, matching: bool = True) -> float:
    """Build the app's list indexes (and match indexes), as `serve`'s builder threads would, unless its
    VAR_DIR already holds them (a reused `--var-dir`: the readers' deltas then carry newer writes).
    Returns the seconds spent."""
    start = time.perf_counter()
    lists = app.extensions["lists"]
    for kind in ("supply", "demand"):
        if lists.catalog(kind).parts() is None:
            lists.build(kind)
    if matching:
        runtime = app.extensions["matching"]
        built = runtime.status()
        for kind in ("supply", "demand"):
            if not built.get(kind):
                runtime.build(kind)
    return time.perf_counter() - start


# What the app runs: a change here during a benchmark changes what it measures.
APP_SOURCES = ("graph", "matchmaker", "templates", "seeds", "wsgi.py", "requirements.txt")


def source_digest(paths: tuple[str, ...] = APP_SOURCES) -> str:
    """A short hash of the names and contents of the files under paths, uncommitted edits
    included (compiled files left out: the app compiles its .mo catalogues as it starts)."""
    import hashlib

    digest = hashlib.sha256()
    for rel in paths:
        root = PROJECT_DIR / rel
        files = [root] if root.is_file() else sorted(
            f for f in root.rglob("*")
            if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".pyc", ".mo"))
        for f in files:
            digest.update(str(f.relative_to(PROJECT_DIR)).encode() + b"\0")
            try:
                digest.update(f.read_bytes())
            except OSError:  # removed while we read
                digest.update(b"(gone)")
    return digest.hexdigest()[:12]


def app_code_differs(rev_a: str, rev_b: str, paths: tuple[str, ...] = APP_SOURCES) -> bool | None:
    """Whether two commits (as git_revision prints them) differ in the app's sources; None
    when git cannot tell. Uncommitted edits are not seen: compare source_digest for those."""
    a, b = rev_a.split()[0] if rev_a else "", rev_b.split()[0] if rev_b else ""
    if not a or not b or "unknown" in (a, b):
        return None
    try:
        done = subprocess.run(["git", "diff", "--quiet", a, b, "--", *paths], cwd=PROJECT_DIR,
                              capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return {0: False, 1: True}.get(done.returncode)


def machine() -> dict:
    return {
        "cpus": usable_cpus(),
        "cpu_model": cpu_model(),
        "ram_gib": mem_total_gib(),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


@dataclass
class RunInfo:
    """What every benchmark run records about where and when it ran; runs extend it."""
    args: argparse.Namespace
    machine: dict = field(default_factory=lambda: machine())
    started: str = field(default_factory=lambda: utc_now())
    load_before: str = field(default_factory=lambda: load_average())
    load_after: str = ""
    revision: str = field(default_factory=lambda: git_revision())
    agent: str = ""


# -- memory and disk -----------------------------------------------------------
def self_peak_rss() -> int:
    """Peak resident set size of this process, in bytes (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def self_rss() -> int:
    return proc_status(os.getpid()).get("VmRSS", 0)


def proc_status(pid: int) -> dict[str, int]:
    """The memory lines (Vm*, in bytes) of /proc/<pid>/status; {} when the process is gone."""
    out: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return out
    for line in text.splitlines():
        key, _, value = line.partition(":")
        parts = value.split()
        if key.startswith("Vm") and len(parts) == 2 and parts[1] == "kB":
            out[key] = int(parts[0]) * 1024
    return out


def reset_peak_rss() -> bool:
    """Reset this process's peak RSS (VmHWM) to its current RSS; False where Linux refuses.

    ``ru_maxrss`` is not reset; read the new peak with ``self_peak_rss_since_reset``.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def self_peak_rss_since_reset() -> int:
    """VmHWM of this process in bytes: the peak RSS since start or the last reset_peak_rss()."""
    return proc_status(os.getpid()).get("VmHWM", 0)


def child_pids(pid: int) -> list[int]:
    """The direct children of a process (e.g. gunicorn's workers); [] when it is gone."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def terminate(proc: subprocess.Popen | None, timeout: float = 30.0) -> None:
    """SIGTERM a child still running, then SIGKILL it if it has not exited within `timeout` s."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def cpu_seconds(pid: int | None = None) -> float:
    """User plus system CPU seconds of a process (this one by default); nan when it is gone."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def disk_usage(path: Path) -> tuple[int, int]:
    """(allocated, apparent) bytes of the files under path, like `du -s` and `du -sb`."""
    allocated = apparent = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            allocated += st.st_blocks * 512
            apparent += st.st_size
    return allocated, apparent


# -- numbers -----------------------------------------------------------------------
def quantiles(values: list[float]) -> tuple[float, float, float]:
    """(p10, median, p90); with fewer than two values all three are that value."""
    if not values:
        return (float("nan"),) * 3
    if len(values) == 1:
        return (values[0],) * 3
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    return deciles[0], statistics.median(values), deciles[-1]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between ranks; nan when empty.

    The same definition as numpy's default and ``statistics.quantiles(method="inclusive")``:
    ``percentile([1, 2, 3, 4], 50) == 2.5``.
    """
    if not values:
        return float("nan")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is not between 0 and 100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

def mib(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f} MiB"


def size(n: float) -> str:
    if n >= 1024 ** 3:
        return f"{n / 1024 ** 3:,.2f} GiB"
    return mib(n)


def rate(n: float) -> str:
    return f"{n:,.0f}"


# -- report file -------------------------------------------------------------------
def write_section(path: Path, name: str, body: str) -> None:
    """Put body between <!-- name:start --> and <!-- name:end --> in path, keeping the rest."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else _REPORT_HEAD
    i, j = text.find(start), text.find(end)
    if i >= 0 and j > i:
        text = text[:i] + block + text[j + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
