# Tugi: `make run` serves the demo, `make test` runs the whole suite. Both set up what is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
PO := $(wildcard lms/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
# axe-core, for the accessibility test (tests/browser/test_accessibility.py); npm is enough
AXE := node_modules/axe-core/axe.min.js
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint translations extract-messages bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Tugi needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

%.mo: %.po
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

translations: $(STAMP) $(MO)

## Install, migrate the SQLite database in instance/, load the demo and serve http://127.0.0.1:5000
run: translations
	$(BIN)/lms demo
	$(BIN)/lms run --host 127.0.0.1 --port 5000

$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --no-save --no-audit --no-fund --silent axe-core@4; \
	else echo "npm is missing: the accessibility test will be skipped"; fi

## Install and run the whole test suite (set LMS_TEST_DATABASE_URL for PostgreSQL)
test: translations $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Refresh the message catalogs after changing UI strings
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --omit-header -o lms/translations/messages.pot lms
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-wrap --ignore-obsolete

bench: translations
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts node_modules
