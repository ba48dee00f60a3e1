# Two commands do everything on a fresh machine:
#   make demo   builds the graph from seeds/ into build/ and writes the HTML view
#   make test   runs the whole test suite
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
KG := $(VENV)/bin/kg
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint check bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p build
	$(KG) extract seeds -o build/seed.ttl --force
	$(KG) extract seeds -o build/seed.trig --force
	$(KG) validate build/seed.ttl
	$(KG) viz build/seed.ttl -o build/graph.html --force
	$(KG) query fabricators --param company=OpenAI --graph build/seed.ttl
	@echo "open build/graph.html in a browser; the graph is build/seed.ttl (with background facts: build/seed.trig)"

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check kg tests bench
	$(VENV)/bin/ruff format --check kg tests bench
	$(VENV)/bin/mypy

check: lint test

bench: $(STAMP)
	-$(PY) bench/score_components.py  # exits 1 while an entry misses a sentence: report, go on
	$(PY) bench/bench_extract.py
	$(PY) bench/bench_query.py
	$(PY) bench/bench_viz.py
	$(PY) bench/bench_bad_inputs.py
	$(PY) bench/bench_store.py

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
