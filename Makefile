# svgarch — the README's two commands are `make demo` and `make test`.
# Each installs what it needs: Debian packages (when missing, as root), then .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# fonts the themes measure and render with, fontconfig to find them, cairo for PNG/PDF
DEMO_PACKAGES := fontconfig fonts-dejavu-core libcairo2
# plus the browser the in-browser tests drive (never a downloaded one) and rsvg-convert, a second renderer
# the cross-renderer tests compare with cairosvg (resvg comes from PyPI: Debian bookworm has no resvg),
# and Graphviz, whose SVGs `svgarch check` reads with the same ruler (tests/test_quality.py)
TEST_PACKAGES := $(DEMO_PACKAGES) chromium librsvg2-bin graphviz

# plus Graphviz, the peer the layout benchmark measures against
BENCH_PACKAGES := $(DEMO_PACKAGES) graphviz

.PHONY: demo test lint typecheck golden-accept bench check clean system-demo system-test system-bench

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

system-bench:
	$(call apt_install,$(BENCH_PACKAGES))

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

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

test: system-test $(STAMP)
	$(BIN)/ruff check svgarch tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

golden-accept: system-demo $(STAMP)
	$(BIN)/python -m tests.golden accept

bench: system-bench $(STAMP)
	@$(BIN)/python -m compileall -q svgarch
	$(BIN)/python benchmarks/bench_render.py
	$(BIN)/python benchmarks/bench_layout.py
	$(BIN)/python benchmarks/bench_layered.py
	$(BIN)/python benchmarks/bench_quality.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
