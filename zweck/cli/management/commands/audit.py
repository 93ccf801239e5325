"""``zweck audit``: verify the audit trail's hash chains, and anchor their heads."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from zweck.accounts.models import Workspace
from zweck.audit.chain import anchor_chains, anchor_file, verify


class Command(BaseCommand):
    help = gettext_noop(
        "Audit trail: verify that no event was changed, removed or inserted (verify), or write "
        "each chain's head to the anchor table and file (anchor)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        check = commands.add_parser(
            "verify",
            help=gettext_noop("Check every chain; exits with status 1 and names each problem found."),
        )
        check.add_argument(
            "--workspace", default=None, help=gettext_noop("One workspace's short name (default: all).")
        )
        commands.add_parser("anchor", help=gettext_noop("Write the head of every chain that moved."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            written = anchor_chains()
            self.stdout.write(
                ngettext(
                    "%(count)d chain anchored in the table and in %(file)s.",
                    "%(count)d chains anchored in the table and in %(file)s.",
                    len(written),
                )
                % {"count": len(written), "file": anchor_file()}
            )
            return
        workspaces: list[int | None] | None = None
        if options["workspace"] is not None:
            found = Workspace.objects.filter(slug=options["workspace"]).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(
                    _("No workspace has the short name %(slug)s.") % {"slug": options["workspace"]}
                )
            workspaces = [found]
        report = verify(workspaces, workspaces=Workspace.objects.values_list("pk", flat=True))
        for problem in report.problems:
            self.stdout.write(str(problem))
        summary = _("%(chains)d chains, %(events)d events, %(anchors)d anchors checked.") % {
            "chains": report.chains,
            "events": report.events,
            "anchors": report.anchors,
        }
        if not report.intact:
            raise CommandError(
                summary
                + " "
                + ngettext("%(count)d problem found.", "%(count)d problems found.", len(report.problems))
                % {"count": len(report.problems)},
                returncode=1,
            )
        self.stdout.write(summary + " " + _("The audit trail is intact."))
