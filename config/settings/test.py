"""Settings for the test suite. The database comes from DATABASE_URL (SQLite by default)."""

import secrets

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

DEBUG = False
ZWECK_PUBLIC_URL = "https://crm.example.com"
# A fresh key for every test run: no key is written in the repository.
SECRET_KEY = env.text("SECRET_KEY") or secrets.token_urlsafe(64)
# A fast hasher keeps the tests quick; deployments hash with Argon2 (base settings).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    # The backend a deployment runs, for the tests of the worker and the nightly schedule.
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if not env.database_url():
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {"NAME": ":memory:"},
    }
else:
    # A fresh, uniquely named database per run so parallel runs never share one.
    suffix = env.text("TEST_DATABASE_SUFFIX")
    if suffix and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        DATABASES["default"]["TEST"] = {"NAME": f"test_zweck_{suffix}"}

# Tests serve static files from the apps through the finders; there is no collected tree.
STATIC_ROOT = None  # type: ignore[assignment]
