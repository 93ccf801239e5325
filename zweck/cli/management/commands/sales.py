"""``zweck sales``: the tax adviser's DATEV export of a period."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.sales.datev import datev_export


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("%(option)s: give a date as YYYY-MM-DD.") % {"option": option}) from error


class Command(BaseCommand):
    help = gettext_noop("Sales: the DATEV Buchungsstapel (EXTF) of a period's invoices and payments.")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        datev = commands.add_parser(
            "datev", help=gettext_noop("Write the period's invoices and payments as a DATEV Buchungsstapel.")
        )
        datev.add_argument("--workspace", required=True, help=gettext_noop("The workspace's short name."))
        datev.add_argument(
            "--from", dest="first_day", required=True, help=gettext_noop("First day, YYYY-MM-DD.")
        )
        datev.add_argument("--to", dest="last_day", required=True, help=gettext_noop("Last day, YYYY-MM-DD."))
        datev.add_argument(
            "--output", default="-", help=gettext_noop("The file to write (default: standard output).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(
                _("No workspace has the short name %(slug)s.") % {"slug": options["workspace"]}
            )
        first = _day(options["first_day"], "--from")
        last = _day(options["last_day"], "--to")
        try:
            data = datev_export(actor=Actor.system(workspace), first_day=first, last_day=last)
        except ValidationError as error:
            messages = [f"--{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()]
            raise CommandError(" ".join(messages)) from error
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
            return
        Path(options["output"]).write_bytes(data)
        self.stderr.write(_("Written: %(path)s") % {"path": options["output"]})
