"""``zweck export-persons``: every visible contact of a workspace as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.crm.exports import person_export_stream
from zweck.privacy.selectors import workspace_by_slug


class Command(BaseCommand):
    help = gettext_noop("Export every contact of a workspace (restricted ones left out) as CSV.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=None, help=gettext_noop("Write to this file."))
        parser.add_argument(
            "--workspace",
            default=None,
            help=gettext_noop("The workspace's short name (default: the only one)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor = Actor.system(workspace_by_slug(slug=options["workspace"]))
        except Workspace.DoesNotExist as error:
            raise CommandError(_("No such workspace; name it with --workspace.")) from error
        lines = person_export_stream(actor=actor)
        if options["out"] is None:
            for chunk in lines:
                self.stdout.write(chunk, ending="")
            return
        with options["out"].open("w", encoding="utf-8", newline="") as out:
            for chunk in lines:
                out.write(chunk)
