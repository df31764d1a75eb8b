# The two commands a newcomer needs: `make demo` and `make test` (see README.md).
PYTHON := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint pytest translations serve bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(BIN)/modig compile-translations

# Installs, migrates an SQLite database under var/, generates the demo region when the
# database is new, prints the demo log-ins and serves on http://127.0.0.1:8000.
demo: translations
	$(BIN)/modig migrate --noinput
	$(BIN)/modig demo --if-new
	$(BIN)/modig serve

lint: install
	$(BIN)/ruff check .

# Two processes (pytest-xdist): the suite takes about half as long on a two-core machine.
PYTEST_ARGS ?= -n 2

pytest: translations
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint pytest

bench: translations
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var/static
