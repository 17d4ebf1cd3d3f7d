# The two set-up commands of the README. Both build .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR := demo-data
DEMO_DB := demo.db

.PHONY: demo test install install-dev lint typecheck clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres,dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/threadline synth --ads 20000 --seed 7 --out $(DEMO_DIR)
	THREADLINE_DB=sqlite:///$(DEMO_DB) $(BIN)/threadline ingest $(DEMO_DIR)/adverts.jsonl --source synth
	@echo "--- the same file again: everything is recognised, nothing is added twice"
	THREADLINE_DB=sqlite:///$(DEMO_DB) $(BIN)/threadline ingest $(DEMO_DIR)/adverts.jsonl --source synth
	THREADLINE_DB=sqlite:///$(DEMO_DB) $(BIN)/threadline scan
	@echo "--- adverts linked into operations, ranked for triage, with the evidence of every link"
	THREADLINE_DB=sqlite:///$(DEMO_DB) $(BIN)/threadline link
	THREADLINE_DB=sqlite:///$(DEMO_DB) $(BIN)/threadline operations --limit 5
	THREADLINE_DB=sqlite:///$(DEMO_DB) $(BIN)/threadline operation 1 --links 5
	THREADLINE_DB=sqlite:///$(DEMO_DB) $(BIN)/threadline stats
	THREADLINE_DB=sqlite:///$(DEMO_DB) $(BIN)/threadline adverts search "passport" --limit 3
	head -n 3 $(DEMO_DIR)/adverts.jsonl > $(DEMO_DIR)/sample.jsonl
	@echo "--- three adverts scanned as a filter, without a store: evidence highlighted, score explained"
	$(BIN)/threadline scan $(DEMO_DIR)/sample.jsonl
	@echo
	@echo "Next: export THREADLINE_DB=sqlite:///$(DEMO_DB); then .venv/bin/threadline --help"
	@echo "      .venv/bin/threadline explain ID  (an id from the 'Highest risk' table above)"
	@echo "      .venv/bin/threadline operation 2; threadline judge --help  (confirm or reject links)"
	@echo "      docs/guide.md walks you through a first investigation."

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install-dev
	$(BIN)/mypy

test: install-dev lint typecheck
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(DEMO_DIR) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm

bench: install-dev
	$(BIN)/python -m benchmarks.run
