# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
# DATABASE_URL switches to PostgreSQL, REDIS_URL switches django-q2 to its Redis broker.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The first interpreter that is Python 3.12 or newer (a pyenv .python-version file selects 3.12 where pyenv is used).
SYSTEM_PYTHON := $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve test setup assets lint format bench clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(SYSTEM_PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6 refuses older)." >&2; exit 1; }
	@test -x $(PY) || $(SYSTEM_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# NHS.UK frontend compiled without its third-party web fonts (see static/scss/nhsuk.scss).
CSS := var/assets/css/nhsuk.css
$(CSS): static/scss/nhsuk.scss node_modules/.installed
	@mkdir -p $(dir $@)
	npx --no-install sass --load-path=node_modules --style=compressed --no-source-map $< $@

assets: node_modules/.installed $(CSS)

setup: $(VENV)/.installed assets
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

# Start a web server command and the task worker together; Ctrl-C or SIGTERM stops both once, cleanly. Each runs in
# its own process group (set -m), so Ctrl-C reaches this shell only.
define web_and_worker
	@set -m; \
	$(PY) manage.py taskworker & worker=$$!; \
	$(1) & web=$$!; \
	stop() { trap - INT TERM; kill -TERM $$web $$worker 2>/dev/null; wait $$web $$worker 2>/dev/null; \
		echo "Stopped the web app and the task worker."; }; \
	trap 'stop; exit 0' INT TERM; \
	wait -n $$web $$worker; stop
endef

run: export SITE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(PY) manage.py seed_demo
	@echo "Starting the web app on http://$(HOST):$(PORT)/ and the task worker. Ctrl-C stops both."
	$(call web_and_worker,$(PY) manage.py runserver --noreload $(HOST):$(PORT))

# Production: gunicorn (gunicorn.conf.py) and the task worker, with DJANGO_ENV=production unless set otherwise. Needs
# SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL (README "Production"); refuses to start when check --deploy fails.
serve: export DJANGO_ENV ?= production
serve: export WEB_BIND ?= $(HOST):$(PORT)
serve: $(VENV)/.installed assets
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Starting gunicorn on $(WEB_BIND) and the task worker. Ctrl-C or SIGTERM stops both."
	$(call web_and_worker,$(BIN)/gunicorn)

test: $(VENV)/.installed assets
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# Benchmarks write their figures to var/bench/*.json and one table, var/bench/summary.md (never timed tests).
# DATABASE_URL selects the database; BENCH_SCRIPTS a subset (e.g. BENCH_SCRIPTS="api web").
BENCH_SCRIPTS ?= api web webhooks serving locumjobsonline retention
bench: $(VENV)/.installed assets
	@mkdir -p var/bench
	@set -e; for script in $(BENCH_SCRIPTS); do echo "== bench/$$script.py"; $(PY) bench/$$script.py; done
	$(PY) bench/summary.py

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var
