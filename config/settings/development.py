"""Local development and the demo: debug on, SQLite file under ./var unless DATABASE_URL says otherwise."""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATA_DIR, ZWECK_PUBLIC_URL

DEBUG = True
# The demo serves here (zweck demo); a deployment names its own address in ZWECK_PUBLIC_URL.
ZWECK_PUBLIC_URL = ZWECK_PUBLIC_URL or "http://127.0.0.1:8000"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

DATA_DIR.mkdir(parents=True, exist_ok=True)
