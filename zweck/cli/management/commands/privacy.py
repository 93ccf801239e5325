"""``zweck privacy``: maintenance of erasures and holds, and the legal holds of one workspace."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.cli.refusal import refusal
from zweck.privacy.erasure import erasure_reapply
from zweck.privacy.holds import (
    ACTIVE,
    ENDED,
    HOLD_STATES,
    hold_get,
    hold_list,
    hold_type_name,
    holds_release,
    record_hold_place,
    record_hold_release,
)
from zweck.privacy.models import RecordHold
from zweck.privacy.selectors import workspace_by_slug

# The services name their arguments; the command names its options.
HOLD_OPTIONS = {"object_type": "--type", "object_id": "--id", "ends_on": "--until", "reason": "--reason"}


def hold_line(hold: RecordHold) -> str:
    state = ENDED if hold.released_at else ACTIVE
    return "\t".join(
        (
            str(hold.pk),
            hold_type_name(hold.object_type),
            str(hold.object_id),
            hold.ends_on.isoformat(),
            state,
            hold.reason,
        )
    )


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("--until: Enter a date (YYYY-MM-DD).")) from error


class Command(BaseCommand):
    help = gettext_noop(
        "Erasure maintenance (erase again after a restore, end holds whose date has passed) and "
        "legal holds on persons, activities and deals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser(
            "reapply-erasures",
            help=gettext_noop("After restoring a backup: erase again every subject with a tombstone."),
        )
        commands.add_parser(
            "release-holds",
            help=gettext_noop(
                "End the holds whose date has passed; a record an erasure kept is erased then."
            ),
        )
        hold = commands.add_parser("hold", help=gettext_noop("Legal holds: place, release, list."))
        holds = hold.add_subparsers(dest="hold_action", required=True)
        place = holds.add_parser(
            "place",
            help=gettext_noop(
                "Place a legal hold on a record (legal claims, Art. 17(3)(e) GDPR; open tax "
                "assessment, § 147(3) AO)."
            ),
        )
        place.add_argument(
            "--type",
            required=True,
            help=gettext_noop("What is held: person, activity or deal (or the model label)."),
        )
        place.add_argument("--id", type=int, required=True, help=gettext_noop("The record's number."))
        place.add_argument("--until", required=True, help=gettext_noop("Held until this day (YYYY-MM-DD)."))
        place.add_argument("--reason", required=True, help=gettext_noop("The legal reason for the hold."))
        release = holds.add_parser("release", help=gettext_noop("End a hold before its date, with reasons."))
        release.add_argument("id", type=int, help=gettext_noop("The hold's number."))
        release.add_argument("--reason", required=True, help=gettext_noop("Why the hold ends early."))
        listing = holds.add_parser("list", help=gettext_noop("The workspace's holds, the nearest end first."))
        listing.add_argument("--state", choices=(*HOLD_STATES, "all"), default=ACTIVE)
        for command in (place, release, listing):
            command.add_argument(
                "--workspace",
                default=None,
                help=gettext_noop("The workspace's short name (default: the only one)."),
            )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "hold":
            self.hold(options)
            return
        for workspace in Workspace.objects.order_by("pk"):
            actor = Actor.system(workspace)
            if options["action"] == "reapply-erasures":
                count = len(erasure_reapply(actor=actor))
            else:
                count = holds_release(actor=actor)
            self.stdout.write(f"{workspace.slug}: {count}")

    def hold(self, options: dict[str, Any]) -> None:
        try:
            actor = Actor.system(workspace_by_slug(slug=options["workspace"]))
        except Workspace.DoesNotExist as error:
            raise CommandError(_("Name an existing workspace with --workspace.")) from error
        action = options["hold_action"]
        if action == "list":
            state = None if options["state"] == "all" else options["state"]
            for row in hold_list(actor=actor, state=state):
                self.stdout.write(hold_line(row))
            return
        try:
            if action == "place":
                placed = record_hold_place(
                    actor=actor,
                    object_type=options["type"],
                    object_id=options["id"],
                    reason=options["reason"],
                    ends_on=_date(options["until"]),
                )
                self.stdout.write(hold_line(placed))
                return
            released = record_hold_release(
                actor=actor, hold=hold_get(actor=actor, hold_id=options["id"]), reason=options["reason"]
            )
        except RecordHold.DoesNotExist as error:
            raise CommandError(_("No hold #%(id)s in this workspace.") % {"id": options["id"]}) from error
        except ValidationError as error:
            raise refusal(error, HOLD_OPTIONS) from error
        self.stdout.write(hold_line(released))
