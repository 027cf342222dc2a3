# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench proto clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev,openai,anthropic,bedrock]"
	touch $@

run: $(VENV)/.run-installed
	$(BIN)/mangaassist serve

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest
	# The golden-set gate: at least 90% pass and no price, ASIN, PII or other-customer failure.
	$(BIN)/mangaassist eval run --no-cache --min-pass 0.90 \
		--junit .mangaassist/golden-junit.xml --html .mangaassist/golden.html

bench: $(VENV)/.dev-installed
	$(BIN)/pytest benchmarks --benchmark-only -p no:randomly

proto: $(VENV)/.dev-installed
	$(BIN)/python -m mangaassist.storefront.protogen

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
