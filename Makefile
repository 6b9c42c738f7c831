# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

SDK := tests/e2e/sdk
MASTO := tests/e2e/masto
REACTUI := tests/e2e/react_ui

.PHONY: install sdk reactui run serve test lint migrate seed bench soak fuzz clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# Mastodon.py's own test suite (in its sdist only), run live against us by
# tests/api/mastodon/test_mastodon_py_suite.py.
MPY_VERSION := 2.3.3
MPY_DIR := $(VENV)/mastodon_py_tests
$(MPY_DIR)/.unpacked: pyproject.toml | $(VENV)/.installed
	rm -rf $(MPY_DIR) && mkdir -p $(MPY_DIR)
	$(BIN)/python -m pip download --quiet --no-deps --no-binary :all: --dest $(MPY_DIR) \
		Mastodon.py==$(MPY_VERSION)
	tar -xzf $(MPY_DIR)/*.tar.gz -C $(MPY_DIR)
	touch $@

install: $(VENV)/.installed $(MPY_DIR)/.unpacked

# SelfCommunity's JavaScript SDK, for its end-to-end test (skipped when Node.js is missing).
$(SDK)/node_modules/.installed: $(SDK)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(SDK) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the SelfCommunity SDK test will be skipped"; fi

# masto.js, for the Mastodon face's Node end-to-end test (skipped, like the SDK's, without npm).
$(MASTO)/node_modules/.installed: $(MASTO)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(MASTO) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the masto.js test will be skipped"; fi

sdk: $(SDK)/node_modules/.installed $(MASTO)/node_modules/.installed

# SelfCommunity's own React UI bundled as one page (tests/e2e/react_ui: app.jsx, build.mjs), for
# tests/e2e/test_react_ui.py. `--ignore-scripts`: a dependency's preinstall (mui-color-input)
# runs `npx only-allow pnpm`, which fails under npm. Skipped, like the SDK's, without npm; CI sets
# REQUIRE_REACTUI so that a missing bundle fails the test there.
$(REACTUI)/node_modules/.installed: $(REACTUI)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(REACTUI) --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the React UI test will be skipped"; fi

$(REACTUI)/dist/index.html: $(REACTUI)/node_modules/.installed $(REACTUI)/app.jsx $(REACTUI)/build.mjs
	@if [ -f $(REACTUI)/node_modules/.installed ]; then \
		cd $(REACTUI) && node build.mjs; fi

reactui: $(REACTUI)/dist/index.html

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed
	$(BIN)/python manage.py compute_trends

# Development server with demo data and a printed token (SQLite unless DATABASE_URL is set).
# runserver is daphne's: the API and the streaming WebSocket on the same port.
run: seed
	@echo ""
	@echo "Demo access token for @alice (read write follow push):"
	@$(BIN)/python manage.py create_token alice
	@echo ""
	@echo "Try: curl -H 'Authorization: Bearer <token>' http://$(HOST):$(PORT)/api/v1/accounts/verify_credentials"
	@echo "Demo logins for /oauth/authorize: alice / alice-demo-password (also bob, carol)"
	@# The background worker (media processing) runs beside the server and stops with it, and
	@# so does the trends ticker, which hands the worker a trends computation every 15 minutes.
	DEBUG=$${DEBUG:-1} INSTANCE_DOMAIN=$${INSTANCE_DOMAIN:-$(HOST):$(PORT)} sh -c '\
		$(BIN)/python manage.py db_worker & worker=$$!; \
		(while sleep 900; do $(BIN)/python manage.py compute_trends --enqueue; done) & ticker=$$!; \
		trap "kill $$worker $$ticker 2>/dev/null" EXIT INT TERM; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)'

# Production serving: gunicorn (config/gunicorn.conf.py: 2 sync workers per CPU plus one, or
# WORKERS), WhiteNoise for the collected static files, the streaming server (daphne on
# config.asgi, STREAMING_PORT, default 4000, which the instance advertises unless STREAMING_URL
# says otherwise) and DB_WORKERS (default 1) db_worker processes beside it, all stopped together
# by Ctrl-C or SIGTERM (config/serve.py).
STREAMING_PORT ?= 4000
serve: migrate
	STATIC_MANIFEST=1 $(BIN)/python manage.py collectstatic --noinput -v 0
	STATIC_MANIFEST=1 HOST=$(HOST) PORT=$(PORT) STREAMING_PORT=$(STREAMING_PORT) \
		STREAMING_URL=$${STREAMING_URL:-ws://$(HOST):$(STREAMING_PORT)} \
		INSTANCE_DOMAIN=$${INSTANCE_DOMAIN:-$(HOST):$(PORT)} $(BIN)/python -m config.serve

# The benchmark (bench/bench.py): seeds PostgreSQL (STATUSES=100000 by default, ACCOUNTS=10000),
# measures every hot endpoint and the bare view with wrk, writes bench/results/bench-<N>.{md,png}.
bench: install
	$(BIN)/python bench/bench.py --statuses $${STATUSES:-100000} --accounts $${ACCOUNTS:-10000}

# The soak (bench/soak.py): `python -m config.serve` on a PostgreSQL database of its own (created,
# seeded with ACCOUNTS=200 and STATUSES=5000, dropped), THREADS=24 clients of both dialects for
# DURATION=180 seconds, then check_counters; fails on any 5xx or counter mismatch. Loopback only.
soak: install
	$(BIN)/python bench/soak.py

# Schemathesis over the served OpenAPI description (tests/api/test_fuzz.py) with more examples and
# a new seed each run (printed; FUZZ_SEED=... replays one). Needs DATABASE_URL=postgres://...
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} FUZZ_MINUTES=$${FUZZ_MINUTES:-10} \
		FUZZ_SEED=$${FUZZ_SEED:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')} \
		$(BIN)/python -m pytest -q -s tests/api/test_fuzz.py

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL is set.
# TEST_WORKERS=0 runs the suite in one process (pytest-xdist's -n 0), for a debugger or -x.
TEST_WORKERS ?= auto
test: install sdk reactui
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles $(SDK)/node_modules $(REACTUI)/node_modules $(REACTUI)/dist
