# svgarch — the README's two commands are `make demo` and `make test`.
# Each installs what it needs: Debian packages (when missing, as root), then .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# what rendering needs (make demo), then the test tools on top (make test): two stamps, so a demo
# installs no test tools
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

# fonts the themes measure and render with, fontconfig to find them, cairo for PNG/PDF
DEMO_PACKAGES := fontconfig fonts-dejavu-core libcairo2
# plus the browser the in-browser tests drive (never a downloaded one) and rsvg-convert, a second renderer
# the cross-renderer tests compare with cairosvg (resvg comes from PyPI: Debian bookworm has no resvg),
# and Graphviz, whose SVGs `svgarch check` reads with the same ruler (tests/test_quality.py)
# and Noto, the fonts the tests of text in other scripts fall back to (Japanese, Hebrew, Arabic, emoji)
SCRIPT_FONTS := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
TEST_PACKAGES := $(DEMO_PACKAGES) chromium librsvg2-bin graphviz $(SCRIPT_FONTS)
# make quick leaves the browser out
QUICK_PACKAGES := $(DEMO_PACKAGES) librsvg2-bin graphviz $(SCRIPT_FONTS)

# plus Graphviz, the peer the layout benchmark measures against
BENCH_PACKAGES := $(DEMO_PACKAGES) graphviz

.PHONY: demo test quick fuzz lint typecheck golden-accept bench clean system-demo system-test system-quick system-bench

define apt_install
	@missing=""; \
	if command -v dpkg >/dev/null; then \
	  for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing (install them as root)"; exit 1; \
	  fi; \
	fi
endef

system-demo:
	$(call apt_install,$(DEMO_PACKAGES))

system-test:
	$(call apt_install,$(TEST_PACKAGES))

system-quick:
	$(call apt_install,$(QUICK_PACKAGES))

system-bench:
	$(call apt_install,$(BENCH_PACKAGES))

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# compileall: a render is a short process, so it should not compile its modules
# each time (PYTHONDONTWRITEBYTECODE stops Python from caching them itself)
demo: system-demo $(STAMP)
	@$(BIN)/python -m compileall -q svgarch
	mkdir -p out
	@for spec in examples/*.toml; do \
		name=$$(basename $$spec .toml); \
		echo "render $$spec -> out/$$name.svg out/$$name.png"; \
		$(BIN)/svgarch render $$spec -o out/$$name.svg -o out/$$name.png || exit 1; \
	done
	$(BIN)/svgarch check examples/*.toml
	$(BIN)/svgarch gallery examples/cnn_v3.toml -o out/gallery.png

test: system-test lint typecheck
	$(BIN)/python -m pytest

# the edit-test loop: lint and the suite less the browser and the slow property tests
quick: system-quick lint
	$(BIN)/python -m pytest -q -m "not browser and not slow"

lint: $(TEST_STAMP)
	$(BIN)/ruff check svgarch tests benchmarks

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

# the seeded fuzzers (descriptions, CSS) with 5,000 cases each instead of the suite's few hundred
fuzz: system-test $(TEST_STAMP)
	SVGARCH_FUZZ_CASES=5000 $(BIN)/python -m pytest -q -p no:cacheprovider $(wildcard tests/test_*fuzz*.py)

golden-accept: system-demo $(STAMP)
	$(BIN)/python -m tests.golden accept

# bench_render.py times the seed script (docs/seed.md), which is not part of the repository
SEED_SCRIPT := $(or $(SVGARCH_SEED),../shared/seed/gen_architecture_png.py)

bench: system-bench $(STAMP)
	@test -f "$(SEED_SCRIPT)" || { echo "make bench times svgarch against the seed script, not found at $(SEED_SCRIPT):" \
		"set SVGARCH_SEED=/path/to/gen_architecture_png.py (docs/seed.md)"; exit 2; }
	@$(BIN)/python -m compileall -q svgarch
	$(BIN)/python benchmarks/bench_render.py
	$(BIN)/python benchmarks/bench_layout.py
	$(BIN)/python benchmarks/bench_layered.py
	$(BIN)/python benchmarks/bench_dag.py
	$(BIN)/python benchmarks/bench_quality.py
	$(BIN)/python benchmarks/bench_quality.py --corpus benchmarks/heldout
	$(BIN)/python benchmarks/bench_quality.py --corpus benchmarks/fresh
	$(BIN)/python benchmarks/bench_quality.py --corpus benchmarks/fourth
	$(BIN)/python benchmarks/bench_quality.py --corpus benchmarks/fifth
	$(BIN)/python benchmarks/bench_batch.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
