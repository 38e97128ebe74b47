# The two commands a newcomer needs are `make run` and `make test`; everything else is a step
# they take. Every target installs what it needs first.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test lint format test-postgres test-sqlite browser-deps messages bench lock clean vendor-leaflet vendor-altcha

install: $(STAMP)

$(STAMP): requirements.lock requirements-uv.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-uv.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes --no-deps -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@if command -v msgfmt >/dev/null && [ -d agora/locale ]; then \
		cd agora && AGORA_ENV=development ../$(BIN)/agora compilemessages --verbosity 0; \
	else echo "msgfmt not found: using the committed .mo files"; fi
	touch $(STAMP)

run: install
	mkdir -p var
	AGORA_ENV=development PORT=$(PORT) $(BIN)/agora migrate --no-input
	AGORA_ENV=development PORT=$(PORT) $(BIN)/agora seed
	@echo "Agora is at http://127.0.0.1:$(PORT) (demo logins in README.md)"
	AGORA_ENV=development PORT=$(PORT) $(BIN)/agora serve --with-worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	AGORA_ENV=test $(BIN)/agora makemigrations --check --dry-run
	$(BIN)/python tools/check_layers.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests need Debian's chromium and axe-core from the npm registry; neither is fetched
# at run time, and a missing one is installed here or the target fails.
browser-deps:
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

# The browser tests drive the same pages whatever the database, and the `servers` tests start
# processes of their own (gunicorn, the worker, Redis, an S3 server); both run once, on
# PostgreSQL, and on SQLite only when PostgreSQL is not there.
test: install lint browser-deps
	@if [ -n "$$DATABASE_URL" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres && \
		$(MAKE) --no-print-directory test-sqlite SQLITE_SELECT='-m "not browser and not servers"'; \
	else \
		echo "*** PostgreSQL is not reachable: running on SQLite only (set DATABASE_URL) ***"; \
		$(MAKE) --no-print-directory test-sqlite; \
	fi

test-postgres: install browser-deps
	@echo "== The suite on PostgreSQL =="
	AGORA_ENV=test DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal -p no:cacheprovider --durations=20

test-sqlite: install browser-deps
	@echo "== The suite on SQLite =="
	AGORA_ENV=test DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal -p no:cacheprovider --durations=20 $(SQLITE_SELECT)

messages: install
	cd agora && AGORA_ENV=development ../$(BIN)/agora makemessages -l es --no-obsolete --add-location file
	cd agora && AGORA_ENV=development ../$(BIN)/agora compilemessages

bench: install
	@command -v wrk >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/run.py

# Re-pin every dependency (with hashes) after changing pyproject.toml.
# `make lock` adds what pyproject.toml asks for and keeps every other pin; `make lock UPGRADE=1`
# moves every package to its newest allowed release.
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		$(if $(UPGRADE),--upgrade) -o requirements.lock

# Refresh the Leaflet served from Agora's own origin from the version pinned in
# vendor/leaflet/package-lock.json (the copy under agora/directory/static is committed).
vendor-leaflet:
	tools/vendor_leaflet.sh

# The same for the ALTCHA widget of the sign-up challenge (vendor/altcha/package-lock.json ->
# agora/core/static/core/vendor/altcha, committed).
vendor-altcha:
	tools/vendor_altcha.sh

clean:
	rm -rf $(VENV) node_modules vendor/leaflet/node_modules vendor/altcha/node_modules var/test*.sqlite3
