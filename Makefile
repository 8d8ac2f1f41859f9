# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall whenever the dependency list changes.
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# Browser tests drive Debian's Chromium; no test tool downloads a browser of its own.
BROWSER := /usr/bin/chromium /usr/bin/chromedriver
SUDO    := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: install run test lint bench clean browser

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

browser: $(BROWSER)

$(BROWSER) &:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver

# Ingest is incremental: with an unchanged corpus it only hashes the files.
run: install
	$(BIN)/assistant ingest
	$(BIN)/assistant serve --host 127.0.0.1 --port 8000

test: install browser
	$(BIN)/python -m pytest

# Latency through the served app (API and chat page); prints medians and p95.
bench: install
	$(BIN)/python bench/serve_latency.py

lint: install
	$(BIN)/ruff check assistant ingest vectorstore ui tests bench eval
	$(BIN)/ruff format --check assistant ingest vectorstore ui tests bench eval

clean:
	rm -rf $(VENV) data/index data/uploads .pytest_cache
