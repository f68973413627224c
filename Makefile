# One-command entry points. `make report` and `make test` work on a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install data report draft test lint bench clean

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
	$(BIN)/sendreport render --params params/england.yml

lint: install
	$(BIN)/ruff check src tests scripts notebooks

test: install lint
	$(BIN)/python -m pytest -q -n auto

bench: install
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_render.py

draft: data
	$(BIN)/sendreport render --params params/england.yml --draft

clean:
	rm -rf data/cache report/_draft
