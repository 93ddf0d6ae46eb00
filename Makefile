# Yrkesresan: `make demo` runs the platform with demo data, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo demo-sso serve test pytest lint audit format messages chromium xmlsec1 clean bench wrk \
	postgres cluster cluster-stop cluster-drill haproxy postgresql-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[bench]"
	touch $@

$(VENV)/.installed-cluster: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[cluster]"
	touch $@

## The demo: install, migrate, load reference and demo data, serve on http://$(HOST):$(PORT)
## with the background worker that sends e-mail: into the folder $(DEMO_MAIL) (one file per
## message) unless EMAIL_HOST is set. The address and the demo logins are printed last; the
## server's and the worker's logs go to $(DEMO_LOGS).
DEMO_MAIL ?= $(CURDIR)/var/demo-mail
DEMO_LOGS ?= $(CURDIR)/var/demo-logs
demo: export HTTPS = 0
# The demo is not production: it may use a public key (production refuses to start without one).
demo: export SECRET_KEY ?= django-insecure-demo-key-only-for-local-use
demo: export EMAIL_BACKEND = $(if $(EMAIL_HOST),django.core.mail.backends.smtp.EmailBackend,django.core.mail.backends.filebased.EmailBackend)
demo: export EMAIL_FILE_PATH = $(DEMO_MAIL)
demo: $(VENV)/.installed
	mkdir -p $(DEMO_MAIL) $(DEMO_LOGS)
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@$(BIN)/python manage.py db_worker >$(DEMO_LOGS)/worker.log 2>&1 & worker=$$!; \
		$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 \
			--access-logfile $(DEMO_LOGS)/access.log --error-logfile $(DEMO_LOGS)/server.log & server=$$!; \
		trap 'kill $$worker $$server 2>/dev/null' EXIT INT TERM; \
		sleep 2; \
		$(BIN)/python manage.py demo_banner --url http://$(HOST):$(PORT)/; \
		echo "Logs: $(DEMO_LOGS)/"; \
		wait $$server

## The demo with federated login: Gnesta's staff sign in through a SAML 2 identity provider
## (tests/sso/saml_idp.py on 127.0.0.1:8291, user "anna"), Vingåker's through an OpenID Connect
## provider (tests/sso/oidc_op, django-oidc-provider, on 127.0.0.1:8292, user "bo"), password
## "idp-losen" at both, started here beside the demo; the plain demo needs none of it.
SAML_IDP_PORT ?= 8291
OIDC_OP_PORT ?= 8292
demo-sso: export HTTPS = 0
demo-sso: $(VENV)/.installed-test xmlsec1
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_sso --saml-port $(SAML_IDP_PORT) --oidc-port $(OIDC_OP_PORT)
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Yrkesresan: http://$(HOST):$(PORT)/  (stop with Ctrl+C; e-mails print here)"
	$(BIN)/python tests/sso/saml_idp.py --port $(SAML_IDP_PORT) \
		--sp-metadata http://$(HOST):$(PORT)/sso/saml/metadata/ & idp=$$!; \
		$(BIN)/python tests/sso/oidc_op/serve.py --port $(OIDC_OP_PORT) \
		--redirect-uri http://$(HOST):$(PORT)/sso/oidc/callback/ \
		--client-secret demo-oidc-secret & op=$$!; \
		$(BIN)/python manage.py db_worker & worker=$$!; \
		trap 'kill $$worker $$idp $$op 2>/dev/null' EXIT INT TERM; \
		$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

## The whole test suite, browser tests included (DATABASE_URL selects PostgreSQL).
# The suite runs with DEBUG off, as production does; its key is for the tests only.
test: export SECRET_KEY ?= insecure-key-for-the-test-suite-only
test: $(VENV)/.installed-test chromium xmlsec1 node_modules/axe-core/axe.min.js
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/python .ci/pip_audit.py
	$(BIN)/pytest --ignore=tests/browser
	$(BIN)/pytest tests/browser

## pip-audit of the pinned dependencies (.ci/pip_audit.py; PIP_AUDIT_STRICT=1 fails when the
## advisory service cannot be reached).
audit: $(VENV)/.installed-test
	$(BIN)/python .ci/pip_audit.py

## The benchmark (bench/README.md): national scale data on PostgreSQL (127.0.0.1:5432, user
## postgres, database yrkesresan_bench, reused when it holds the same size), gunicorn with
## production settings, wrk at concurrency 1 and 8, the registration rush. Not part of `test`.
## BENCH_TARGET=cluster runs the same rows through `make cluster`'s load balancer.
BENCH_STAFF ?= 60000
BENCH_SECONDS ?= 10
BENCH_TARGET ?= single
BENCH_NEEDS = $(if $(filter cluster,$(BENCH_TARGET)),$(VENV)/.installed-cluster haproxy postgresql-tools,postgres)
bench: $(VENV)/.installed-bench wrk $(BENCH_NEEDS)
	$(BIN)/python bench/run.py --staff $(BENCH_STAFF) --seconds $(BENCH_SECONDS) \
		--target $(BENCH_TARGET) $(BENCH_ARGS)

## More than one machine, played on one (docs/scaling.md): a PostgreSQL primary (:5442) and its
## streaming replica (:5443), two gunicorn nodes (:8281, :8282) behind HAProxy (:8280, statistics
## :8289), two task workers and an SMTP sink, all under .cluster/. Optional; the demo needs none.
cluster: $(VENV)/.installed-cluster haproxy postgresql-tools
	$(BIN)/python cluster/cluster.py start

cluster-stop:
	$(BIN)/python cluster/cluster.py stop

## The fault drill: a registration rush through the load balancer loses a node and a worker.
cluster-drill: $(VENV)/.installed-cluster haproxy postgresql-tools
	$(BIN)/python cluster/drill.py $(DRILL_ARGS)

haproxy:
	@command -v haproxy >/dev/null 2>&1 || { \
		echo "Installing Debian's haproxy for make cluster"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy; }

postgresql-tools:
	@ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 || { \
		echo "Installing Debian's PostgreSQL for make cluster"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n1)" main start; \
		for _ in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; }

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# SAML signatures are made and checked by Debian's xmlsec1 (pysaml2 calls it).
xmlsec1:
	@command -v xmlsec1 >/dev/null 2>&1 || { \
		echo "Installing Debian's xmlsec1 for SAML"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1; }

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Regenerate and compile the translations (needs GNU gettext).
messages: export SECRET_KEY ?= insecure-key-for-making-messages-only
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l sv -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles yrkesresan.sqlite3
