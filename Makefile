# Guitu: `make run` serves the app on SQLite; `make test` runs the whole test suite.
# Both create .venv and install the pinned requirements first, so a fresh machine needs only
# Python 3.11+ and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test install install-dev db seed bench lint clean

run: install db seed
	$(FLASK) run --host $(HOST) --port $(PORT)

# Lint, then the suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set.
test: install-dev lint
	TEST_DATABASE_URL= $(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

db: install
	$(FLASK) db upgrade

seed: install
	$(FLASK) seed

bench: install-dev
	$(BIN)/python bench/reading.py
	$(BIN)/python bench/dictionary_load.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/class_page.py
	$(BIN)/python bench/card_browser.py
	$(BIN)/python bench/speech.py
	$(BIN)/python bench/optimize.py
	$(BIN)/python bench/fault.py
	$(BIN)/python bench/review_load.py
	$(BIN)/python bench/reader.py

lint: install-dev
	$(BIN)/ruff check app vocab tests bench

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Guitu needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
