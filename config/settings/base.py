"""Settings shared by every deployment. Values from outside come through ``config.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = env.data_directory()

SECRET_KEY = env.text("SECRET_KEY") or "zweck-insecure-development-key-change-me-0123456789"
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
    # Before the task app: its ``db_worker`` command is Zweck's, which also keeps the schedule.
    "zweck.cli",
    "django_tasks_db",
    "zweck.core",
    "zweck.accounts",
    "zweck.audit",
    "zweck.privacy",
    "zweck.crm",
    "zweck.sales",
    "zweck.api",
    "zweck.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/app/login/"
LOGIN_REDIRECT_URL = "/app/"
LOGOUT_REDIRECT_URL = "/app/login/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "zweck" / "locale"]
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

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Personal values never reach the logs: the audit trail stores ids and field names,
# and the log formatter below writes only what the code passes it explicitly.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
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
}
if not 0 <= ZWECK["NIGHTLY_HOUR"] <= 23:
    raise env.ConfigurationError("ZWECK_NIGHTLY_HOUR must be an hour between 0 and 23.")
# The address the installation is reached at (https://crm.example.com): the privacy notices
# name the privacy portal under it, unless a workspace gives its own portal address, and emails
# sent without a request (the warnings before a workspace is deleted) link to it.
ZWECK_PUBLIC_URL = (env.text("PUBLIC_URL") or "").rstrip("/")
if not 1 <= ZWECK["TRANSMISSION_LINK_DAYS"] <= 90:
    raise env.ConfigurationError("ZWECK_TRANSMISSION_LINK_DAYS must be between 1 and 90.")
