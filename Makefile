# `make run` serves the platform; `make test` runs the tests. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test e2e eval train-reranker bench bench-load bench-lists bench-list-index bench-match bench-funnel clean-graph

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m matchmaker serve

test: $(STAMP)
	@sh scripts/ensure_chromium.sh
	@sh scripts/ensure_nginx.sh
	$(BIN)/python -m pytest

# The integration suite once more, reaching the embedded server by neo4j:// (the routing protocol
# of a Neo4j cluster) instead of bolt:// (docs/DEPLOYMENT.md, "A Neo4j cluster").
.PHONY: test-routing
test-routing: $(STAMP)
	TEST_GRAPH_ROUTING=1 $(BIN)/python -m pytest tests/integration -q

# Schemathesis over the whole API (docs/SECURITY.md): `make test` runs a few examples of the fuzzing
# phase; this runs the coverage, fuzzing and stateful phases with more examples, as an official and an SME.
API_FUZZ_EXAMPLES ?= 30
.PHONY: fuzz
fuzz: $(STAMP)
	API_FUZZ_EXAMPLES=$(API_FUZZ_EXAMPLES) API_FUZZ_PHASES=coverage,fuzzing,stateful \
		$(BIN)/python -m pytest tests/security/api_fuzz.py -q -s

e2e: $(STAMP)
	@sh scripts/ensure_chromium.sh
	$(BIN)/python -m pytest tests/e2e -q

# Matching quality: the engine against BM25 and the encoder alone, on the held-out splits
# (docs/MATCHING.md). `train-reranker` refits the shipped weights on the development splits.
eval: $(STAMP)
	$(BIN)/python -m bench.eval.run --report
	$(BIN)/python -m bench.eval.platform --report

train-reranker: $(STAMP)
	$(BIN)/python -m bench.eval.train
	MATCH_ENCODER=none $(BIN)/python -m bench.eval.train

bench: bench-load bench-lists bench-match

bench-load: $(STAMP)
	$(BIN)/python -m bench.load_bench

bench-lists: $(STAMP)
	$(BIN)/python -m bench.list_bench

# The shared list index against the per-process catalog it replaced (200k items, ~10 min).
bench-list-index: $(STAMP)
	$(BIN)/python -m bench.list_index_bench --report

# Full size without vectors by default (encoding 1M texts takes hours on 2 cores);
# e.g. `make bench-match MATCH_BENCH_ARGS="--quick --report"` for the smoke run with vectors.
MATCH_BENCH_ARGS ?= --encoder none
bench-match: $(STAMP)
	$(BIN)/python -m bench.match_bench $(MATCH_BENCH_ARGS)

# The batch plan solver on synthetic inputs of the largest chain and all chains (1M items); see bench/plan_bench.py.
PLAN_BENCH_ARGS ?=
.PHONY: bench-plan
bench-plan: $(STAMP)
	$(BIN)/python -m bench.plan_bench $(PLAN_BENCH_ARGS)

# The docking funnel over engagements made through the service (docs/BENCHMARKS.md, "Docking funnel").
FUNNEL_BENCH_ARGS ?=
bench-funnel: $(STAMP)
	$(BIN)/python -m bench.funnel_bench $(FUNNEL_BENCH_ARGS)

clean-graph:
	$(BIN)/python -m matchmaker graph stop; rm -rf var/graph

# The officials' dashboard and the monthly rate snapshot on `seed generate` data; see bench/officials_bench.py.
OFFICIALS_BENCH_ARGS ?=
.PHONY: bench-officials
bench-officials: $(STAMP)
	$(BIN)/python -m bench.officials_bench $(OFFICIALS_BENCH_ARGS)
# The largest chain's gap map, localization breakdown and resilience through the API (bench/chain_bench.py);
# e.g. `make bench-chain CHAIN_BENCH_ARGS="--enterprises 1000 --items 10000 --report -"` for a quick run.
.PHONY: bench-chain
bench-chain: $(STAMP)
	$(BIN)/python -m bench.chain_bench $(CHAIN_BENCH_ARGS)

# Load test: locust's simulated users of every role against gunicorn (bench/traffic/run.py); full size
# by default (100k firms, 1M items, 300 s). `make load-test LOAD_TEST_ARGS="--quick"` is the CI-sized run.
LOAD_TEST_ARGS ?= --report
.PHONY: load-test
load-test: $(STAMP)
	$(BIN)/python -m bench.traffic.run $(LOAD_TEST_ARGS)

# Hostile uploads (issue 12): time, memory and answer size of the import's file step; see bench/hostile_uploads.py.
.PHONY: bench-hostile
bench-hostile: $(STAMP)
	$(BIN)/python -m bench.hostile_uploads --report
