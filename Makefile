# eventkg: `make serve` runs the workshop graph locally; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: serve test load bench system-deps clean help
help:
	@echo "make serve   set up, load data/ into the embedded store, serve http://$(HOST):$(PORT)/"
	@echo "make test    set up with test dependencies and run the whole suite"
	@echo "make bench   run the benchmarks (see docs/benchmarks.md)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages the tests drive (a headless browser, nginx and Apache for the static site, Virtuoso as a
# second triple store); root only. Elsewhere the tests that need them are skipped.
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium chromium-driver"; \
	  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	  command -v virtuoso-t >/dev/null || missing="$$missing virtuoso-opensource"; \
	  [ -x /usr/sbin/apache2 ] || missing="$$missing apache2-bin"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi; \
	fi

load: $(STAMP)
	$(BIN)/eventkg load --validate

serve: load
	$(BIN)/eventkg serve --host $(HOST) --port $(PORT)

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .eventkg .pytest_cache
