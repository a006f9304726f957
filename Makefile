# One task runner. `make run` and `make test` are the README's quick start.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install index run test lint typecheck unit eval bench clean

# torch goes in first, pinned to the CPU build on this machine's disk; sentence-transformers would
# otherwise pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
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

eval: index  ## retrieval quality and declining on the three question sets; answers offline
	$(BIN)/coach eval retrieval
	$(BIN)/coach eval retrieval --gold evals/decline_dev.yaml
	$(BIN)/coach eval retrieval --gold evals/retrieval_holdout.yaml
	$(BIN)/coach eval answers --offline
	$(BIN)/coach eval facts
	$(BIN)/coach eval leaders

bench: index
	$(PY) benchmarks/bench_retrieval.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
