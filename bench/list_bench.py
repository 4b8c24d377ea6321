"""List benchmark (issue 3): list pages and API list calls under gunicorn, and a 100,000-row XLSX import.

    python -m bench.list_bench                      # 100k enterprises / 1M items; rewrites the "lists" section
    python -m bench.list_bench --quick              # 10k / 100k; prints, writes nothing
    python -m bench.list_bench --quick --keep       # ... and keeps the data dir for a later --data-dir
    python -m bench.list_bench --data-dir DIR       # reuse a loaded embedded-server data dir

Steps, all in one run so every number sees the same machine:

1. data: a fresh embedded server gets `init_db` and `seed_generate` (the path of
   `python -m matchmaker seed generate`), or `--data-dir` reuses a loaded one;
2. three accounts (official, SME, leader) are created through
   `matchmaker.services.accounts.create_user` (what `create-user` runs); each
   gets an API token (POST /api/v1/auth/token) and a session (the /login form);
3. the real app runs under gunicorn with the options of `python -m matchmaker
   serve`, on a free port, against that server (NEO4J_*), 2 workers;
4. a fixed mix of list pages and API list calls is warmed up, then measured
   round by round (every URL once per round, so noise spreads evenly) by a
   sequential client; every response must be 200 and a list must show items.
   Baseline, in the same rounds: one item by id through the same stack, and
   /api/v1/health. Then two client threads go through the mix at once;
5. a 100,000-row supply XLSX (written with `matchmaker.tabular.write_xlsx`) is
   imported with `matchmaker.services.imports.import_file` (the path of
   `python -m matchmaker import`); baseline: openpyxl alone reading the file.
"""
from __future__ import annotations

import argparse
import gc
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote, urlencode

import gunicorn
import neo4j
import openpyxl
from tqdm import tqdm

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.db import GraphDB
from graph.maintenance import delete_items
from graph.item_search import ItemQuery, search_items
from graph.server import EmbeddedServer
from graph.settings import GraphSettings
from matchmaker.cli.serve_cmd import KEEP_ALIVE_SECONDS
from matchmaker.regions import RegionTable
from matchmaker.services.accounts import create_user
from matchmaker.services.generator import Generator, Plan
from matchmaker.services.imports import import_file
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_generate
from matchmaker.services.taxonomy import read_taxonomy
from matchmaker.tabular import parse_rows, read_table, write_xlsx

from . import common
from .common import mib, percentile, rate

SECTION = "lists"
P95_AIM_MS = 150.0
IMPORT_AIM_S = 60.0
HOME_REGION = "510100"
SEED = 1
FULL = (100_000, 1_000_000)
QUICK = (10_000, 100_000)
PASSWORD = "bench-lists-password"
IMPORT_PREFIX = "BENCH-IMPORT-S"
REQUEST_TIMEOUT = 300.0
STALE_CONNECTION_S = 0.5
GUNICORN_OPTIONS = ["--access-logfile", "-", "--graceful-timeout", "10", "--timeout", "180",
                    "--keep-alive", str(KEEP_ALIVE_SECONDS),
                    "--no-control-socket"]  # as serve_cmd, without its warm-up hooks


class BenchError(RuntimeError):
    """The benchmark cannot go on (a failed sign-in, an error page, a server that does not start)."""


# -- the request mix -------------------------------------------------------------------
@dataclass(frozen=True)
class Probe:
    """One URL of the mix: how to count what it shows, and whose token or session sends it."""
    path: str          # path and query, unencoded
    kind: str          # api-list, api-chains, api-item, api-health, page-list, page-home, page-enterprises
    who: str           # official, sme or leader
    baseline: bool = False


_LIST_FILTERS = {
    # Supply lists are what leaders browse for suppliers; demand lists what SMEs browse.
    "supply": ["", "chain=nev", "chain=nev&segment=nev.upstream", "category=nev.battery-cell",
               "tier=little_giant", "local=true", "certification=IATF16949", "q=电池", "q=sensor",
               "sort=capacity", "page=50"],
    # A leader's tier is always none, so no tier filter here; demand has value and deadline sorts.
    "demand": ["", "chain=nev", "chain=nev&segment=nev.upstream", "category=nev.battery-cell",
               "local=true", "certification=IATF16949", "q=电池", "q=sensor", "sort=value",
               "sort=deadline", "page=50"],
}
_VIEWER = {"supply": "leader", "demand": "sme"}
API_PATHS = {"supply": "/api/v1/supply-items", "demand": "/api/v1/demand-items"}


def request_mix(item_id: str) -> list[Probe]:
    """The baselines first, then the API lists, the list pages and the other pages."""
    mix = [Probe(f"{API_PATHS['supply']}/{item_id}", "api-item", "official", baseline=True),
           Probe("/api/v1/health", "api-health", "official", baseline=True)]
    for prefix, kind in (("api", "api-list"), ("page", "page-list")):
        for item_kind, filters in _LIST_FILTERS.items():
            base = API_PATHS[item_kind] if prefix == "api" else f"/{item_kind}"
            mix += [Probe(f"{base}?{f}" if f else base, kind, _VIEWER[item_kind]) for f in filters]
    mix += [Probe("/opportunities", "page-list", "sme"),
            Probe("/api/v1/chains", "api-chains", "official"),
            Probe("/", "page-home", "official"),
            Probe("/enterprises?q=精工", "page-enterprises", "official")]
    return mix


_PAGE_ROW = re.compile(r'<td><a href="/(?:supply|demand)/[^"]+">')
_ENTERPRISE_ROW = re.compile(r'<td><a href="/enterprises/[^"]+">')
_CHAIN_CARD = re.compile(r'<li class="card">')
_PAGE_TOTAL = re.compile(r'<p class="muted">\D{0,8}?(\d+)')  # "共 123 条" or "123 items"


