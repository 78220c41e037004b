# Two commands matter: `make run` and `make test`. Everything else is a step they use.
# Only Python 3.11+ is needed on a fresh clone; the rest is installed into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is a local development server: DEBUG on and, unless DATABASE_URL says otherwise,
# the embedded SQLite database.
RUN_ENV := DEBUG=1

.PHONY: run test venv deps dev-deps messages compile-messages migrate seed lint format \
        check-migrations makemessages lock typecheck screenshots clean help

help:
	@echo "make run    set everything up and serve the demo site on http://$(HOST):$(PORT)/"
	@echo "make test   set everything up and run ruff, mypy and the whole test suite"
	@echo "make lock   regenerate requirements.lock and requirements-dev.lock (with hashes)"
	@echo "            from requirements.txt and requirements-dev.txt"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

venv: $(PY)

# Installed from the locks, every file checked against its hash; --no-deps because a lock
# already lists everything (CI's `pip check` catches one that does not). Reinstall only when a
# lock changes. requirements-dev.lock holds the runtime packages too, at the same versions.
$(VENV)/.deps: requirements.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes --only-binary :all: --no-deps --requirement requirements.lock
	@touch $@
$(VENV)/.dev-deps: requirements.lock requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes --only-binary :all: --no-deps --requirement requirements-dev.lock
	@touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# The locks: requirements*.txt list the direct dependencies, pip-tools (in its own venv, so that
# it never mixes with the project's packages) pins everything they pull in, with the hashes of
# every published file. The dev lock is compiled against the runtime lock, so both agree on
# versions. pip-compile keeps a lock's existing pins unless asked: to move a transitive
# dependency, `make lock LOCK_ARGS="--upgrade-package NAME"`.
TOOLS_VENV := .venv-tools
PIP_TOOLS_VERSION := 7.6.2
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(TOOLS_VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	$(LOCK_ARGS)

$(TOOLS_VENV)/.pip-tools-$(PIP_TOOLS_VERSION):
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet pip-tools==$(PIP_TOOLS_VERSION)
	@touch $@

lock: $(TOOLS_VENV)/.pip-tools-$(PIP_TOOLS_VERSION)
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock \
		requirements-dev.txt

# Translation catalogues: the .po files are committed, the .mo files are built here (Babel, so
# that GNU gettext is not needed to run the site).
compile-messages: deps
	$(BIN)/pybabel compile --statistics --domain django --directory locale

# Extracting new strings needs GNU gettext (Debian: apt-get install gettext).
makemessages: deps
	$(RUN_ENV) $(MANAGE) makemessages --locale az --locale ru --no-obsolete --add-location file

migrate: deps compile-messages
	$(RUN_ENV) $(MANAGE) migrate --no-input

seed: migrate
	$(RUN_ENV) $(MANAGE) seed_demo

# Screenshots of the demo's home, statement and casualties pages at 360 and 1280 px in each
# language, for a reviewer (needs Debian's chromium): var/screenshots/, git-ignored.
screenshots: seed dev-deps
	$(RUN_ENV) $(PY) -m demo.screenshots --out var/screenshots

run: seed
	@echo
	@echo "  Site:   http://$(HOST):$(PORT)/"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/   (demo login printed above)"
	@echo "  API:    http://$(HOST):$(PORT)/api/v1/"
	@echo "  Health: http://$(HOST):$(PORT)/healthz"
	@echo
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

lint: dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Types: mypy with django-stubs and djangorestframework-stubs over config, statements, victims
# and demo (settings in pyproject.toml). It imports the settings, hence DEBUG=1.
typecheck: dev-deps
	$(RUN_ENV) $(BIN)/mypy

format: dev-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests need Debian's Chromium (apt-get install chromium). Without it they are left
# out with a warning; CI sets REQUIRE_BROWSER=1, installs it and runs them.
CHROMIUM := $(shell command -v chromium || command -v chromium-browser)

# Coverage of the project's packages, printed per module. The floor (per cent of lines) is the
# lower figure measured when it was set (2026-12-02: 96.7 % on SQLite, 96.2 % on PostgreSQL)
# minus one point; it applies to the full
# run with the browser journeys (which reach code no other test does), not to a PYTEST_ARGS
# selection.
COVERAGE := --cov=config --cov=statements --cov=victims --cov=demo --cov-report=term
COVERAGE_FLOOR := 95

test: dev-deps compile-messages lint typecheck
ifeq ($(CHROMIUM),)
ifeq ($(REQUIRE_BROWSER),1)
	@echo "Chromium is required (REQUIRE_BROWSER=1): apt-get install chromium" >&2; exit 1
endif
	@echo "WARNING: Chromium not found, so the browser tests (tests/browser) are NOT run." >&2
	@echo "         Install Debian's chromium package to run them." >&2
	$(BIN)/pytest --create-db -m "not browser" $(COVERAGE) $(PYTEST_ARGS)
else
	$(BIN)/pytest --create-db $(COVERAGE) $(if $(PYTEST_ARGS),,--cov-fail-under=$(COVERAGE_FLOOR)) $(PYTEST_ARGS)
endif

clean:
	rm -rf $(VENV) $(TOOLS_VENV) var
	find locale -name '*.mo' -delete
