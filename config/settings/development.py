"""Local development and the demo: debug on, SQLite file under ./var unless DATABASE_URL says otherwise."""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATA_DIR

DEBUG = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

DATA_DIR.mkdir(parents=True, exist_ok=True)
