# make demo   — ingest the bundled Arabic demo site through the real pipeline (embedded mode)
# make test   — lint and run every test (starts local Redis/PostgreSQL when installed but stopped)
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.PHONY: install demo serve-demo test lint bench chaos-quick services clean

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

test: install services lint
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/dedupe_quality.py
	$(BIN)/python bench/dedupe_speed.py
	$(BIN)/python bench/fetch.py
	$(BIN)/python bench/scheduler.py
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/fuzz.py
	$(BIN)/python bench/chaos.py

chaos-quick: install
	$(BIN)/python bench/chaos.py --quick

clean:
	rm -rf $(VENV) data .pytest_cache
