"""Production: refuses to start without a strong secret key and with debug on; HTTPS only."""

from config import env
from config.settings.base import *  # noqa: F403

# Keys that were ever written in Zweck's own files: anyone can read them, so none may sign.
KNOWN_KEYS = frozenset(
    {
        "zweck-insecure-development-key-change-me-0123456789",
        "zweck-test-secret-key-not-for-production-0123456789abcdef",
    }
)
MINIMUM_SECRET_KEY_LENGTH = 50


def checked_secret_key(key: str) -> str:
    """``key`` if it is long, varied and not known; else a ``ConfigurationError`` saying why."""
    if key in KNOWN_KEYS or key.startswith(("django-insecure", "zweck-insecure", "zweck-test")):
        raise env.ConfigurationError(
            "ZWECK_SECRET_KEY is a published example key; generate your own, e.g. with "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(64))'`."
        )
    if len(key) < MINIMUM_SECRET_KEY_LENGTH or len(set(key)) < 5:
        raise env.ConfigurationError(
            f"ZWECK_SECRET_KEY must be at least {MINIMUM_SECRET_KEY_LENGTH} random characters long, "
            "e.g. from `python3 -c 'import secrets; print(secrets.token_urlsafe(64))'`."
        )
    return key


SECRET_KEY = checked_secret_key(env.required_text("SECRET_KEY"))
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Plain HTTP is redirected to HTTPS. Behind a proxy that ends TLS, its X-Forwarded-Proto is
# believed only when it is one of ZWECK_TRUSTED_PROXIES (zweck.core.clients).
SECURE_SSL_REDIRECT = env.flag("SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Logs are one JSON object per line unless ZWECK_LOG_FORMAT=plain asks otherwise.
LOGGING["handlers"]["console"]["formatter"] = env.text("LOG_FORMAT") or "json"  # noqa: F405
