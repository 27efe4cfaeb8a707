# make demo   — ingest the bundled Arabic demo site through the real pipeline (embedded mode)
# make test   — lint, types, then every test, fast tier first, failing fast (starts local Redis/PostgreSQL when
#               installed but stopped)
# make test-unit — the fast tier alone (in-process tests, seconds); make types — mypy
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.NOTPARALLEL:

.PHONY: install demo serve-demo test test-unit test-integration lint types bench chaos-quick services packaging-check clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,bench,semantic]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/akhbar demo

serve-demo: install
	$(BIN)/akhbar demo --serve

services:
	bash tests/services.sh

lint: install
	$(BIN)/ruff check .

types: install
	$(BIN)/mypy

# Tiers (markers set in tests/conftest.py): unit = in-process; integration = servers, processes, the long runs;
# browser = headless Chromium.
test-unit: install
	$(BIN)/python -m pytest -q -m unit

test-integration: install services
	$(BIN)/python -m pytest -q -m "not unit"

# In this order, stopping at the first that fails: prerequisites run left to right, one at a time (.NOTPARALLEL).
test: install lint types test-unit test-integration

bench: install
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/dedupe_quality.py
	$(BIN)/python bench/dedupe_speed.py
	$(BIN)/python bench/fetch.py
	$(BIN)/python bench/scheduler.py
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/fuzz.py
	$(BIN)/python bench/chaos.py

packaging-check:  # build the wheel, install it without extras in a clean venv, ingest the demo with a site rule
	bash .ci/packaging

chaos-quick: install
	$(BIN)/python bench/chaos.py --quick

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache
