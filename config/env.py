"""The one place that reads the process environment.

Every setting Zweck takes from outside arrives here, with the ``ZWECK_`` prefix
(``DATABASE_URL`` is the exception, because every hosting platform sets it under
that name). Settings modules import these helpers; nothing else reads ``os.environ``.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

PREFIX = "ZWECK_"


class ConfigurationError(RuntimeError):
    """A required setting is missing or malformed."""


def text(name: str, default: str | None = None) -> str | None:
    """The raw value of ``ZWECK_<name>``, or ``default``."""
    return os.environ.get(PREFIX + name, default)


def required_text(name: str) -> str:
    value = text(name)
    if not value:
        raise ConfigurationError(f"{PREFIX}{name} must be set.")
    return value


def flag(name: str, default: bool = False) -> bool:
    value = text(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{PREFIX}{name} must be true or false, not {value!r}.")


def integer(name: str, default: int) -> int:
    value = text(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ConfigurationError(f"{PREFIX}{name} must be a whole number.") from error


def listing(name: str, default: list[str] | None = None) -> list[str]:
    value = text(name)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (``10.0.0.1, 192.168.0.0/24``)."""
    entries = listing(name)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as error:
            raise ConfigurationError(f"{PREFIX}{name}: {entry!r} is not an IP address or network.") from error
    return entries


def database_url() -> str | None:
    return os.environ.get("DATABASE_URL") or text("DATABASE_URL")


def prometheus_multiprocess_directory() -> str | None:
    """prometheus_client's own variable: where several server processes keep their metrics."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def data_directory() -> Path:
    """Where the embedded SQLite database and generated files live."""
    return Path(text("DATA_DIR") or Path.cwd() / "var").resolve()


def locale_language() -> str | None:
    """The language of the process's locale, in the order POSIX reads it (``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``): "de_DE.UTF-8", or None where none is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return os.environ[name]
    return None


def settings_module() -> str | None:
    return os.environ.get("DJANGO_SETTINGS_MODULE")


def set_default_settings_module(module: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", module)
