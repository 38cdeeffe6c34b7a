# Two entry points for a fresh machine (Python 3.11+, git, make):
#   make run   - install into .venv and launch imgtui on your default database
#   make test  - install into .venv (with test extras) and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: run demo test bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# The app alone for `make run`; the test and lint tools too for `make test`.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/imgtui

demo: $(VENV)/.installed
	$(BIN)/imgtui --demo

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) .pytest_cache
