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
.PHONY: help venv lab test test-unit test-notebooks test-browser bench lint format clean-notebooks wheel clean

help:
	@echo "make lab              set up .venv, copy the course to LAB_WORKSPACE (~/itpm-course) and open JupyterLab there (LAB_ARGS=... for more)"
	@echo "make test             set up .venv and run the whole suite (lint, tests, notebooks, quick benchmark)"
	@echo "make bench            all benchmarks (CPM, Monte Carlo, agile, widgets, grading)"
	@echo "make lint | format    ruff check / ruff format + fix"
	@echo "make clean-notebooks  strip outputs and metadata from every notebook"
	@echo "make wheel            build the wheel into dist/"

# The venv is rebuilt when pyproject.toml or constraints.txt change, when it is missing, or
# when its interpreter no longer runs (e.g. the system python was upgraded underneath it).
$(STAMP): pyproject.toml constraints.txt
	@if ! $(BIN)/python -c 'import sys' >/dev/null 2>&1; then \
	  echo "Creating $(VENV) with $(PYTHON)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,fast]"
	@touch $(STAMP)

venv: $(STAMP)

lab: $(STAMP)
	$(BIN)/itpm-course start --workspace "$(LAB_WORKSPACE)" -- $(LAB_ARGS)

# The whole suite: lint; unit, integration, nbgrader and instructor tests in parallel; every
# notebook under nbval; the real-browser suite (one JupyterLab, one Chromium: serial); the
# benchmarks in quick mode (ratios reported, never asserted).
test: export MPLBACKEND = Agg
test: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/pytest -n auto --dist loadfile -m "not browser" tests/
	$(NBVAL)
	$(BIN)/pytest -m browser tests/browser
	$(BIN)/python benchmarks/bench_cpm.py --quick
	$(BIN)/python benchmarks/bench_montecarlo.py --quick

# Parts of the suite on their own, for quicker loops.
test-unit: export MPLBACKEND = Agg
test-unit: $(STAMP)
	$(BIN)/pytest -n auto --dist loadfile -m "not browser" tests/

test-notebooks: export MPLBACKEND = Agg
test-notebooks: $(STAMP)
	$(NBVAL)

# nbval on copies of the (output-free) notebooks that carry the golden outputs of the cells
# marked NBVAL_CHECK_OUTPUT; after an intended change: notebook_tools record notebooks
NBVAL = rm -rf build/nbval && $(BIN)/python -m itpm_course.notebook_tools apply notebooks --to build/nbval \
	&& $(BIN)/pytest -n auto --dist loadfile --nbval-lax build/nbval

test-browser: $(STAMP)
	$(BIN)/pytest -m browser tests/browser

bench: export MPLBACKEND = Agg
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_cpm.py
	$(BIN)/python benchmarks/bench_montecarlo.py
	$(BIN)/python benchmarks/bench_agile.py
	$(BIN)/python benchmarks/bench_widgets.py
	$(BIN)/python benchmarks/bench_grading.py

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
