"""Production: refuses to start without a secret key and with debug on."""

from config import env
from config.settings.base import *  # noqa: F403

SECRET_KEY = env.required_text("SECRET_KEY")
if len(SECRET_KEY) < 32:
    raise env.ConfigurationError("ZWECK_SECRET_KEY must be at least 32 characters long.")
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
