# chrilink: everything starts from python3, git and make.
# `make demo` and `make test` create the environment on first use.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
SYSTEM_UV := $(shell command -v uv 2>/dev/null)
UV := $(if $(SYSTEM_UV),$(SYSTEM_UV),$(CURDIR)/.tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: help env demo test lint format bench bench-full measure-names notebooks clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked
	@touch $@

env: $(VENV)/.synced ## create or update the environment from uv.lock

demo: env ## generate a synthetic world, link it, print a summary (out/demo/)
	$(BIN)/chrilink demo --out out/demo

test: env ## run the whole test suite
	$(BIN)/pytest -n 2

lint: env ## ruff check, ruff format --check, mypy --strict
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench
	$(BIN)/mypy

format: env ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix pipeline tests bench
	$(BIN)/ruff format pipeline tests bench

bench: env ## small benchmarks (a few minutes), results in bench/results/
	$(BIN)/python bench/run.py --size small

bench-full: env ## large benchmarks (10M records; long)
	$(BIN)/python bench/run.py --size full

measure-names: env ## name-key overlap of true and random pairs per script (docs/name_keys_measurement.md)
	$(BIN)/python bench/measure_names.py

clean: ## remove the environment and outputs
	rm -rf $(VENV) .tools out .mypy_cache .ruff_cache
include notebooks/notebooks.mk
