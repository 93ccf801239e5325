from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.cli.demo import DEMO_LOGINS, demo_load, demo_workspace
from zweck.cli.server import ExposureRefused, refuse_development_exposure, serve
from zweck.core.permissions import Role
from zweck.privacy.retention import nightly_maintenance


def password_file() -> Path:
    """Where the demo's password is kept, so a second run can print it again."""
    return Path(settings.DATA_DIR) / "demo-password.txt"


class Command(BaseCommand):
    help = gettext_noop("Start the demo: migrate, load a sample workspace once, print the logins, serve.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help=gettext_noop("Address to listen on."))
        parser.add_argument("--port", type=int, default=8000, help=gettext_noop("Port to listen on."))
        parser.add_argument(
            "--no-serve", action="store_true", help=gettext_noop("Prepare the data and logins, do not serve.")
        )
        parser.add_argument(
            "--any-database",
            action="store_true",
            help=gettext_noop("Load the demo into the configured database even when it is not SQLite."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_serve"]:
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
        if connection.vendor != "sqlite" and not options["any_database"]:
            # Demo logins share one printed password: they do not belong in a real database.
            raise CommandError(
                _("The demo runs on its own SQLite file; unset DATABASE_URL (or pass --any-database).")
            )
        self.stdout.write(_("Preparing the database …"))
        call_command("migrate", interactive=False, verbosity=0)
        password = self._load_once()
        # What a deployment's worker (zweck db_worker) does every night, once at each start.
        done = nightly_maintenance()
        self.stdout.write(
            _(
                "Nightly maintenance: %(holds)d holds ended, %(rows)d expired records erased. A deployment "
                "runs it every night with 'zweck db_worker'."
            )
            % {"holds": done["holds_released"], "rows": done["rows_swept"]}
        )
        base_url = f"http://{options['host']}:{options['port']}"
        self._print_logins(base_url, password)
        if not options["no_serve"]:
            self.stdout.write(_("Serving on %(url)s/ — press Ctrl+C to stop.") % {"url": base_url})
            serve(host=options["host"], port=options["port"], workers=1, threads=8)

    def _load_once(self) -> str | None:
        if demo_workspace() is not None:
            self.stdout.write(_("The demo workspace is loaded already; its data is left as it is."))
            stored = password_file()
            return stored.read_text().strip() if stored.exists() else None
        self.stdout.write(_("Loading the sample workspace …"))
        password = secrets.token_urlsafe(9)
        demo_load(password=password)
        stored = password_file()
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.touch(mode=0o600)
        stored.write_text(password + "\n")
        return password

    def _print_logins(self, base_url: str, password: str | None) -> None:
        roles = dict(Role.choices)
        width = max(len(login.email) for login in DEMO_LOGINS)
        lines = [
            "",
            _("Zweck demo"),
            f"  {_('Web app:')}  {base_url}/app/",
            f"  {_('API docs:')} {base_url}/api/v1/docs",
            "",
            _("Logins (the owner first, then one per role):"),
            *(f"  {login.email.ljust(width)}  {roles[login.role]}" for login in DEMO_LOGINS),
            "",
            f"  {_('Password for every login:')} {password}"
            if password
            else "  "
            + _("The password was kept in %(file)s, which is gone; delete %(folder)s to start over.")
            % {"file": password_file(), "folder": password_file().parent},
            "",
        ]
        self.stdout.write("\n".join(lines))
