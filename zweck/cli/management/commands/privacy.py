"""``zweck privacy``: maintenance of erasures and holds."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.privacy.erasure import erasure_reapply
from zweck.privacy.holds import holds_release


class Command(BaseCommand):
    help = gettext_noop("Erasure maintenance: erase again after a restore, release ended holds.")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser(
            "reapply-erasures",
            help=gettext_noop("After restoring a backup: erase again every subject with a tombstone."),
        )
        commands.add_parser("release-holds", help=gettext_noop("Erase the rows whose hold has ended."))

    def handle(self, *args: Any, **options: Any) -> None:
        for workspace in Workspace.objects.order_by("pk"):
            actor = Actor.system(workspace)
            if options["action"] == "reapply-erasures":
                count = len(erasure_reapply(actor=actor))
            else:
                count = holds_release(actor=actor)
            self.stdout.write(f"{workspace.slug}: {count}")
