# One task runner. `make run` and `make test` are the README's quick start.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install index run test test-fast lint typecheck unit eval bench clean

# torch goes in first, pinned to the CPU build on this machine's disk; sentence-transformers would
# otherwise pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	@# Export the embedding model to ONNX now, so no query waits for it; without it queries use PyTorch.
	$(PY) -m bot.retrieval.onnx_embedder || echo "ONNX export failed: the coach will use sentence-transformers."
	@# The trends HTML report is tested in a real headless browser, Debian's chromium (best effort: root and apt only).
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; }; } \
		|| echo "Chromium not installed: the browser test of the trends report will skip."
	touch $(STAMP)

install: $(STAMP)

index: install  ## build or refresh the search index (incremental: seconds when nothing changed)
	$(BIN)/coach ingest

run: index  ## talk to the coach in the terminal, on its embedded defaults
	$(BIN)/coach chat

lint: install
	$(BIN)/ruff check bot tests benchmarks

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

test: lint typecheck unit  ## everything CI runs

test-fast: install  ## the core on in-memory fakes: no database, model, process or server (seconds)
	$(BIN)/pytest -m "not integration"

eval: index  ## retrieval quality and declining on the three question sets; answers offline
	$(BIN)/coach eval retrieval
	$(BIN)/coach eval retrieval --gold evals/decline_dev.yaml
	$(BIN)/coach eval retrieval --gold evals/retrieval_holdout.yaml
	$(BIN)/coach eval answers --offline
	$(BIN)/coach eval conversations --offline
	$(BIN)/coach eval facts
	$(BIN)/coach eval leaders

bench: index
	$(PY) benchmarks/bench_retrieval.py
	$(PY) benchmarks/bench_serving.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
