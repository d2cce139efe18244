# One-command entry points. `make run` starts the bot (offline demo without a token);
# `make test` runs the test suite. Both create the virtual environment and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install catalogs messages bench bench-full clean

run: install
	$(BIN)/healthbot run

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP) catalogs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

catalogs: $(STAMP)
	$(BIN)/pybabel compile --domain messages --directory locales --statistics 2>&1 | grep -v '^$$' || true

# Developers: extract new messages from the code into the catalogs (then translate them).
messages: $(STAMP)
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords "N_ ngettext:1,2 pgettext:1c,2" \
		--no-wrap --sort-by-file --project healthbot --output-file locales/messages.pot bot handlers
	for lang in vi en km bn; do \
		if [ -f locales/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --input-file locales/messages.pot --domain messages --output-dir locales \
				--locale $$lang --no-wrap --no-fuzzy-matching --ignore-obsolete; \
		else \
			$(BIN)/pybabel init --input-file locales/messages.pot --domain messages --output-dir locales \
				--locale $$lang --no-wrap; \
		fi; \
	done

bench: install
	$(BIN)/python -m bench --quick

bench-full: install
	$(BIN)/python -m bench --full

clean:
	rm -rf $(VENV) data .pytest_cache
	find locales -name '*.mo' -delete
