# One command to learn, one to verify:  make lab  |  make test
# Every target that runs code depends on $(STAMP), the single place the venv is set up.

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
LAB_ARGS ?=
# Where `make lab` copies the course for you to work in (your edits there are never overwritten).
LAB_WORKSPACE ?= $(HOME)/itpm-course
NOTEBOOKS = $(shell find notebooks solutions assignments -name '*.ipynb' \
              -not -path '*/.ipynb_checkpoints/*' 2>/dev/null | sort)
LINT_PATHS := itpm_course tests benchmarks solutions/*.py nbgrader_config.py

.DEFAULT_GOAL := help
.PHONY: help venv lab test test-unit test-notebooks bench lint format clean-notebooks wheel clean

help:
	@echo "make lab              set up .venv, copy the course to LAB_WORKSPACE (~/itpm-course) and open JupyterLab there (LAB_ARGS=... for more)"
	@echo "make test             set up .venv and run the whole suite (lint, tests, notebooks, quick benchmark)"
	@echo "make bench            full CPM benchmark (1k, 10k, 100k tasks)"
	@echo "make lint | format    ruff check / ruff format + fix"
	@echo "make clean-notebooks  strip outputs and metadata from every notebook"
	@echo "make wheel            build the wheel into dist/"

# The venv is rebuilt when pyproject.toml or constraints.txt change, when it is missing, or
# when its interpreter no longer runs (e.g. the system python was upgraded underneath it).
$(STAMP): pyproject.toml constraints.txt
	@if ! $(BIN)/python -c 'import sys' >/dev/null 2>&1; then \
	  echo "Creating $(VENV) with $(PYTHON)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $(STAMP)

venv: $(STAMP)

lab: $(STAMP)
	$(BIN)/itpm-course start --workspace "$(LAB_WORKSPACE)" -- $(LAB_ARGS)

test: export MPLBACKEND = Agg
test: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/pytest -n auto --dist loadfile tests/
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  echo "$(BIN)/pytest --nbval-lax notebooks/"; $(BIN)/pytest --nbval-lax notebooks/; \
	else echo "nbval: no notebooks in notebooks/ yet, skipped"; fi
	$(BIN)/python benchmarks/bench_cpm.py --quick

# The two halves of the suite on their own, for quicker loops.
test-unit: export MPLBACKEND = Agg
test-unit: $(STAMP)
	$(BIN)/pytest -n auto --dist loadfile tests/

test-notebooks: export MPLBACKEND = Agg
test-notebooks: $(STAMP)
	$(BIN)/pytest --nbval-lax notebooks/

bench: export MPLBACKEND = Agg
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_cpm.py

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/python -m itpm_course.notebook_tools check $(or $(NOTEBOOKS),notebooks)

format: $(STAMP)
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

clean-notebooks: $(STAMP)
	$(if $(NOTEBOOKS),$(BIN)/python -m itpm_course.notebook_tools clean $(NOTEBOOKS),@echo "no notebooks")

wheel: $(STAMP)
	$(BIN)/python -m pip wheel --no-deps --wheel-dir dist .

clean:
	rm -rf dist build .pytest_cache .ruff_cache .hypothesis benchmarks/results
