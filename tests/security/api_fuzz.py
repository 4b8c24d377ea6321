"""Schemathesis over the whole API: every operation, every check, as an official and as an SME.

The app runs on the test's real graph behind a local HTTP server (werkzeug, one thread), seeded
with a firm of each side, an item of each kind, an engagement and a round, so that ids exist;
schemathesis also reuses ids from the answers it gets. `make test` runs the fuzzing phase with a
few examples per operation (a minute or so); `make fuzz` adds the coverage phase (boundaries,
missing and unexpected values, undeclared methods) and the stateful phase, which follows the
document's links, with more examples (API_FUZZ_EXAMPLES, API_FUZZ_PHASES). docs/SECURITY.md has
the figures; tests/integration/test_api_contract.py pins what the runs found.

A 422 to a request the document allows is a failure, except on operations whose document says
when data makes it one (Op.refuses: a chain that does not exist ...).

Run in a pytest process of its own (tests/security/test_api_fuzz.py starts it): hypothesis and
schemathesis leave CPython 3.11's recursion accounting in a state where a later `compile()` of an
AST (werkzeug compiles its URL rules) can fail with "AST constructor recursion depth mismatch"
(seen in a full run, in the next test's create_app).
"""
from __future__ import annotations

import datetime
import os
import threading
from contextlib import contextmanager

import pytest

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.config import SchemathesisConfig  # noqa: E402
from schemathesis.engine import events, from_schema  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from matchmaker.api.openapi import OPERATIONS, api_routes  # noqa: E402
from matchmaker.docking import engagements, rounds  # noqa: E402
from matchmaker.services import items as item_service  # noqa: E402
from tests.helpers import HOME, SYSTEM, gen_enterprise, gen_token, gen_user, uid  # noqa: E402

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
PHASES = os.environ.get("API_FUZZ_PHASES", "fuzzing").split(",")
SEED = int(os.environ.get("API_FUZZ_SEED", "20261130"))
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]   # schemathesis's default for valid data


def _seed(db) -> dict:
    """Two firms, an item of each kind, an engagement between them and a round; accounts by role."""
    sme, leader = gen_enterprise(db, "sme", chains=["nev"]), gen_enterprise(db, "leader", chains=["nev"])
    supply = item_service.create_item(db, SYSTEM, "supply", {
        "id": uid("S"), "enterprise_id": sme["id"], "name": "铝合金压铸件", "category": "nev.lightweight-castings",
        "status": "published"}, HOME)
    demand = item_service.create_item(db, SYSTEM, "demand", {
        "id": uid("D"), "enterprise_id": leader["id"], "name": "高压线束", "category": "nev.electrical-parts",
        "status": "published", "quantity": 1000, "unit_price": 12.5}, HOME)
    engagements.invite(db, SYSTEM, demand["id"], sme["id"], supply["id"])
    rounds.create_round(db, SYSTEM, {"title": "新能源汽车对接会", "date": datetime.date(2027, 3, 1), "chains": ["nev"]})
    return {"official": gen_user(db, "official"), "sme": gen_user(db, "sme", enterprise_id=sme["id"])}


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):   # thousands of requests: the failures say what matters
        pass


@contextmanager
def _served(app):
    server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def _refusing_operations(app) -> list[str]:
    """operationIds whose document names data-dependent 422s (Op.refuses)."""
    return [endpoint.split(".")[-1] for method, rule, endpoint in api_routes(app)
            if OPERATIONS.get(f"{method} {rule}") and OPERATIONS[f"{method} {rule}"].refuses]


def _config(base_url: str, token: str, refusing: list[str]) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": SEED, "base-url": base_url, "workers": 1, "suppress-health-check": ["all"],
        "request-timeout": 60,   # the first plan or match builds the matching engine
        "cache": {"enabled": False},   # each run on its own: no state kept in .schemathesis/
        "headers": {"Authorization": f"Bearer {token}"},
        "checks": {"enabled": True},
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {name: {"enabled": name in PHASES} for name in ("examples", "coverage", "fuzzing", "stateful")},
        "operations": [{"include-operation-id": refusing,
                        "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}}},
                       # werkzeug's automatic OPTIONS also lists PATCH: /engagements/<engagement_id> matches 'funnel'
                       {"include-operation-id": "engagement_funnel",
                        "checks": {"allow_header_conformance": {"enabled": False}}}],
    })


def fuzz(app, token: str) -> tuple[int, set, dict]:
    """(cases run, operations tested outside the stateful phase, {(operation, check, title): one failing
    exchange}) of one schemathesis run."""
    with app.test_client() as client:
        document = client.get("/api/v1/openapi.json").get_json()
    with _served(app) as base_url:
        schema = schemathesis.openapi.from_dict(document, config=_config(base_url, token, _refusing_operations(app)))
        cases, operations, failures = 0, set(), {}
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                cases += len(event.recorder.cases)
                if event.phase.value != "stateful" and event.recorder.cases:
                    operations.add(event.recorder.label)
                failures.update(_failures(event.recorder))
            elif isinstance(event, events.PhaseStarted) and event.payload is not None and "stateful" in PHASES:
                print(f"\nstateful phase: {event.payload.transitions_total} links to follow")
            elif isinstance(event, (events.NonFatalError, events.FatalError)):
                error = getattr(event, "value", None) or getattr(event, "exception", None)
                failures[(getattr(event, "label", "engine"), "error", repr(error)[:200])] = ""
    return cases, operations, failures


def _failures(recorder) -> dict:
    found = {}
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.failure_info is None:
                continue
            exchange = recorder.interactions.get(case_id)
            sample = ""
            if exchange is not None and exchange.response is not None:
                request = exchange.request
                sample = (f"{request.method} {request.uri} {(request.body or b'')[:200]!r} -> "
                          f"{exchange.response.status_code} {exchange.response.content[:300]!r}")
            label = recorder.cases[case_id].value.operation.label if case_id in recorder.cases else recorder.label
            found.setdefault((label, check.name, check.failure_info.failure.title), sample)
    return found


@pytest.mark.parametrize("role", ["official", "sme"])
def test_every_operation_passes_every_check(app, db, role):
    token = gen_token(db, _seed(db)[role])
    cases, operations, failures = fuzz(app, token)
    report = "\n".join(f"{op} [{check}] {title}\n    {sample}"
                       for (op, check, title), sample in sorted(failures.items()))
    print(f"\nschemathesis as {role}: {cases} cases, {len(failures)} distinct failures\n{report}")
    documented = {f"{method.upper()} {path}" for path, item in app.test_client().get(
        "/api/v1/openapi.json").get_json()["paths"].items() for method in item}
    assert cases and (operations == documented or "fuzzing" not in PHASES), documented - operations
    assert not failures, report
