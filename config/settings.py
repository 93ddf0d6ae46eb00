"""One settings file for every environment, driven by environment variables.

The defaults run the demo: SQLite in the project folder, mail to the console, plain HTTP on
localhost. Production sets DEBUG=0 (the default), SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
HTTPS=1 (the default when DEBUG is off), and then `manage.py check --deploy` is clean.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    """Read a boolean; a value other than 0/1/true/false/yes/no is a configuration error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    value = value.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (0 or 1), not {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envstr(name, default=""):
    """Read a string, or the contents of the file named by NAME_FILE (for secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", False)
# Behind HTTPS in production; the demo on http://127.0.0.1:8000 sets HTTPS=0.
HTTPS = envbool("HTTPS", not DEBUG)

# Without a key, only a development copy (DEBUG=1) starts, with a key that is public. A server
# without one refuses to start: sessions, password-reset links and CSRF tokens would all be
# forgeable with the public key.
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set it (or SECRET_KEY_FILE) to a long random value. "
            "Only a development copy (DEBUG=1) may run without one."
        )
    SECRET_KEY = "django-insecure-development-key-only-for-local-use"
ALLOWED_HOSTS = [h.strip() for h in envstr("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in envstr("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# Seals evaluation answers until they are moved into anonymous responses; SECRET_KEY if unset.
EVALUATION_SEALING_KEY = envstr("EVALUATION_SEALING_KEY", "")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command is core's, with a heartbeat.
    "djangosaml2",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "yrkesresan.core",
    "django_tasks_db",
    "yrkesresan.organisations",
    "yrkesresan.accounts",
    "yrkesresan.sso",
    "yrkesresan.catalog",
    "yrkesresan.learning",
    "yrkesresan.rounds",
    "yrkesresan.enrolment",
    "yrkesresan.staffing",
    "yrkesresan.notifications",
    "yrkesresan.evaluations",
    "yrkesresan.materials",
    "yrkesresan.reports",
    "yrkesresan.home",
    "yrkesresan.demo",
]

MIDDLEWARE = [
    # First: every later middleware may ask for the host.
    "yrkesresan.core.middleware.UnknownHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Reads of read-only reports from the streaming replica, if there is one (below).
    "yrkesresan.core.replicas.ReplicaMiddleware",
    # SAML's own short-lived session (djangosaml2): the requests awaiting an IdP's answer.
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Once messages work and before any view reads the query string or the form.
    "yrkesresan.core.middleware.HostileInputMiddleware",
    # Administrators' and coordinators' password logins wait for a one-time code.
    "yrkesresan.sso.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After htmx: a refusal answers an htmx request with a fragment, a page with a message.
    "yrkesresan.core.middleware.DomainErrorMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yrkesresan.home.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'yrkesresan.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: our queries are short, and PostgreSQL's estimate of a grouped report
    # (the capacity plan) crossed jit_above_cost, so that compiling took 70 of its 90 ms on the
    # bench (bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Prepared statements: parameters bound on the server (not pasted into the SQL), so that a
    # query run more than DB_PREPARE_THRESHOLD times on a connection is parsed and planned once
    # and then only executed. Most of a page's SQL time was PostgreSQL's planning (the start
    # page: 1.4 ms of planning against 0.4 ms of running; bench/README.md has the figures).
    # Django leaves them off by default for transaction-pooling proxies (PgBouncer before
    # 1.21): set DB_PREPARE_THRESHOLD= (empty) behind one.
    if envstr("DB_PREPARE_THRESHOLD", "5"):
        DATABASES["default"]["OPTIONS"] |= {
            "server_side_binding": True,
            "prepare_threshold": envint("DB_PREPARE_THRESHOLD", 5),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# More than one machine (docs/scaling.md): a PostgreSQL streaming replica for the read-only
# reports and dashboards named here; everything else, and a person who wrote in the last
# READ_YOUR_WRITES_SECONDS, reads from the primary, and so does everyone while the replica is
# more than REPLICA_MAX_LAG_SECONDS behind. In tests the replica mirrors the test database
# (created on the primary, it reaches the replica by replication).
if envstr("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            envstr("REPLICA_DATABASE_URL"),
            conn_max_age=envint("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["yrkesresan.core.replicas.PrimaryReplicaRouter"]
REPLICA_READ_VIEWS = [
    "reports:term_overview",
    "reports:capacity",
    "reports:my_staff",
    "reports:counties",
    "reports:county",
    "reports:municipality",
]
REPLICA_MAX_LAG_SECONDS = envint("REPLICA_MAX_LAG_SECONDS", 5)
READ_YOUR_WRITES_SECONDS = envint("READ_YOUR_WRITES_SECONDS", 15)

# Sessions in the database, read with a query compiled once (core/sessions.py).
SESSION_ENGINE = "yrkesresan.core.sessions"

# A cache shared by every process and node (CACHE_URL=redis://host:6379/7; `make cluster` sets
# it when Redis answers). With it, sessions are read from the cache and need no query on each
# request (cached_db: written through to the database, so a cache that loses them loses no
# one's login); logout and session invalidation reach every node through the shared cache
# (bench/README.md has the figures). Without it (the demo) sessions stay in the database: a
# per-process cache would let a logged-out session live on in the other processes.
if envstr("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": envstr("CACHE_URL"),
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "yrkesresan"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user and their roles in one query (bench/README.md).
    "yrkesresan.accounts.backends.PasswordBackend",
    "yrkesresan.sso.saml.FederatedSaml2Backend",
    "yrkesresan.sso.oidc.FederatedOidcBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "home:home"

# Login rate limit: five failed attempts for one e-mail address from one IP address lock that
# combination for fifteen minutes.
# Behind a load balancer: its addresses or networks (comma-separated), and the header it puts
# the client's address in. Only a request from one of them has the header believed
# (core.ratelimits.client_address): the login lockout and the rate limits key on that address.
TRUSTED_PROXIES = [p.strip() for p in envstr("TRUSTED_PROXIES", "").split(",") if p.strip()]
CLIENT_ADDRESS_HEADER = envstr("CLIENT_ADDRESS_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "yrkesresan.core.ratelimits.client_address"
# Lockout: AXES_FAILURE_LIMIT wrong passwords for one account from one client address lock that
# pair for AXES_COOLOFF_TIME hours, counted from the last failure. Someone else's attempts from
# another address never lock a person out, and from a shared address only for the cool-off
# (a password reset also lifts it). The rate limits below cap guessing across addresses.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Rate limits (django-ratelimit, "count/period"), answered 429 with Retry-After: login attempts
# per client address and per account, password-reset requests per address and per address given.
LOGIN_RATE_PER_ADDRESS = envstr("LOGIN_RATE_PER_ADDRESS", "100/10m")
LOGIN_RATE_PER_ACCOUNT = envstr("LOGIN_RATE_PER_ACCOUNT", "30/h")
PASSWORD_RESET_RATE_PER_ADDRESS = envstr("PASSWORD_RESET_RATE_PER_ADDRESS", "20/h")
PASSWORD_RESET_RATE_PER_ACCOUNT = envstr("PASSWORD_RESET_RATE_PER_ACCOUNT", "3/h")
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "yrkesresan.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Federated login (yrkesresan.sso): each municipality's or support structure's identity provider
# is configured in the admin; djangosaml2 builds its configuration from those rows. Accounts are
# matched by e-mail and never created from a provider's word.
SAML_CONFIG_LOADER = "yrkesresan.sso.saml.sp_config"
SAML_CREATE_UNKNOWN_USER = False
SAML_ATTRIBUTE_MAPPING = {}
SAML_ACS_FAILURE_RESPONSE_FUNCTION = "yrkesresan.sso.views.refuse"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_LOGOUT_REQUEST_PREFERRED_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
# The IdP posts its answer back across sites: a cookie that must cross needs Secure (HTTPS).
SAML_SESSION_COOKIE_SAMESITE = "None" if envbool("HTTPS", not DEBUG) else "Lax"

# OpenID Connect (mozilla-django-oidc): endpoints and client per provider row; these are shared.
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/konto/logga-in/"

# Two-factor authentication (django-otp, TOTP): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "Yrkesresan"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format in both languages ("19 nov. 2026", "19 Nov. 2026"): core/formats.
FORMAT_MODULE_PATH = ["yrkesresan.core.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (course material): on disk under MEDIA_ROOT for the demo; in any
# S3-compatible store through django-storages when S3_BUCKET is set (needs boto3 installed).
MEDIA_ROOT = envstr("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "/media/"  # never served by Django: material is served by materials.views
S3_BUCKET = envstr("S3_BUCKET")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": envstr("S3_ENDPOINT_URL") or None,
            "region_name": envstr("S3_REGION") or None,
            "access_key": envstr("S3_ACCESS_KEY_ID") or None,
            "secret_key": envstr("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MATERIAL_MAX_BYTES = envint("MATERIAL_MAX_BYTES", 25 * 1024 * 1024)
WHITENOISE_USE_FINDERS = DEBUG

# Mail: SMTP when EMAIL_HOST is set, otherwise printed to the console (the demo).
EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
# Seconds before a silent mail server counts as down (the delivery is then tried again).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# The file-based backend's folder (make demo sets EMAIL_BACKEND to it and names the folder).
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Yrkesresan <noreply@yrkesresan.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (e-mail and calendar invitations): tasks are queued in the database and run
# by `manage.py db_worker`, never inside a request. The tests use the immediate backend.
TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A bulk registration (enrolment) of more rows than this is applied by the worker, with a
# progress bar, instead of inside the request.
IMPORT_BACKGROUND_ROWS = envint("IMPORT_BACKGROUND_ROWS", 300)
# A background import's page (and a refused one's sentences, which name people) is kept this
# long after it ends.
IMPORT_JOB_KEEP_DAYS = envint("IMPORT_JOB_KEEP_DAYS", 30)
# E-mail (core.mail): a failed delivery is tried again after EMAIL_RETRY_BASE_SECONDS,
# doubling each time up to EMAIL_RETRY_MAX_SECONDS, EMAIL_MAX_ATTEMPTS times in all (about
# nine hours with the defaults); then the round's coordinator sees it as undelivered.
EMAIL_RETRY_BASE_SECONDS = envint("EMAIL_RETRY_BASE_SECONDS", 60)
EMAIL_RETRY_MAX_SECONDS = envint("EMAIL_RETRY_MAX_SECONDS", 60 * 60)
EMAIL_MAX_ATTEMPTS = envint("EMAIL_MAX_ATTEMPTS", 15)
# Sent messages are kept this long in the outbox (they hold names and addresses), then deleted.
EMAIL_KEEP_DAYS = envint("EMAIL_KEEP_DAYS", 30)
# Workers beat every TASK_HEARTBEAT_SECONDS; the tasks of a worker silent for
# TASK_WORKER_LEASE_SECONDS are queued again (core.worker).
TASK_HEARTBEAT_SECONDS = envint("TASK_HEARTBEAT_SECONDS", 10)
TASK_WORKER_LEASE_SECONDS = envint("TASK_WORKER_LEASE_SECONDS", 60)
# `manage.py send_reminders` (daily) reminds participants this many days before each course day.
REMINDER_DAYS_BEFORE = envint("REMINDER_DAYS_BEFORE", 2)

# Security headers. HTTPS-only settings follow HTTPS so that the local demo still works.
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# Rate limits (core/ratelimits.py over django-ratelimit): "N/s", "N/m", "N/h" per key. A spent
# limit answers 429 with Retry-After. django-ratelimit counts in the default cache: with several
# gunicorn workers give CACHES a shared backend so that they count together.
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", True)
RATE_LIMITS = {
    # Every API request, per token owner (per client address without a valid token).
    "api": envstr("RATE_LIMIT_API", "600/m"),
    # Registrations, per registering user: the registration page and the API's POST.
    "registration": envstr("RATE_LIMIT_REGISTRATION", "120/m"),
}