def count_items(kind: str, body: bytes) -> tuple[int, int | None]:
    """(entries the response shows, total matching when it says) for a probe kind.

    >>> count_items("api-list", b'{"data": [{}, {}], "total": 7}')
    (2, 7)
    """
    if kind.startswith("api-"):
        data = json.loads(body)
        if kind == "api-list":
            return len(data["data"]), int(data["total"])
        if kind == "api-chains":
            return len(data["data"]), int(data["count"])
        if kind == "api-item":
            return (1 if data["data"].get("id") else 0), None
        if kind == "api-health":
            return (1 if data.get("status") == "ok" else 0), None
        raise ValueError(f"unknown probe kind {kind!r}")
    text = body.decode("utf-8")
    pattern = {"page-list": _PAGE_ROW, "page-enterprises": _ENTERPRISE_ROW, "page-home": _CHAIN_CARD}[kind]
    total = _PAGE_TOTAL.search(text) if kind != "page-home" else None
    return len(pattern.findall(text)), (int(total.group(1)) if total else None)


# -- the HTTP client ---------------------------------------------------------------------
@dataclass
class Response:
    status: int
    body: bytes
    seconds: float
    error: str = ""


class Client:
    """One HTTP/1.1 connection (kept alive when the server allows), a cookie jar and a token.

    API paths carry the Bearer token, pages the session cookie, as an integration and a
    browser would send them. gunicorn's sync workers answer `Connection: close`, so each
    request opens a new TCP connection; http.client reconnects by itself.
    """

    def __init__(self, port: int, token: str = "", cookies: dict | None = None):
        self.port, self.token, self.cookies = port, token, dict(cookies or {})
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)

    def clone(self) -> Client:
        return Client(self.port, self.token, self.cookies)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> Response:
        sent = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8", **(headers or {})}
        if path.startswith("/api/"):
            if self.token:
                sent["Authorization"] = f"Bearer {self.token}"
        elif self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        target = quote(path, safe="/?=&%:")
        start = time.perf_counter()  # a retry's time counts too
        for attempt in (1, 2):
            try:
                self.conn.request(method, target, body=body, headers=sent)
                resp = self.conn.getresponse()
                data = resp.read()
            except (http.client.HTTPException, ConnectionError) as exc:
                self.conn.close()
                # Once more only for a kept-alive connection the server had closed (it fails at
                # once), never after a server dropped a slow request (a killed worker).
                if attempt == 2 or time.perf_counter() - start > STALE_CONNECTION_S:
                    return Response(0, b"", time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
                continue
            except OSError as exc:  # timeout, refused
                self.conn.close()
                return Response(0, b"", time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
            seconds = time.perf_counter() - start
            for header in resp.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                self.cookies.update({k: m.value for k, m in jar.items()})
            return Response(resp.status, data, seconds)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def sign_in(port: int, email: str) -> Client:
    """A client with an API token and a signed-in session of this account."""
    client = Client(port)
    got = client.request("POST", "/api/v1/auth/token",
                         json.dumps({"email": email, "password": PASSWORD, "name": "bench"}).encode(),
                         {"Content-Type": "application/json"})
    if got.status != 201:
        raise BenchError(f"POST /api/v1/auth/token for {email}: HTTP {got.status} {got.body[:300]!r}")
    client.token = json.loads(got.body)["data"]["token"]
    form = client.request("GET", "/login")
    match = re.search(rb'name="csrf_token" value="([^"]+)"', form.body)
    if form.status != 200 or not match:
        raise BenchError(f"GET /login: HTTP {form.status}, CSRF token {'found' if match else 'missing'}")
    body = urlencode({"csrf_token": match.group(1).decode(), "email": email, "password": PASSWORD})
    done = client.request("POST", "/login", body.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
    if done.status != 302:
        raise BenchError(f"POST /login for {email}: HTTP {done.status} (expected a redirect)")
    account = client.request("GET", "/account")
    if account.status != 200:
        raise BenchError(f"GET /account after signing in as {email}: HTTP {account.status}")
    return client


def check(probe: Probe, response: Response) -> tuple[int, int | None, str]:
    """(shown, total, problem): a probe's response must be 200 and show entries."""
    if response.status != 200:
        return 0, None, response.error or f"HTTP {response.status}: {response.body[:200]!r}"
    try:
        shown, total = count_items(probe.kind, response.body)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return 0, None, f"unreadable response ({exc}): {response.body[:200]!r}"
    if shown == 0:
        return 0, total, "the response shows no items"
    return shown, total, ""


# -- measurements ------------------------------------------------------------------------
@dataclass
class Timing:
    path: str
    kind: str
    who: str
    baseline: bool
    samples: list[float] = field(default_factory=list)   # seconds, measured rounds only
    shown: int = 0
    total: int | None = None
    size: int = 0                                          # response bytes
    errors: list[str] = field(default_factory=list)


@dataclass
class Concurrent:
    threads: int = 0
    rounds: int = 0
    wall: float = 0.0
    samples: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def cold_start(app: Gunicorn, client: Client) -> dict:
    """The first list requests after start (the graph query answers while one worker builds the
    host's list index), then the wait until both kinds' index is built. Seconds per request, and since launch."""
    cold: dict = {}
    for kind, path in API_PATHS.items():
        response = client.request("GET", path)
        cold[kind] = response.seconds
        if response.status != 200:
            raise BenchError(f"the first GET {path} after start: HTTP {response.status}: {response.body[:200]!r}")
    cold["since_launch"] = time.perf_counter() - app.launched
    deadline = time.perf_counter() + 3600
    while time.perf_counter() < deadline and not all(
            any((app.var_dir / "index").glob(f"lists-{kind}-g*/manifest.json")) for kind in API_PATHS):
        time.sleep(1.0)
    cold["index_built"] = time.perf_counter() - app.launched
    print(f"first list requests: supply {cold['supply']:.1f} s, demand {cold['demand']:.1f} s, "
          f"{cold['since_launch']:.1f} s after launching gunicorn", file=sys.stderr)
    return cold


def measure(mix: list[Probe], clients: dict[str, Client], args: argparse.Namespace) -> list[Timing]:
    """Warm up every probe, then measure them round by round (each URL once per round).

    A URL that fails during warm-up is not measured; its error stays in its Timing (and so
    the run's checks fail), but the other URLs are still measured and printed.
    """
    timings = [Timing(p.path, p.kind, p.who, p.baseline) for p in mix]
    for probe, timing in zip(mix, timings):
        for _ in range(args.warmup):
            response = clients[probe.who].request("GET", probe.path)
            timing.shown, timing.total, problem = check(probe, response)
            timing.size = len(response.body)
            if problem:
                timing.errors.append(f"during warm-up: {problem}")
                print(f"GET {probe.path} as {probe.who} fails during warm-up, not measured: {problem}",
                      file=sys.stderr)
                break
    print(f"warm-up done: {len(mix)} URLs x {args.warmup}", file=sys.stderr)
    start = time.perf_counter()
    for n in range(1, args.repeat + 1):
        active = [(p, t) for p, t in zip(mix, timings) if not t.errors
                  and (len(t.samples) < args.min_samples or sum(t.samples) < args.url_budget)]
        if not active:
            break
        for probe, timing in active:
            response = clients[probe.who].request("GET", probe.path)
            timing.samples.append(response.seconds)
            _shown, _total, problem = check(probe, response)
            if problem:
                timing.errors.append(problem)
        print(f"round {n}/{args.repeat}: {len(active)} URLs, {time.perf_counter() - start:,.0f} s so far",
              file=sys.stderr)
    return timings


def concurrent_pass(mix: list[Probe], clients: dict[str, Client], args: argparse.Namespace) -> Concurrent:
    """`threads` clients at once, each over the whole mix `rounds` times in its own shuffled order."""
    result = Concurrent(args.concurrency, args.concurrent_rounds)
    lock = threading.Lock()

    def worker(n: int) -> None:
        own = {who: c.clone() for who, c in clients.items()}
        order = list(mix)
        rng = random.Random(n)
        for _ in range(args.concurrent_rounds):
            rng.shuffle(order)
            for probe in order:
                response = own[probe.who].request("GET", probe.path)
                _shown, _total, problem = check(probe, response)
                with lock:
                    result.samples.append(response.seconds)
                    if problem:
                        result.errors.append(f"GET {probe.path}: {problem}")
        for c in own.values():
            c.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - start
    print(f"concurrency {args.concurrency}: {len(result.samples)} requests in {result.wall:,.1f} s",
          file=sys.stderr)
    return result


# -- gunicorn ---------------------------------------------------------------------------
def app_env(settings: GraphSettings, var_dir: Path) -> dict[str, str]:
    """The environment of an app process on this graph server and VAR_DIR."""
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database,
           "HOME_REGION": HOME_REGION, "VAR_DIR": str(var_dir),
           "MATCHMAKER_ENV": "development"}  # its own key in var/, plain-HTTP cookies
    env.pop("SECRET_KEY", None)
    return env


class Gunicorn:
    """The app under gunicorn as `python -m matchmaker serve` runs it, against a given graph server."""

    def __init__(self, settings: GraphSettings, var_dir: Path, workers: int, threads: int = 1):
        # threads: `serve` reads WEB_THREADS in its gunicorn config module, which this launch leaves out
        # (with its warm-up hooks), so the thread count is passed as gunicorn's own flag.
        self.settings, self.var_dir, self.workers, self.threads = settings, var_dir, workers, threads
        self.extra_env: dict[str, str] = {}
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.launched = 0.0     # perf_counter at launch
        self.ready_s = 0.0      # launch -> first 200 from /api/v1/health

    def start(self, timeout: float = 90.0) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        # The key file exists before the workers start, as it does after a first `make run`
        # (two workers creating it at once could each read a different key).
        key = self.var_dir / "secret_key"
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(uuid.uuid4().hex + uuid.uuid4().hex)
        self.port = common.free_port()
        env = {**app_env(self.settings, self.var_dir), **self.extra_env}
        command = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--threads", str(self.threads),
                   "--bind", f"127.0.0.1:{self.port}", *GUNICORN_OPTIONS, "wsgi:app"]
        self.launched = time.perf_counter()
        with open(self.log_file, "wb") as log:
            self.proc = subprocess.Popen(command, cwd=common.PROJECT_DIR, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        probe = Client(self.port)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with code {self.proc.returncode}:\n{self.log_tail()}")
            got = probe.request("GET", "/api/v1/health")
            if got.status == 200:
                probe.close()
                self.ready_s = time.perf_counter() - self.launched
                print(f"gunicorn pid {self.proc.pid} on port {self.port}, {self.workers} workers, "
                      f"healthy after {self.ready_s:.1f} s", file=sys.stderr)
                return
            time.sleep(0.3)
        raise BenchError(f"/api/v1/health did not answer 200 within {timeout:.0f} s:\n{self.log_tail()}")

    @property
    def log_file(self) -> Path:
        return self.var_dir / "gunicorn.log"

    def log_tail(self, size: int = 3000) -> str:
        try:
            return self.log_file.read_bytes()[-size:].decode("utf-8", "replace")
        except OSError:
            return ""

    def incidents(self) -> dict:
        """Worker timeouts (gunicorn killed a worker stuck in a request) and workers booted
        beyond the first ones (a replaced worker maps the host's list index again), from the log."""
        text = self.log_tail(size=1 << 24)
        return {"worker timeouts": text.count("WORKER TIMEOUT"),
                "workers replaced": max(0, text.count("Booting worker") - self.workers)}

    def worker_peaks(self) -> list[int]:
        """Peak RSS (VmHWM) of each worker, bytes."""
        if self.proc is None:
            return []
        return [common.proc_status(pid).get("VmHWM", 0) for pid in common.child_pids(self.proc.pid)]

    def stop(self) -> None:
        common.terminate(self.proc)


# -- the import ----------------------------------------------------------------------------
@dataclass
class ImportResult:
    rows: int = 0
    file_bytes: int = 0
    make_s: float = 0.0                                     # building the XLSX (not counted)
    openpyxl_s: list[float] = field(default_factory=list)   # baseline, before and after the import
    read_table_s: float = 0.0                               # the project's reader alone
    parse_rows_s: float = 0.0                               # row validation alone
    total_s: float = 0.0                                    # import_file end to end
    write_s: float = 0.0                                    # inside its write transactions
    read_s: float = 0.0                                     # inside its read transactions
    accepted: int = 0
    written: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    rss_before: int = 0
    peak_rss: int = 0                                       # VmHWM reset before the import
    peak_reset: bool = False
    cleanup_s: float = 0.0


class TimedGraphDB(GraphDB):
    """A GraphDB that adds up the wall time inside read and inside write transactions."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.seconds = {"read": 0.0, "write": 0.0}

    def read(self, work, *args, **kwargs):  # type: ignore[override]
        return self._timed("read", super().read, work, args, kwargs)

    def write(self, work, *args, **kwargs):  # type: ignore[override]
        return self._timed("write", super().write, work, args, kwargs)

    def _timed(self, what, call, work, args, kwargs):
        start = time.perf_counter()
        try:
            return call(work, *args, **kwargs)
        finally:
            self.seconds[what] += time.perf_counter() - start


def supply_records(enterprises: int, rows: int) -> Iterator[dict]:
    """`rows` DATA-FORMAT supply records of the generated SMEs (seed SEED), with new ids."""
    plan = Plan(enterprises, rows * 2, SEED)
    generator = Generator(plan, read_taxonomy(), RegionTable.load(), HOME_REGION)
    n = 0
    for kind, batch in generator.item_batches(5000):
        if kind != "supply":
            continue
        for record in batch:
            props = record["props"]
            yield {"id": f"{IMPORT_PREFIX}{n:06d}", "enterprise_id": record["enterprise_id"],
                   "name": props["name"], "description": props["description"],
                   "category": props["category_id"], "chain": props["chain_id"],
                   "capacity": props["capacity"], "unit": props["unit"],
                   "certifications": props["certifications"], "status": "published"}
            n += 1
            if n == rows:
                return
    raise BenchError(f"the generator gave only {n} supply rows of {rows}")


def openpyxl_floor(data: bytes) -> tuple[float, int]:
    """Seconds for openpyxl (read-only) to read every cell of the first sheet, and its rows."""
    start = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return time.perf_counter() - start, rows


def delete_supply(db: GraphDB, ids: list[str], batch: int = 5000) -> int:
    """Delete the benchmark's imported items that exist (a kept or reused data dir stays as loaded)."""
    found = sorted(item_repo.owners_of(db, "supply", ids))
    delete_items(db, "supply", found, batch)
    return len(found)


def import_bench(db: TimedGraphDB, enterprises: int, rows: int, cleanup: bool) -> ImportResult:
    res = ImportResult(rows=rows)
    ids = [f"{IMPORT_PREFIX}{n:06d}" for n in range(rows)]
    if delete_supply(db, ids):
        print("deleted the imported items of an earlier, interrupted run", file=sys.stderr)
    start = time.perf_counter()
    data = write_xlsx("supply", supply_records(enterprises, rows))
    res.make_s, res.file_bytes = time.perf_counter() - start, len(data)
    print(f"wrote a {rows:,}-row XLSX ({len(data) / 1024 / 1024:.1f} MiB) in {res.make_s:.1f} s",
          file=sys.stderr)

    seconds, n = openpyxl_floor(data)
    if n != rows + 1:
        raise BenchError(f"openpyxl read {n} rows, expected {rows} and a header")
    res.openpyxl_s.append(seconds)
    start = time.perf_counter()
    table = read_table(data, "bench-supply.xlsx")
    res.read_table_s = time.perf_counter() - start
    start = time.perf_counter()
    parsed = parse_rows("supply", table)
    res.parse_rows_s = time.perf_counter() - start
    del table, parsed
    gc.collect()

    res.rss_before = common.self_rss()
    res.peak_reset = common.reset_peak_rss()
    db.seconds = {"read": 0.0, "write": 0.0}
    with tqdm(total=rows, desc="import", unit="row", mininterval=5.0, file=sys.stderr) as bar:
        start = time.perf_counter()
        report = import_file(db, "supply", data, "bench-supply.xlsx", home_region=HOME_REGION,
                             progress=bar.update)
        res.total_s = time.perf_counter() - start
    res.peak_rss = common.self_peak_rss_since_reset() if res.peak_reset else common.self_peak_rss()
    res.write_s, res.read_s = db.seconds["write"], db.seconds["read"]
    res.accepted, res.written, res.rejected = report.accepted, report.written, report.rejected_rows
    res.errors = [str(e) for e in report.errors[:5]]
    del report
    res.openpyxl_s.append(openpyxl_floor(data)[0])
    if cleanup:
        start = time.perf_counter()
        delete_supply(db, ids)
        res.cleanup_s = time.perf_counter() - start
    return res


# -- the run ------------------------------------------------------------------------------
@dataclass
class Run(common.RunInfo):
    gunicorn: str = gunicorn.__version__
    data_dir: str = ""                                   # reused data dir, "" when generated
    counts: dict = field(default_factory=dict)           # enterprises, supply, demand before the import
    seed_s: float = 0.0
    ids: dict = field(default_factory=dict)              # item, sme, leader
    timings: list[Timing] = field(default_factory=list)
    concurrent: Concurrent = field(default_factory=Concurrent)
    imp: ImportResult = field(default_factory=ImportResult)
    ready_s: float = 0.0                                 # gunicorn launch -> healthy
    cold: dict = field(default_factory=dict)             # first list requests after start, seconds
    incidents: dict = field(default_factory=dict)        # from the gunicorn log
    revision_end: str = ""                               # the commit when the run ended
    code_digest: str = field(default_factory=common.source_digest)   # the app's sources at the start
    code_digest_end: str = ""                                        # ... and at the end
    app_peak_rss: int = 0
    worker_hwm: list[int] = field(default_factory=list)
    jvm_hwm: int = 0


def _generate(run: Run, db: GraphDB, args: argparse.Namespace) -> None:
    plan = Plan(args.enterprises, args.items, SEED)
    totals = {"enterprises": plan.enterprises, "items": plan.items}
    bars: dict[str, tqdm] = {}

    def progress(what: str, n: int) -> None:
        if what not in bars:  # one bar at a time, so a log file reads line by line
            for bar in bars.values():
                bar.close()
            bars[what] = tqdm(total=totals[what], desc=what, unit="row", mininterval=5.0, file=sys.stderr)
        bars[what].update(n)

    start = time.perf_counter()
    try:
        seed_generate(db, plan, HOME_REGION, progress=progress)
    finally:
        for bar in bars.values():
            bar.close()
    run.seed_s = time.perf_counter() - start


def _pick_ids(db: GraphDB) -> dict:
    """A published supply item (the baseline's lookup), its SME, and a leader with demand."""
    today = date.today().isoformat()
    picked = {}
    for kind in ("supply", "demand"):
        found, _total = search_items(db, ItemQuery(kind, {"statuses": ["published"]}, [], "name", 0, 1, today))
        if not found:
            raise BenchError(f"the database holds no published {kind} items")
        picked[kind] = found[0]
    return {"item": picked["supply"]["id"], "sme": picked["supply"]["enterprise_id"],
            "leader": picked["demand"]["enterprise_id"]}


def _accounts(db: GraphDB, ids: dict) -> dict[str, str]:
    """role -> email of three new active accounts (new addresses each run)."""
    tag = uuid.uuid4().hex[:8]
    emails = {}
    for role, enterprise in (("official", None), ("sme", ids["sme"]), ("leader", ids["leader"])):
        emails[role] = f"bench-{role}-{tag}@bench.example.cn"
        create_user(db, email=emails[role], password=PASSWORD, role=role, enterprise_id=enterprise, active=True)
    return emails


def execute(args: argparse.Namespace) -> Run:
    run = Run(args, data_dir=args.data_dir or "")
    tmp = Path(tempfile.mkdtemp(prefix="bench-lists-", dir=args.tmpdir))
    data_dir = Path(args.data_dir).resolve() if args.data_dir else tmp / "graph"
    print(f"working directory {tmp}, graph data {data_dir}", file=sys.stderr)
    server = EmbeddedServer(data_dir, heap=args.heap)
    db: TimedGraphDB | None = None
    app: Gunicorn | None = None
    started = False
    clients: dict[str, Client] = {}
    try:
        settings, started = server.start()
        db = TimedGraphDB(settings, retry_seconds=60.0)
        run.agent = db.server_agent()
        init_db(db)
        if not args.data_dir:
            _generate(run, db, args)
        run.counts = {"enterprises": enterprise_repo.count(db), "supply": item_repo.count(db, "supply"),
                      "demand": item_repo.count(db, "demand")}
        print(f"data: {run.counts}", file=sys.stderr)
        run.ids = _pick_ids(db)
        emails = _accounts(db, run.ids)

        app = Gunicorn(settings, tmp / "var", args.workers)
        app.start()
        run.ready_s = app.ready_s
        clients = {role: sign_in(app.port, email) for role, email in emails.items()}
        run.cold = cold_start(app, clients["official"])
        mix = request_mix(run.ids["item"])
        run.timings = measure(mix, clients, args)
        working = [p for p, t in zip(mix, run.timings) if not t.errors]
        run.concurrent = concurrent_pass(working, clients, args)
        run.worker_hwm = app.worker_peaks()
        app.stop()
        run.incidents = app.incidents()
        app = None

        if args.import_rows:
            run.imp = import_bench(db, run.counts["enterprises"], args.import_rows,
                                   cleanup=bool(args.keep or args.data_dir))
        state = server.status()
        run.jvm_hwm = common.proc_status(state.pid).get("VmHWM", 0) if state else 0
        run.app_peak_rss = common.self_peak_rss()
    finally:
        for client in clients.values():
            client.close()
        if app is not None:
            app.stop()
        if db is not None:
            db.close()
        if started:
            server.stop()
        run.load_after = common.load_average()
        run.revision_end = common.git_revision()
        run.code_digest_end = common.source_digest()
        if args.keep:
            print(f"kept {tmp}; reuse the data with --data-dir {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return run


# -- the report ---------------------------------------------------------------------------
def _ms(seconds: float) -> str:
    value = seconds * 1000
    if value != value:  # nan
        return "n/a"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _stats(samples: list[float]) -> dict:
    return {"p50": percentile(samples, 50), "p95": percentile(samples, 95),
            "max": max(samples) if samples else float("nan"), "n": len(samples)}


def _label(t: Timing) -> str:
    return f"`GET {t.path}`"


def _size_note(run: Run) -> str:
    """'' at full size, else says the data is smaller than the issue's."""
    sizes = (run.counts.get("enterprises", 0), run.counts.get("supply", 0) + run.counts.get("demand", 0))
    if sizes[0] >= FULL[0] and sizes[1] >= FULL[1]:
        return ""
    return " (quick run)" if sizes == QUICK else " (smaller than the issue's sizes)"


def render(run: Run) -> str:
    a, m = run.args, run.machine
    base = next((t for t in run.timings if t.kind == "api-item"), None)
    base_p50 = percentile(base.samples, 50) if base else float("nan")
    health = next((t for t in run.timings if t.kind == "api-health"), None)
    measured = [t for t in run.timings if not t.baseline]
    failed = [t for t in measured if t.errors]
    over = sorted((t for t in measured if not t.errors and _stats(t.samples)["p95"] * 1000 > P95_AIM_MS),
                  key=lambda t: -_stats(t.samples)["p95"])
    items = run.counts.get("supply", 0) + run.counts.get("demand", 0)
    data = (f"reused from `{run.data_dir}`" if run.data_dir else
            f"generated for this run by `seed_generate` (seed {SEED}) in {run.seed_s:,.0f} s")
    lines = [
        f"## Lists and import (issue 3){_size_note(run)}",
        "",
        f"{run.counts.get('enterprises', 0):,} enterprises and {items:,} items "
        f"({run.counts.get('supply', 0):,} supply, {run.counts.get('demand', 0):,} demand), {data}, in the "
        "embedded ArcadeDB server. The app runs under gunicorn with the options of "
        f"`python -m matchmaker serve` ({a.workers} sync workers, `wsgi:app`, access log on); the client is a "
        "Python `http.client` on the same machine. The sync workers close the connection after each "
        "response, so every request includes a TCP connect, as a browser's would with this server. "
        "API calls carry an account's Bearer token; pages its session cookie (signed in through "
        "`/login`): supply lists as a leader, demand lists and `/opportunities` as an SME, the rest as an "
        "official. Every URL is warmed up, then measured round by round (each URL once per round, so "
        "noise spreads over all of them) up to "
        f"{a.repeat} times, or fewer once {a.url_budget:.0f} s of its samples are spent (at least "
        f"{a.min_samples}). Baseline in the same rounds: one supply item by id through the same stack "
        "(`GET /api/v1/supply-items/<id>`: token lookup, one indexed read, JSON) and `GET /api/v1/health`. "
        "Every response was checked: status 200, and a list shows items.",
        "",
        f"- **Date**: {run.started}",
        f"- **Machine**: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.1f} GiB RAM, {m['os']}; "
        f"load average (1/5/15 min) {run.load_before} before, {run.load_after} after",
        f"- **Software**: Python {m['python']}, {run.agent}, gunicorn {run.gunicorn}, "
        f"neo4j driver {neo4j.__version__}, code {run.revision}{_code_change(run)}",
        f"- **Parameters**: `{_command(run)}` (JVM `-Xmx{a.heap}`), home region {HOME_REGION}",
        "",
        f"**Result: {len(measured) - len(over) - len(failed)} of {len(measured)} list and page requests "
        f"meet the aim of p95 under {P95_AIM_MS:.0f} ms; {len(over)} miss it"
        + (f"; {len(failed)} FAILED (error responses)" if failed else "")
        + (f" (slowest: {_label(over[0])}, p95 {_ms(_stats(over[0].samples)['p95'])})" if over else "")
        + f". Baseline p50: item by id {_ms(base_p50)}, health "
        f"{_ms(percentile(health.samples, 50) if health else float('nan'))}.**",
    ]
    if run.imp.rows:
        lines += ["", _import_verdict(run.imp)]
    if run.cold:
        lines += ["", f"Start-up: gunicorn answered `/api/v1/health` {run.ready_s:,.1f} s after launch; the "
                  f"first list requests then took {run.cold['supply']:,.1f} s (`{API_PATHS['supply']}`) and "
                  f"{run.cold['demand']:,.1f} s (`{API_PATHS['demand']}`), so lists answered "
                  f"{run.cold['since_launch']:,.1f} s after launch (from the graph query: one worker builds "
                  f"the host's list index meanwhile, ready {run.cold.get('index_built', 0):,.1f} s after launch). "
                  "Not counted below: the measurement starts once the index is built."]
    lines += ["", "### Latency per URL", "",
              f"Sequential client. Ratio = the URL's p50 ÷ the p50 of the item-by-id baseline. "
              f"Shown = entries on the page (API: `data`), total = matching entries as the response states.",
              "",
              f"| request | as | p50 | p95 | max | p50 ÷ baseline | shown (total) | n | p95 < {P95_AIM_MS:.0f} ms |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for t in run.timings:
        s = _stats(t.samples)
        ratio = s["p50"] / base_p50 if base_p50 else float("nan")
        verdict = ("**error**" if t.errors else "baseline" if t.baseline
                   else "yes" if s["p95"] * 1000 <= P95_AIM_MS else "**no**")
        total = f" ({t.total:,})" if t.total is not None else ""
        lines.append(f"| {_label(t)} | {t.who} | {_ms(s['p50'])} | {_ms(s['p95'])} | {_ms(s['max'])} | "
                     f"{ratio:,.1f} | {t.shown}{total} | {s['n']} | {verdict} |")
    if over:
        lines += ["", f"Over the aim, slowest first (p95): "
                  + "; ".join(f"{_label(t)} {_ms(_stats(t.samples)['p95'])}" for t in over) + "."]
    lines += ["", *_concurrency_lines(run)]
    if run.imp.rows:
        lines += ["", *_import_lines(run.imp)]
    lines += ["", "### Memory", "", "| process | peak RSS |", "| --- | ---: |",
              f"| this benchmark (`ru_maxrss`, whole run{', including the data load' if not run.data_dir else ''}) "
              f"| {mib(run.app_peak_rss)} |"]
    for n, hwm in enumerate(run.worker_hwm, 1):
        lines.append(f"| gunicorn worker {n} (`VmHWM`) | {mib(hwm)} |")
    lines += [f"| graph server JVM (`VmHWM`, `-Xmx{a.heap}`) | {mib(run.jvm_hwm)} |",
              "", "### Reproduce", "", "```sh",
              "make bench-lists                                    # this section, full size (100k + 1M rows)",
              ".venv/bin/python -m bench.list_bench --quick         # 10k + 100k rows, prints only",
              ".venv/bin/python -m bench.list_bench --quick --keep  # ... keeps the data dir; then:",
              ".venv/bin/python -m bench.list_bench --data-dir DIR  # measure again on that data, no load",
              ".venv/bin/python -m bench.list_bench --help          # sizes, rounds, budget, workers, heap",
              "```"]
    return "\n".join(lines) + "\n"


def _code_change(run: Run) -> str:
    """A warning when the app's sources changed while the run went on, else ''."""
    if run.code_digest and run.code_digest_end:
        changed = run.code_digest != run.code_digest_end
    else:  # a run saved before digests were kept: commits only
        changed = run.revision != run.revision_end and common.app_code_differs(run.revision, run.revision_end)
    if not changed:
        return ""
    return (f" (**the app's code changed during the run**: {run.revision_end} at its end; gunicorn "
            "loaded the code when it started, the import ran the code this process loaded at the start)")


def _command(run: Run) -> str:
    a = run.args
    parts = ["python -m bench.list_bench"]
    if run.data_dir:
        parts.append("--data-dir DIR")
    elif (a.enterprises, a.items) == QUICK:
        parts.append("--quick")
    elif (a.enterprises, a.items) != FULL:
        parts.append(f"--enterprises {a.enterprises} --items {a.items}")
    parts.append(f"--repeat {a.repeat} --warmup {a.warmup} --url-budget {a.url_budget:g} "
                 f"--workers {a.workers} --concurrency {a.concurrency} --concurrent-rounds {a.concurrent_rounds} "
                 f"--import-rows {a.import_rows}")
    return " ".join(parts)


def _concurrency_lines(run: Run) -> list[str]:
    c = run.concurrent
    measured = [t for t in run.timings if t.samples]
    if not c.samples or not measured:
        return []
    # One sequential pass over the mix costs the sum of the URLs' mean times.
    seq_pass = sum(sum(t.samples) / len(t.samples) for t in measured)
    seq_rps = len(measured) / seq_pass if seq_pass else float("nan")
    rps = len(c.samples) / c.wall if c.wall else float("nan")
    return [
        f"### Throughput, {c.threads} clients at once", "",
        f"{c.threads} client threads, each going through the whole mix ({len(measured)} URLs, baselines "
        f"included) {c.rounds} time(s) in its own shuffled order: {len(c.samples):,} requests in "
        f"{c.wall:,.1f} s = **{rps:,.2f} requests/s**. One sequential client over the same mix (from the "
        f"means above): {seq_rps:,.2f} requests/s, so {c.threads} clients get x{rps / seq_rps:,.2f}. "
        f"Latency under concurrency over all requests: p50 {_ms(percentile(c.samples, 50))}, "
        f"p95 {_ms(percentile(c.samples, 95))}, max {_ms(max(c.samples))}. gunicorn's {run.args.workers} "
        f"workers and the graph server share the machine's {run.machine['cpus']} CPUs with the client.",
    ]


def _import_verdict(imp: ImportResult) -> str:
    met = imp.total_s < IMPORT_AIM_S
    floor = percentile(imp.openpyxl_s, 50)
    return (f"**Import: {imp.written:,} of {imp.rows:,} XLSX rows in {imp.total_s:,.1f} s end to end, "
            f"{rate(imp.rows / imp.total_s if imp.total_s else 0)} rows/s "
            f"({'meets' if met else 'misses'} the aim of under {IMPORT_AIM_S:.0f} s); "
            f"x{imp.total_s / floor if floor else float('nan'):,.1f} the time openpyxl alone takes to read the file.**")


def _import_lines(imp: ImportResult) -> list[str]:
    floor = percentile(imp.openpyxl_s, 50)
    rest = imp.total_s - imp.write_s - imp.read_s

    def row(what: str, seconds: float, bold: bool = False) -> str:
        value = f"{seconds:,.1f} s"
        rps = rate(imp.rows / seconds) if seconds > 0 else "n/a"
        ratio = f"{seconds / floor:,.2f}" if floor else "n/a"
        return f"| {what} | {'**' + value + '**' if bold else value} | {rps} | {ratio} |"

    return [
        "### Import of a 100,000-row XLSX" if imp.rows == 100_000 else f"### Import of a {imp.rows:,}-row XLSX",
        "",
        f"A supply file in the DATA-FORMAT columns ({imp.file_bytes / 1024 / 1024:,.1f} MiB, written with "
        f"`matchmaker.tabular.write_xlsx` in {imp.make_s:,.1f} s, not counted): rows of the generated "
        "SMEs with new ids, imported with `matchmaker.services.imports.import_file` (what "
        "`python -m matchmaker import --kind supply FILE` runs; all or nothing, batches of 2,000) into the "
        "loaded database. The import report gives no phases, so the split below times the graph "
        "transactions the import runs; the two middle rows time the file layer's functions alone on the "
        "same file. Baseline: openpyxl in read-only mode reading every cell of the file, the floor for "
        f"any XLSX import (median of a run before and one after the import: "
        f"{', '.join(f'{s:,.1f} s' for s in imp.openpyxl_s)}).",
        "",
        "| step | seconds | rows/s | ÷ openpyxl floor |",
        "| --- | ---: | ---: | ---: |",
        row("baseline: openpyxl read-only, every cell", floor),
        row("`read_table` alone (zip checks, openpyxl, header matching)", imp.read_table_s),
        row("`parse_rows` alone (row validation)", imp.parse_rows_s),
        row("`import_file`, end to end", imp.total_s, bold=True),
        row("… in write transactions (`graph.items.upsert_many`)", imp.write_s),
        row("… in read transactions (owners, enterprise roles, regions)", imp.read_s),
        row("… the rest, in the app (reading, validating, mapping rows)", rest),
        "",
        f"Rows: {imp.rows:,} in the file, {imp.accepted:,} accepted, {imp.rejected:,} rejected, "
        f"{imp.written:,} written. Peak RSS of the benchmark process during the import: "
        f"{mib(imp.peak_rss)} ({'VmHWM reset just before it' if imp.peak_reset else 'ru_maxrss of the whole run'}; "
        f"RSS before it {mib(imp.rss_before)}, the file's bytes already in memory)."
        + (f" The imported rows were deleted again afterwards ({imp.cleanup_s:,.1f} s), so a kept data dir "
           "stays as loaded." if imp.cleanup_s else ""),
    ]


def problems(run: Run) -> list[str]:
    """What makes the run unusable as a result."""
    found = []
    for t in run.timings:
        if t.errors:
            found.append(f"GET {t.path}: {len(t.errors)} bad responses, e.g. {t.errors[0]}")
        if not t.samples:
            found.append(f"GET {t.path}: not measured")
    if run.concurrent.errors:
        found.append(f"concurrent pass: {len(run.concurrent.errors)} bad responses, "
                     f"e.g. {run.concurrent.errors[0]}")
    bad = {k: v for k, v in run.incidents.items() if v}
    if bad:
        found.append("gunicorn: " + ", ".join(f"{k} {v}" for k, v in bad.items()))
    imp = run.imp
    if imp.rows and (imp.rejected or imp.written != imp.rows):
        found.append(f"import: {imp.written} of {imp.rows} rows written, {imp.rejected} rejected; "
                     f"{'; '.join(imp.errors)}")
    return found


# -- command line --------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.list_bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--enterprises", type=int, default=FULL[0])
    p.add_argument("--items", type=int, default=FULL[1])
    p.add_argument("--quick", action="store_true",
                   help=f"{QUICK[0]:,} enterprises and {QUICK[1]:,} items; writes no file unless --report")
    p.add_argument("--data-dir", default=None,
                   help="reuse this embedded-server data dir, already loaded (no generation)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory and its data dir")
    p.add_argument("--heap", default="4g", help="JVM heap of the graph server (default 4g)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    p.add_argument("--warmup", type=int, default=3, help="warm-up requests per URL (default 3)")
    p.add_argument("--repeat", type=int, default=30, help="measured requests per URL (default 30)")
    p.add_argument("--url-budget", type=float, default=45.0,
                   help="stop measuring a URL once its samples add up to this many seconds (default 45)")
    p.add_argument("--min-samples", type=int, default=10,
                   help="... but not before it has this many (default 10)")
    p.add_argument("--concurrency", type=int, default=2, help="client threads of the throughput pass (default 2)")
    p.add_argument("--concurrent-rounds", type=int, default=1,
                   help="passes over the mix per thread (default 1)")
    p.add_argument("--import-rows", type=int, default=100_000, help="rows of the XLSX import (0 skips it)")
    p.add_argument("--report", nargs="?", const=str(common.DEFAULT_REPORT), default=None,
                   help=f"report file (default {common.DEFAULT_REPORT.relative_to(common.PROJECT_DIR)} "
                        "at full size; '-' prints only)")
    p.add_argument("--tmpdir", default=None, help="parent of the temporary directory")
    p.add_argument("--json", default=None, help="also save the raw measurements to this file")
    p.add_argument("--render", default=None, metavar="JSON",
                   help="do not run: render the report from a file saved with --json")
    args = p.parse_args(argv)
    if args.quick:
        args.enterprises, args.items = QUICK
        args.report = args.report or "-"
    args.report = args.report or str(common.DEFAULT_REPORT)
    if args.enterprises < 1 or args.items < 1 or args.repeat < 1 or args.workers < 1 \
            or args.concurrency < 1 or args.warmup < 1 or args.import_rows < 0:
        p.error("sizes, --repeat, --warmup, --workers and --concurrency must be at least 1, --import-rows at least 0")
    if args.data_dir and not (Path(args.data_dir) / "databases").is_dir():
        p.error(f"{args.data_dir} is not an embedded-server data dir (no databases/ in it)")
    return args


def save(run: Run, path: Path) -> None:
    data = asdict(run)
    data["args"] = vars(run.args)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def load(path: Path) -> Run:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["args"] = argparse.Namespace(**data["args"])
    data["timings"] = [Timing(**t) for t in data["timings"]]
    data["concurrent"] = Concurrent(**data["concurrent"])
    data["imp"] = ImportResult(**data["imp"])
    return Run(**data)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render:
        run = load(Path(args.render))
    else:
        # A `kill` of a background run stops gunicorn and the graph server too (execute's finally).
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        try:
            run = execute(args)
        except BenchError as exc:
            print(f"benchmark failed: {exc}", file=sys.stderr)
            return 1
        if args.json:
            save(run, Path(args.json))
    report = render(run)
    print(report)
    found = problems(run)
    for problem in found:
        print(f"CHECK FAILED: {problem}", file=sys.stderr)
    if args.report != "-":
        if found:
            print(f"not writing {args.report}: the checks failed", file=sys.stderr)
        else:
            common.write_section(Path(args.report), SECTION, report)
            print(f"wrote the '{SECTION}' section of {args.report}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
