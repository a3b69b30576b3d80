# Zicht op Wijken: two commands.
#   make serve  sets up, builds the store (from ../shared when it is there, else live) and serves the app
#   make test   sets up and runs every check: ruff, mypy, import contracts, code written twice
#               (pylint duplicate-code), pytest (incl. browser tests)
#   make test-fast  the unit tests alone (no data mirror, no browser), for the edit-test loop

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SOURCE ?= $(if $(wildcard ../shared/cbs),--source ../shared,)
YEARS  ?= 2017 2019 2022 2024

.PHONY: setup serve store test test-fast lint bench load clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

setup: $(BIN)/activate

store: setup
	$(BIN)/python -m etl build --years $(YEARS) $(SOURCE)

serve: store
	$(BIN)/python app.py

.PHONY: chromium
chromium:
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null; \
	  else echo "note: install Debian's chromium and poppler-utils (apt-get install chromium poppler-utils) to run the browser and print tests"; fi; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pylint --score=no etl layers dashboard replay app.py

test: setup chromium lint
	$(BIN)/pytest

test-fast: setup
	$(BIN)/pytest -q -m 'not slow and not browser'

bench: setup chromium
	$(BIN)/python -m bench --out bench-out

load: store
	$(BIN)/python -m bench.load --seconds 60

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
