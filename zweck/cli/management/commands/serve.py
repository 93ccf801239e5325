from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.cli.server import ExposureRefused, refuse_development_exposure, serve


class Command(BaseCommand):
    help = gettext_noop("Serve Zweck with gunicorn, honouring the settings (DATABASE_URL, ZWECK_*).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=gettext_noop("Address to listen on."))
        parser.add_argument("--port", type=int, default=8000, help=gettext_noop("Port to listen on."))
        parser.add_argument("--workers", type=int, default=2, help=gettext_noop("Worker processes."))
        parser.add_argument("--threads", type=int, default=4, help=gettext_noop("Threads per worker."))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            refuse_development_exposure(options["host"])
        except ExposureRefused as error:
            raise CommandError(
                _(
                    "The development settings serve on this machine only (127.0.0.1 or ::1), not on "
                    "%(host)s. To serve to a network, use the production settings: "
                    "DJANGO_SETTINGS_MODULE=config.settings.production with ZWECK_SECRET_KEY set."
                )
                % {"host": options["host"]}
            ) from error
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
