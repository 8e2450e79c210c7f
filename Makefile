# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Gunicorn workers for `make serve`; WEB_CONCURRENCY is the name platforms set. Each worker serves
# THREADS requests at once, so one waiting on the database or a curator's long save holds up no other
# (docs/performance.md, "Reading at scale", the soak test); no keep-alive, as with one thread, so no client reuses a
# connection the server is closing.
WORKERS ?= $(or $(WEB_CONCURRENCY),2)
THREADS ?= 4

.PHONY: run serve check-secret-key test lint format bench bench-http soak install install-test clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed requirements-test.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

# The CSS and JavaScript linters (docs/development.md, "Linting") and citeproc-js, which the citation tests
# compare ours with (docs/reading-and-annotating.md, "Cite this"), pinned in package-lock.json: `npm ci`
# installs exactly that into node_modules/ (git-ignored), again only when the lock file changes.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make lint needs Node.js 18.18 or newer and npm: sudo apt-get install nodejs npm (Debian/Ubuntu), brew install node (macOS)." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed

install-test: $(BIN)/.installed-test node_modules/.installed

# Development serving (docs/deployment.md, "Running it"): DEBUG on (settings.py keeps it off unless told), so
# no SECRET_KEY is needed. The task queue's worker (docs/reading-and-annotating.md, "Notifications") runs
# beside the server and stops with it.
run: install
	mkdir -p var/static
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py createcachetable
	DEBUG=true $(BIN)/python manage.py load_seed
	DEBUG=true $(BIN)/python manage.py rebuild_search_index --if-empty
	DEBUG=true $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production serving (docs/deployment.md, "Running it"): DEBUG off, static files collected, gunicorn.
check-secret-key:
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY (a long random string) in the environment; it refuses to start without one." >&2; exit 1; }

serve: check-secret-key install
	mkdir -p var/static
	DEBUG=false $(BIN)/python manage.py migrate --noinput
	DEBUG=false $(BIN)/python manage.py createcachetable
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=false $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	DEBUG=false $(BIN)/python -m gunicorn archive_site.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --threads $(THREADS) --keep-alive 0 --access-logfile -

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	node_modules/.bin/stylelint "documents/static/**/*.css" "archive_site/static/**/*.css" --allow-empty-input
	node_modules/.bin/eslint --max-warnings 0

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Test processes (pytest-xdist): `auto` starts one per core; PYTEST_WORKERS=0 runs the suite serially,
# in one process, as PYTEST_ARGS="-n 0" does (docs/development.md, "Tests").
PYTEST_WORKERS ?= auto

test: install-test lint
	mkdir -p var/static
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Search benchmark sizes: make bench DOCUMENTS=10000 ANNOTATIONS=100000 (docs/search.md, "How search works").
DOCUMENTS ?= 2000
ANNOTATIONS ?= 20000
USERS ?= 50
SEED ?= 1
ROUNDS ?= 3

bench: install-test
	mkdir -p var/static
	$(BIN)/python bench/reanchoring.py
	$(BIN)/python bench/run.py
	$(BIN)/python bench/groups.py
	BENCH_DOCUMENTS=$(DOCUMENTS) BENCH_ANNOTATIONS=$(ANNOTATIONS) BENCH_USERS=$(USERS) BENCH_SEED=$(SEED) BENCH_ROUNDS=$(ROUNDS) \
		$(BIN)/python bench/search.py

# Throughput under gunicorn, driven by wrk (docs/performance.md, "Reading at scale"): `make bench-http`, with
# BENCH_DATABASE_URL=postgres://... for PostgreSQL (emptied!) and CACHE_URL=redis://... for Redis.
# Needs wrk: `apt-get install wrk` (Debian/Ubuntu). About a minute; results in var/bench-http-results.txt.
bench-http: install-test
	@command -v wrk >/dev/null || { echo "make bench-http needs wrk: sudo apt-get install wrk (Debian/Ubuntu), brew install wrk (macOS)." >&2; exit 1; }
	mkdir -p var/static
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .ruff_cache .hypothesis

# The soak test (docs/performance.md, "Reading at scale"): locust drives two gunicorn servers on PostgreSQL and Redis
# with readers, searchers, scholars, newcomers joining groups and a curator editing text, then an
# audit checks that nothing answered was lost. SOAK_DATABASE_URL is emptied (its own database,
# never yours); results in var/soak-results.txt. `make soak SOAK_TIME=1m` is the short form CI runs.
SOAK_TIME ?= 10m
SOAK_USERS ?= 50
SOAK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/soak
SOAK_CACHE_URL ?= redis://127.0.0.1:6379/9
SOAK_THREADS ?= $(THREADS)

soak: install-test
	mkdir -p var/static
	SOAK_TIME=$(SOAK_TIME) SOAK_USERS=$(SOAK_USERS) SOAK_WORKERS=$(WORKERS) SOAK_THREADS=$(SOAK_THREADS) SOAK_DATABASE_URL=$(SOAK_DATABASE_URL) SOAK_CACHE_URL=$(SOAK_CACHE_URL) \
		$(BIN)/python -m bench.soak
