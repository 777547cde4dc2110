# RegStudy: `make run` sets up and starts the app; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup model browser index run test lint bench bench-ask bench-app bench-scale clean

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

# The browser tests drive Debian's Chromium (never `playwright install`); CJK fonts for screenshots;
# LibreOffice opens the corrected handouts (Word tracked changes) the checker writes.
APT_BROWSER := chromium fonts-wqy-zenhei libreoffice-writer-nogui
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_BROWSER); \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_BROWSER); \
	else echo "警告：没有 Chromium，也无权安装（apt-get install $(APT_BROWSER)）；浏览器测试将跳过（CI=true 时失败）。"; fi

test: setup browser
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: setup
	$(PY) benchmarks/bench_ingest.py $(BENCH_ARGS)

bench-ask: model
	$(PY) benchmarks/bench_ask.py $(BENCH_ARGS)

bench-app: model browser
	$(PY) benchmarks/bench_app.py $(BENCH_ARGS)

# The scale benchmark: LARGE=path/to/corpus-large (without it, the two documents only).
bench-scale: model
	$(PY) benchmarks/bench_scale.py $(if $(LARGE),--large $(LARGE)) $(BENCH_ARGS)

clean:
	rm -rf data
