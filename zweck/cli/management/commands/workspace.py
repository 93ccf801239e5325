"""``zweck workspace <subcommand> SLUG ...``: a workspace's own settings, by its short name.

The subcommands live in ``zweck.cli.workspace`` (one class each); this command gives each its
parser with the workspace's short name and runs it for the workspace's system actor.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.cli.workspace import subcommands


class Command(BaseCommand):
    help = gettext_noop(
        "A workspace's settings: show or change the controller's details the notices name; the end of "
        "a tenant (offboard)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        for subcommand in subcommands():
            sub = commands.add_parser(subcommand.name, help=subcommand.help)
            sub.add_argument("slug", help=gettext_noop("The workspace's short name."))
            subcommand.add_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = next(sub for sub in subcommands() if sub.name == options["subcommand"])
        if getattr(chosen, "finds_workspace", False):
            cast(Any, chosen).handle(self, None, options)
            return
        try:
            workspace = Workspace.objects.get(slug=options["slug"])
        except Workspace.DoesNotExist as error:
            raise CommandError(_("There is no workspace %(slug)s.") % {"slug": options["slug"]}) from error
        chosen.handle(self, Actor.system(workspace), options)
