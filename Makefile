# One-command entry points. `make report` and `make test` work on a fresh clone and leave
# `git status` clean; only `make publish VERSION=...` adds to report/.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install data report draft publish councils test test-tools lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

data: install
	$(BIN)/sendreport data pull
	$(BIN)/sendreport data check

# Reproduce the latest England edition into report/_draft/ (ignored by git) and say whether
# its numbers match the published version's.
report: data
	$(BIN)/sendreport render --params params/england.yml --draft
	$(BIN)/sendreport compare

# Publish a new version: report/$(VERSION)/ and the versions index (never overwrites one);
# NOTE="..." gives the index a line on why (a change the figures cannot show).
publish: data
	@test -n "$(VERSION)" || { echo "make publish needs a version name: make publish VERSION=2026-12-01"; exit 2; }
	$(BIN)/sendreport render --params params/england.yml --version $(VERSION) --note "$(NOTE)" $(if $(COUNCILS),--councils)

lint: install
	$(BIN)/ruff check src tests scripts notebooks

# The England edition and an edition for every council, into report/_draft/ (ONLY=Kent,Leeds for
# a few); `make publish VERSION=... COUNCILS=1` publishes them in report/councils/.
councils: data
	$(BIN)/sendreport render --params params/england.yml --draft --councils $(if $(ONLY),--only "$(ONLY)")

# Debian's Chromium and axe-core for the browser tests: installed here, or one line says how
test-tools: install
	$(BIN)/python scripts/ensure_test_tools.py

test: install lint test-tools
	$(BIN)/python -m pytest -q -n auto

bench: install
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_render.py
	$(BIN)/python scripts/bench_councils.py

draft: report

clean:
	rm -rf data/cache report/_draft
