# Practice QA: `make run` sets everything up and serves the app; `make test` sets up and tests.
# Every step is idempotent: a second run only does what changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
export FLASK_APP := qa_app

.PHONY: run test setup install db lint bench clean-db audit-templates bench-data browser audit

run: setup
	$(BIN)/flask qa seed-demo --if-empty
	@echo ""
	@echo "  Practice QA is at http://127.0.0.1:$(PORT)/"
	@echo "  Demo accounts: admin, qa.lead, moderator, auditor, senior.manager, board.viewer"
	@echo "  Demo password: practice-qa-demo   (demo data only; create real accounts with"
	@echo "  'flask --app qa_app qa create-user NAME --role ROLE' and disable the demo ones)"
	@echo ""
	@echo "  Notifications: a round every minute beside the server (lines marked [notify]);"
	@echo "  email is off unless QA_MAIL_CHANNEL is smtp or notify (docs/deployment.md)"
	@echo ""
	@# The notification rounds run in the background and stop when gunicorn stops (the trap).
	@rm -f instance/notify.pid; \
	{ PYTHONUNBUFFERED=1 QA_BASE_URL="$${QA_BASE_URL:-http://127.0.0.1:$(PORT)}" \
		$(BIN)/flask qa notify --every 60 2>&1 & echo $$! > instance/notify.pid; wait; } \
		| sed -u 's/^/[notify] /' & \
	trap 'test -f instance/notify.pid && kill $$(cat instance/notify.pid) 2>/dev/null; \
		rm -f instance/notify.pid' EXIT INT TERM; \
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - 'qa_app:create_app()'

test: install browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check qa_app tests
	$(BIN)/bandit -q -ll -r qa_app -c pyproject.toml
	$(BIN)/mypy
	$(BIN)/pytest

setup: install db

# Known vulnerabilities in the installed dependencies (pip-audit --strict, run by CI). Where no
# vulnerability service can be reached it says "DEPENDENCIES NOT AUDITED" and fails, never a
# silent pass (AUDIT_OFFLINE_OK=1, as CI sets, reports it without failing).
audit: install
	$(BIN)/python tools/dependency_audit.py

# The browser tests drive Debian's chromium through Playwright's executable_path: install the
# Debian package when it is missing (never a browser downloaded by Playwright). Where it cannot
# be installed (no root, no network), say so: the browser tests then skip, naming the reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		(apt-get install -y -q chromium >/dev/null 2>&1 || \
		 (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) || \
		echo "WARNING: could not install chromium (apt-get as root needed): browser tests will skip"; }

install: $(VENV)/.installed node_modules/.installed qa_app/static/build/app.css

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

qa_app/static/build/app.css: node_modules/.installed qa_app/static/src/app.scss
	npm run --silent build:css

db: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask qa templates load

audit-templates: $(VENV)/.installed
	$(BIN)/flask qa templates validate

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check qa_app tests
	$(BIN)/mypy

# make bench: timed scenarios on a throw-away database, then the findings, the lists and the
# search at scale on the databases `make bench-data` made (skipped, with a hint, when there are
# none; the lists run on a copy).
bench: setup
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.findings
	$(BIN)/python -m benchmarks.improvement
	$(BIN)/python -m benchmarks.lists
	$(BIN)/python -m benchmarks.writers
	$(BIN)/python -m benchmarks.hostile_uploads
	$(BIN)/python -m benchmarks.notifications
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -q wrk >/dev/null 2>&1 || \
		echo "WARNING: wrk is not installed (apt-get as root needed): the load benchmark will say so"
	$(BIN)/python -m benchmarks.load  # exits 1 when a target (ratio >= 0.3, p95 <= 50 ms) is missed

# make bench-data N=100000 [ARGS="--replace --months 60"]: synthetic audit history, N audits in
# instance/bench.sqlite, or in QA_BENCH_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/
# bench100k, or .../bench1m for N=1000000: the databases `make bench`'s findings look for).
BENCH_N := $(or $(N),10000)
bench-data: setup
	$(BIN)/python -m benchmarks.generate $(BENCH_N) $(ARGS)
