# Kunlu: the whole setup is `make demo` (serve the demo zone) and `make test` (run every test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_DATA := $(CURDIR)/var/test
PYTEST_WORKERS ?= 2

.PHONY: demo serve worker test lint format test-sqlite test-postgres test-e2e system-deps messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

## demo: install, migrate, load the demo zone, start the worker and serve on 127.0.0.1:8000
demo: $(VENV)/.installed
	$(BIN)/kunlu demo
	@$(BIN)/kunlu worker > $${KUNLU_DATA_DIR:-$$HOME/.local/share/kunlu}/worker.log 2>&1 & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  echo "后台任务进程已启动 (worker pid $$worker)"; \
	  $(BIN)/kunlu serve

## test: lint, then the whole suite on SQLite, again on PostgreSQL, then the browser tests
test: $(VENV)/.installed-test system-deps lint test-sqlite test-postgres test-e2e

system-deps:
	@bash scripts/system-deps.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy src
	$(BIN)/kunlu manage makemigrations --check --dry-run
	$(BIN)/python scripts/check_messages.py

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

test-sqlite: $(VENV)/.installed-test
	rm -rf $(TEST_DATA)/sqlite && mkdir -p $(TEST_DATA)/sqlite
	KUNLU_DATA_DIR=$(TEST_DATA)/sqlite DATABASE_URL= $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider src

test-postgres: $(VENV)/.installed-test
	rm -rf $(TEST_DATA)/postgres && mkdir -p $(TEST_DATA)/postgres
	KUNLU_DATA_DIR=$(TEST_DATA)/postgres DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider src

test-e2e: $(VENV)/.installed-test
	rm -rf $(TEST_DATA)/e2e && mkdir -p $(TEST_DATA)/e2e
	KUNLU_DATA_DIR=$(TEST_DATA)/e2e DATABASE_URL= $(BIN)/pytest -p no:cacheprovider tests/e2e

messages: $(VENV)/.installed-test
	cd src/kunlu && ../../$(BIN)/kunlu manage makemessages -l en --no-obsolete --no-location
	cd src/kunlu && ../../$(BIN)/kunlu manage compilemessages -l en

clean:
	rm -rf $(VENV) var
