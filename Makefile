# The two commands: `make demo` and `make test`. Everything else here is what they stand on.
PYTHON ?= python3.12
VENV := .venv
PY := $(VENV)/bin/python
# Debian libraries WeasyPrint needs (pango for layout, harfbuzz-subset for font subsetting) and fonts.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2

.PHONY: demo test bench bench-scale lighthouse install system-deps check format lock serve clean

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_participants
	DJANGO_STATIC_HASHED=true $(PY) manage.py collectstatic --noinput -v0
	DJANGO_STATIC_HASHED=true $(PY) manage.py runserver 127.0.0.1:8000

test: install check
	$(VENV)/bin/pytest

# Times a wizard step's save against a baseline form save, and every page of the review queue and
# the workspace over 100,000 applications against a fair floor (25 rows read through an index);
# fails above 2× at the median or 90th percentile, or when a page's queries grow. Then a decision
# letter through the service against bare WeasyPrint (fails above 1.3×), and, with CELERY_BROKER_URL
# and PostgreSQL, a real two-process worker's throughput and memory (docs/benchmarks.md). Uses
# DATABASE_URL, else the local PostgreSQL if it answers, else SQLite; always a throwaway database.
# Last, when PostgreSQL and Redis answer, the load test: 50 simulated people for 60 s (bench/load/).
# Each runs even when one before it fails, so one missed target does not hide the others' numbers.
bench: install
	@status=0; \
	$(PY) -m bench.step_save || status=1; \
	$(PY) -m bench.queue || status=1; \
	$(PY) -m bench.letters || status=1; \
	$(PY) -m bench.exports || status=1; \
	$(PY) -m bench.dashboard || status=1; \
	$(PY) -m bench.load --if-services || status=1; \
	exit $$status

# Lighthouse (mobile) on nine pages, served as production serves them, signed in as each page's
# persona; needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and PostgreSQL (DATABASE_URL, else
# the local one); a throwaway database. Not part of `make test` (docs/benchmarks.md).
lighthouse: install
	$(PY) -m bench.lighthouse

# The queue's pages against the fair floor at 10,000, 100,000 and 1,000,000 applications in one
# database; fails when a page's ratio grows more than 1.3× from the smallest to the largest. Long:
# seeding a million applications, and following "Next" half-way through them (docs/benchmarks.md).
bench-scale: install
	$(PY) -m bench.queue --growth

install: system-deps $(VENV)/.installed static/vendor/.built

# Installs missing system libraries when run as root; otherwise says what is missing.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system libraries:$$missing"; \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
		else \
			echo "Missing system libraries (install them with apt-get):$$missing"; \
		fi; \
	fi

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

static/vendor/.built: package.json package-lock.json scripts/build-assets.mjs assets/scss/uswds-rkcp.scss
	npm ci --no-audit --no-fund
	npm run build
	touch $@

# What mypy reports on: services, selectors, workflow and the domain modules (everything they import
# is read for its types, not reported). Add a module here once it passes.
MYPY_TARGETS := \
	common \
	recordkeepers/services.py recordkeepers/selectors.py recordkeepers/sizing.py recordkeepers/rules.py \
	recordkeepers/importer_numbers.py certification/importer_numbers.py \
	reporting/services.py reporting/selectors.py reporting/filters.py reporting/rules.py \
	reporting/figures reporting/exports reporting/charts \
	certification/services certification/selectors.py certification/workflow \
	certification/completeness.py certification/events.py certification/deadlines.py \
	certification/errors.py certification/scheduling.py \
	certification/statements.py certification/checks.py \
	certification/evidence/services.py certification/evidence/selectors.py \
	certification/evidence/checks.py certification/evidence/pdf_content.py \
	certification/letters/lifecycle.py certification/letters/content.py certification/letters/placeholders.py \
	certification/letters/reasons.py certification/letters/previews.py certification/letters/conformance.py \
	certification/letters/selectors.py certification/letters/versions.py \
	certification/notifications/services.py certification/notifications/selectors.py \
	reviews/services reviews/selectors reviews/scoring reviews/priority.py \
	recordkeepers/conflicts.py reviews/workload.py reviews/access.py \
	participants/services participants/selectors.py participants/workflow.py participants/access.py \
	participants/entries.py participants/classification.py participants/reminders.py

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy $(MYPY_TARGETS)
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-resolve the locks after changing dependencies in pyproject.toml: the full one (development,
# tests, CI) and the production image's, held to the full one's versions.
lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --python-version 3.12 --generate-hashes -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.12 --generate-hashes -c requirements.lock -o requirements.prod.lock

serve: install
	$(PY) manage.py runserver 127.0.0.1:8000

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .pytest_cache .ruff_cache .mypy_cache \
		.import_linter_cache
