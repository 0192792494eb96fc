# The two commands of the README:
#   make demo   sets everything up and serves the demo site on http://127.0.0.1:8000 (SQLite)
#   make test   sets everything up and runs the whole suite, on SQLite then on PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2
# Python caches what it compiles (pytest, the test modules it rewrites) under __pycache__, whatever the shell
# says: each pytest worker, and each process the tests start, otherwise compiles them again (10 s a worker).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test lint lint-checks test-sqlite test-postgres benchmarks load clean

# uv installs the pinned requirements (4 s where pip took 72 s on a fresh clone); pip only installs uv, at the
# version requirements/dev.txt pins.
$(VENV)/.installed-%: requirements/%.txt requirements/base.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$$(grep '^uv==' requirements/dev.txt)"
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r $<
	touch $@

demo: $(VENV)/.installed-base
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py build_matching_index
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: lint test-sqlite test-postgres

lint: $(VENV)/.installed-dev
	bash scripts/timed.sh "vérifications (ruff, couches, migrations, schéma, déploiement)" $(MAKE) --no-print-directory lint-checks

lint-checks:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/check_dependencies.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	SECRET_KEY=check-deploy-only-$$(date +%s)-not-a-real-secret-0123456789abcdef ALLOWED_HOSTS=passerelle.example \
		DATABASE_URL=postgres://u:p@127.0.0.1/db DJANGO_SETTINGS_MODULE=config.settings.prod \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

test-sqlite: $(VENV)/.installed-dev
	bash scripts/chromium.sh
	bash scripts/axe.sh
	bash scripts/timed.sh "tests sur SQLite" $(BIN)/pytest -n $(PYTEST_WORKERS)

# PostgreSQL cancels any statement over 30 s in the tests (config/settings/test.py): a bad plan fails
# its test, naming the query, instead of stalling the run.
test-postgres: $(VENV)/.installed-dev
	bash scripts/chromium.sh
	bash scripts/axe.sh
	DATABASE_URL=$$(bash scripts/postgres.sh) bash scripts/timed.sh "tests sur PostgreSQL" $(BIN)/pytest -n $(PYTEST_WORKERS)

benchmarks: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

# Load run on PostgreSQL (seed at scale 100, gunicorn, db_worker, locust): LOAD_ARGS="--users 50 --duration 60".
load: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .test-media
