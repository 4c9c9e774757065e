# storylens: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install embeddings chromium wrk java lint typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs the project with its test extras; redone when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The tests also cover the optional sentence embeddings: torch 2.13.0 (the CPU build) goes in
# first, so that sentence-transformers does not pull the CUDA build.
EXTRAS := $(VENV)/.installed-embeddings
$(EXTRAS): $(STAMP)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test,embeddings,spark]'
	touch $(EXTRAS)

install: $(STAMP)

embeddings: $(EXTRAS)

demo: $(STAMP)
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/storylens demo --db demo.db
	@echo "The demo is in demo.db. To browse it: source $(BIN)/activate && storylens serve --db demo.db"

# The browser tests (tests/test_browser.py) drive Debian's Chromium through Playwright, never
# a browser Playwright downloads itself: installed with apt-get when missing (as root).
chromium:
	test -x /usr/bin/chromium || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# bench serve loads the server with wrk (Debian's package) where it is installed; the tests
# run it both with wrk and with its httpx fallback.
wrk:
	command -v wrk >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)

# The Spark tests (tests/test_spark.py) run PySpark, which needs Java 17 or newer.
java:
	command -v java >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless)

# Static checks first, the test run last (its closing line is the summary).
test: $(EXTRAS) chromium wrk java
	$(BIN)/ruff check storylens tests tools
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check storylens tests tools
	$(BIN)/lint-imports --no-logo

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache .mypy_cache
