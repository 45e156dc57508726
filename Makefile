# `make run` and `make test` do all the set-up themselves: system packages (apt-get as root, else
# a message saying what to install), the virtualenv in .venv, and medloc installed in it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.medloc-installed
PYTEST_ARGS ?=

.PHONY: setup system run test lint bench clean

setup: system $(STAMP)

# System packages first: the hunspell binding compiles against libhunspell-dev.
system:
	@./scripts/system-packages.sh $(if $(filter test,$(MAKECMDGOALS)),test,run)

$(STAMP): pyproject.toml | system
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "medloc: installing Python packages into $(VENV) (log: $(VENV)/pip.log)"
	@$(BIN)/python -m pip install -q --upgrade pip > $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	@$(BIN)/python -m pip install -q -e ".[dev]" >> $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	@echo "medloc: building the lemma dictionaries (once per machine, ~7 s)"
	@$(BIN)/python -c "from medloc.glossary.forms import prepare_lemmas; prepare_lemmas(['en', 'es', 'fr', 'de'])"
	@touch $(STAMP)

run: setup
	$(BIN)/medloc run

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check src flows tests bench

bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf out .prefect .medloc .pytest_cache
