# RegStudy: `make run` sets up and starts the app; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup model index run test lint bench bench-ask clean

setup: $(STAMP) model

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

model: $(STAMP)
	$(PY) -m regstudy fetch-model

index: setup
	$(PY) -m ingest

run: index
	$(PY) app.py

test: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: setup
	$(PY) benchmarks/bench_ingest.py $(BENCH_ARGS)

bench-ask: model
	$(PY) benchmarks/bench_ask.py $(BENCH_ARGS)

clean:
	rm -rf data
