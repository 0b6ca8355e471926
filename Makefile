# svgarch — the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck golden-accept bench check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p out
	@for spec in examples/*.toml; do \
		name=$$(basename $$spec .toml); \
		echo "render $$spec -> out/$$name.svg out/$$name.png"; \
		$(BIN)/svgarch render $$spec -o out/$$name.svg -o out/$$name.png || exit 1; \
	done

test: $(STAMP)
	$(BIN)/ruff check svgarch tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

golden-accept: $(STAMP)
	$(BIN)/python -m tests.golden accept

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_render.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
