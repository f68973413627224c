# One-command entry points. `make report` and `make test` work on a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install data report test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

data: install
	$(BIN)/sendreport data pull
	$(BIN)/sendreport data check

report: data
	$(BIN)/sendreport data tables
	@echo "make report: data layer built and validated. Rendering (notebooks, HTML and PDF) arrives with the findings and rendering issues; this target stops after the data step for now."

lint: install
	$(BIN)/ruff check src tests scripts

test: install lint
	$(BIN)/python -m pytest -q -n auto

bench: install
	$(BIN)/python scripts/bench.py

clean:
	rm -rf data/cache
