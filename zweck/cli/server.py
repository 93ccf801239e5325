"""Serving Zweck's WSGI application with gunicorn, in this process, with the loaded settings.

Both ``zweck demo`` and ``zweck serve`` use it (see docs/adr/0004-demo-server.md): the demo
runs on the same server as production, without an autoreloader.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.db import connections
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, application: WSGIHandler, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        return self.application


class ExposureRefused(Exception):
    """Development settings asked to serve on an address other machines can reach."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) is reachable from this machine only."""
    name = host.strip("[]")
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(str(a).split("%")[0]).is_loopback for a in addresses)


def refuse_development_exposure(host: str) -> None:
    """Development settings (debug on, a key kept in a local file) never face a network:
    raises ``ExposureRefused`` unless ``host`` is a loopback address."""
    development = getattr(settings, "ZWECK_DEVELOPMENT_SETTINGS", False) or settings.DEBUG
    if development and not is_loopback(host):
        raise ExposureRefused(host)


def serve(*, host: str, port: int, workers: int = 1, threads: int = 4, access_log: bool = False) -> None:
    """Serve until interrupted. Blocks; gunicorn handles SIGINT/SIGTERM gracefully."""
    refuse_development_exposure(host)
    application = get_wsgi_application()
    # Worker processes are forked from this one: they must not inherit its open connections.
    connections.close_all()
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        # No control socket in the home directory: nothing outside the project is written.
        "control_socket_disable": True,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "proc_name": "zweck",
    }
    _Gunicorn(application, options).run()
