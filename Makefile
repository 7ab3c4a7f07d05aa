# Two commands do all the set-up: `make run` and `make test`. Python 3.11 and make are needed; PDFs also need
# Pango from the operating system (README, "Two commands"): without it the site runs and says PDFs are unavailable.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test worker lint bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt package.json
	$(PIP) install --quiet -r requirements-dev.txt
	if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent; fi
	touch $@

## Serve the site at http://127.0.0.1:8000 on the embedded default (SQLite, tasks in-process, DEBUG on).
run: export DJANGO_DEBUG ?= true
run: export CELERY_TASK_ALWAYS_EAGER ?= $(if $(CELERY_BROKER_URL),false,true)
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## Run the whole test suite (PostgreSQL/Redis tests use DATABASE_URL/CELERY_BROKER_URL when set).
test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## A Celery worker against the broker in CELERY_BROKER_URL.
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A ccpt worker --loglevel=INFO

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache
