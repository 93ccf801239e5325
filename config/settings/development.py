"""Local development and the demo: SQLite file under ./var unless DATABASE_URL says otherwise.

Debug pages only where a developer asks for them (``ZWECK_DEBUG=1``): the demo shows the same
403, 404 and 500 pages as a deployment, never Django's debug page with the settings in it.

No secret key ships with Zweck: unless ZWECK_SECRET_KEY is set, the first start makes one for
this installation and keeps it in the data directory (``secret-key``, readable by its owner
only). ``zweck serve`` and ``zweck demo`` refuse these settings on any address but loopback.
"""

import os
import secrets
from pathlib import Path

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import DATA_DIR, ZWECK_PUBLIC_URL

DEBUG = env.flag("DEBUG", default=False)
# Marks these settings as unfit for serving to a network (zweck.cli.server).
ZWECK_DEVELOPMENT_SETTINGS = True
# The demo serves here (zweck demo); a deployment names its own address in ZWECK_PUBLIC_URL.
ZWECK_PUBLIC_URL = ZWECK_PUBLIC_URL or "http://127.0.0.1:8000"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

DATA_DIR.mkdir(parents=True, exist_ok=True)


def installation_secret_key(directory: Path) -> str:
    """This installation's own key, made on first use and kept in ``directory``."""
    path = directory / "secret-key"
    try:
        existing = path.read_text().strip()
    except FileNotFoundError:
        existing = ""
    if len(existing) >= 50:
        return existing
    key = secrets.token_urlsafe(64)
    # Created readable by the owner only; never replaced once written by another process.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip() or key
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    return key


SECRET_KEY = env.text("SECRET_KEY") or installation_secret_key(DATA_DIR)
