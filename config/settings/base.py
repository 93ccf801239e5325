"""Settings shared by every deployment. Values from outside come through ``config.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config import env
from zweck.core import limits

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = env.data_directory()

# No key ships with Zweck: production requires ZWECK_SECRET_KEY, the development settings make
# one per installation in the data directory, the tests one per run.
SECRET_KEY = env.text("SECRET_KEY") or ""
DEBUG = env.flag("DEBUG", default=False)
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    # Only for its templates and static files: the API documentation is served from here.
    "ninja",
    # Before the task app: its ``db_worker`` command is Zweck's, which also keeps the schedule.
    "zweck.cli",
    "django_tasks_db",
    "zweck.core",
    "zweck.accounts",
    "zweck.audit",
    "zweck.outbox",
    "zweck.privacy",
    "zweck.crm",
    "zweck.sales",
    "zweck.operations",
    "zweck.service",
    "zweck.marketing",
    "zweck.api",
    "zweck.web",
]

MIDDLEWARE = [
    # First: settles the client's address (and drops forwarding headers of untrusted peers)
    # before anything reads it, HTTPS detection included.
    "zweck.core.clients.ClientAddressMiddleware",
    # Counts every request, its time and its queries by route (zweck.operations.metrics).
    "zweck.operations.metrics.RequestMetricsMiddleware",
    # A request id for every answer and the log lines written while serving it.
    "zweck.operations.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "zweck.core.headers.SecurityHeadersMiddleware",
    # A sign-in from a locked address is refused here, before sessions, CSRF and templates.
    "zweck.accounts.backends.EarlySignInRefusalMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Oversized bodies (413) and NUL characters (400) are refused before any view reads them.
    "zweck.core.request_guard.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zweck.web.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zweck.audit.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zweck.web.staff.navigation.shell",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env.database_url() or f"sqlite:///{DATA_DIR / 'zweck.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the demo server read while a sweep or import writes.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's model backend behind the sign-in throttle (zweck.accounts.throttle).
AUTHENTICATION_BACKENDS = ["zweck.accounts.backends.ThrottledModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NIST SP 800-63B 5.1.1.2: a minimum length, a check against commonly used passwords, no
# composition rules (so no "must contain a digit", and no rule against digits only either).
MINIMUM_PASSWORD_LENGTH = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": MINIMUM_PASSWORD_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/app/login/"
LOGIN_REDIRECT_URL = "/app/"
LOGOUT_REDIRECT_URL = "/app/login/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "zweck" / "locale"]
# Dates and numbers in the language's European form (zweck/formats: English writes 2 Dec 2026).
FORMAT_MODULE_PATH = ["zweck.formats"]
TIME_ZONE = env.text("TIME_ZONE") or "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

MAILERS = {
    "default": {
        "BACKEND": env.text("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env.text("EMAIL_HOST") or "127.0.0.1",
            "port": env.integer("EMAIL_PORT", 25),
            "username": env.text("EMAIL_USER") or "",
            "password": env.text("EMAIL_PASSWORD") or "",
            "use_tls": env.flag("EMAIL_USE_TLS"),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL") or "zweck@localhost"

TASKS = {
    "default": {
        "BACKEND": env.text("TASK_BACKEND") or "django_tasks_db.DatabaseBackend",
    }
}

# The request guard answers 413 above these; Django's own checks stay as a second line.
DATA_UPLOAD_MAX_MEMORY_SIZE = limits.REQUEST_BODY_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = limits.REQUEST_FIELDS_MAX

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The ceiling of every workspace's session limits (zweck.web.sessions): one day.
SESSION_COOKIE_AGE = 24 * 60 * 60
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Django's own Content-Security-Policy: everything from this origin only, no inline script or
# style (templates link static files), no plugins, no framing, forms post only here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Pico draws its form controls' icons as data: SVGs.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# No page needs a camera, a microphone, a location or payment (zweck.core.headers).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (zweck.core.clients); nobody's
# by default, so the connection's address is the client's.
ZWECK_TRUSTED_PROXIES = env.networks("TRUSTED_PROXIES")

# Personal values never reach the logs: the audit trail stores ids and field names, the code
# logs ids, and every handler masks what could still name a person (zweck.operations.logs).
# ZWECK_LOG_FORMAT=json writes one JSON object per line with the request id, workspace and user.
LOG_FORMAT = env.text("LOG_FORMAT") or "plain"
if LOG_FORMAT not in {"plain", "json"}:
    raise env.ConfigurationError("ZWECK_LOG_FORMAT must be plain or json.")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_values": {"()": "zweck.operations.logs.PersonalValueFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "zweck.operations.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["personal_values"],
        }
    },
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL") or "WARNING"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

ZWECK: dict[str, Any] = {
    # Maximum rows a list endpoint returns in one page.
    "MAX_PAGE_SIZE": 200,
    "DEFAULT_PAGE_SIZE": 50,
    # How long a link that hands a portability export to another controller works (Art. 20(2)).
    "TRANSMISSION_LINK_DAYS": env.integer("TRANSMISSION_LINK_DAYS", 7),
    # The local hour from which the worker starts the nightly maintenance (retention, holds).
    "NIGHTLY_HOUR": env.integer("NIGHTLY_HOUR", 2),
    # A list, search or API page whose query matched this many rows of personal data or more is
    # recorded in the audit trail as a bulk read (who, when, what, how many; never the values).
    "AUDIT_BULK_READ_ROWS": env.integer("AUDIT_BULK_READ_ROWS", 100),
    # Every erasure's tombstones are also appended here, outside the database, so a restore of
    # an older backup erases those subjects again (zweck.privacy.erasure_journal). Keep it on
    # another disk than the database; empty: erasure-journal.jsonl in the data directory.
    "ERASURE_JOURNAL": env.text("ERASURE_JOURNAL") or "",
    # The readiness check fails when no task worker was seen for this many minutes.
    "WORKER_STALE_MINUTES": env.integer("WORKER_STALE_MINUTES", 10),
}
# Who may read /metrics: these networks (loopback by default), or anyone who sends
# "Authorization: Bearer <ZWECK_METRICS_TOKEN>" when a token is set.
ZWECK_METRICS_NETWORKS = env.networks("METRICS_NETWORKS") or ["127.0.0.0/8", "::1/128"]
ZWECK_METRICS_TOKEN = env.text("METRICS_TOKEN") or ""
ZWECK_METRICS_MULTIPROCESS = env.prometheus_multiprocess_directory() is not None
# Backups (zweck backup): where they go (empty: DATA_DIR/backups) and the key that seals them
# (empty: not sealed). The secret key came from the environment when ZWECK_SECRET_KEY is set;
# otherwise a restore adopts the key file it restores into the data directory.
ZWECK_BACKUP_DIR = env.text("BACKUP_DIR") or ""
ZWECK_BACKUP_KEY_FILE = env.text("BACKUP_KEY_FILE") or ""
ZWECK_SECRET_KEY_FROM_ENVIRONMENT = bool(env.text("SECRET_KEY"))
if ZWECK["AUDIT_BULK_READ_ROWS"] < 1:
    raise env.ConfigurationError("ZWECK_AUDIT_BULK_READ_ROWS must be 1 or more.")
if not 0 <= ZWECK["NIGHTLY_HOUR"] <= 23:
    raise env.ConfigurationError("ZWECK_NIGHTLY_HOUR must be an hour between 0 and 23.")
# The address the installation is reached at (https://crm.example.com): the privacy notices
# name the privacy portal under it, unless a workspace gives its own portal address, and emails
# sent without a request (the warnings before a workspace is deleted) link to it.
ZWECK_PUBLIC_URL = (env.text("PUBLIC_URL") or "").rstrip("/")
if not 1 <= ZWECK["TRANSMISSION_LINK_DAYS"] <= 90:
    raise env.ConfigurationError("ZWECK_TRANSMISSION_LINK_DAYS must be between 1 and 90.")
