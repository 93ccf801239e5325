"""Serving Zweck's WSGI application with gunicorn, in this process, with the loaded settings.

Both ``zweck demo`` and ``zweck serve`` use it (see docs/adr/0004-demo-server.md): the demo
runs on the same server as production, without an autoreloader.
"""

from __future__ import annotations

from typing import Any

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


def serve(*, host: str, port: int, workers: int = 1, threads: int = 4, access_log: bool = False) -> None:
    """Serve until interrupted. Blocks; gunicorn handles SIGINT/SIGTERM gracefully."""
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
