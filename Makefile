# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall whenever the dependency list changes.
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

# Ingest is incremental: with an unchanged corpus it only hashes the files.
run: install
	$(BIN)/assistant ingest
	$(BIN)/assistant chat

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check assistant ingest vectorstore ui tests
	$(BIN)/ruff format --check assistant ingest vectorstore ui tests

clean:
	rm -rf $(VENV) data/index .pytest_cache
