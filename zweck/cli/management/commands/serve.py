from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.cli.server import serve


class Command(BaseCommand):
    help = gettext_noop("Serve Zweck with gunicorn, honouring the settings (DATABASE_URL, ZWECK_*).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=gettext_noop("Address to listen on."))
        parser.add_argument("--port", type=int, default=8000, help=gettext_noop("Port to listen on."))
        parser.add_argument("--workers", type=int, default=2, help=gettext_noop("Worker processes."))
        parser.add_argument("--threads", type=int, default=4, help=gettext_noop("Threads per worker."))

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            self.stderr.write(_("Warning: debug mode is on; do not expose this server."))
        self.stdout.write(_("Serving Zweck on http://%(host)s:%(port)s/") % options)
        serve(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            access_log=True,
        )
