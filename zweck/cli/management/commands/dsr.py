"""``zweck dsr``: data-subject requests from the command line (access export, erasure, the
recipient notifications waiting for confirmation)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.cli.arguments import FEDERAL_STATE_HELP, federal_state
from zweck.privacy.dsr import SubjectNotFoundError, subject_erase_by_email, subject_export_by_email
from zweck.privacy.exports import FORMATS
from zweck.privacy.models import RecipientNotification
from zweck.privacy.notifications import (
    recipient_notification_confirm,
    recipient_notification_get,
    recipient_notification_list,
)
from zweck.privacy.request_deadlines import workspace_federal_state_set
from zweck.privacy.selectors import workspace_by_slug


class Command(BaseCommand):
    help = gettext_noop(
        "Data-subject requests: export a subject's data, erase a subject, list and confirm "
        "recipient notifications."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        export = commands.add_parser("export", help=gettext_noop("The access export (Art. 15 GDPR)."))
        erase = commands.add_parser("erase", help=gettext_noop("Erase a subject (Art. 17 GDPR)."))
        notifications = commands.add_parser(
            "notifications",
            help=gettext_noop("The recipient notifications waiting for confirmation (Art. 19 GDPR)."),
        )
        confirm = commands.add_parser(
            "confirm-notification", help=gettext_noop("Record that a recipient confirmed a notification.")
        )
        confirm.add_argument("id", type=int, help=gettext_noop("The notification's number."))
        state = commands.add_parser(
            "federal-state",
            help=gettext_noop(
                "Show or set the federal state whose public holidays end the deadlines; setting it "
                "moves the deadlines of the open requests."
            ),
        )
        state.add_argument("state", nargs="?", type=federal_state, default=None, help=FEDERAL_STATE_HELP)
        for command in (export, erase):
            command.add_argument("--email", required=True, help=gettext_noop("The subject's email address."))
        for command in (export, erase, notifications, confirm, state):
            command.add_argument(
                "--workspace",
                default=None,
                help=gettext_noop("The workspace's short name (default: the only one)."),
            )
        export.add_argument("--format", choices=FORMATS, default="json")
        export.add_argument("--lang", choices=("en", "de"), default="en")
        export.add_argument("--out", type=Path, default=None, help=gettext_noop("Write to this file."))
        erase.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_noop("Show the erasure plan without changing anything."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor = Actor.system(workspace_by_slug(slug=options["workspace"]))
        except Workspace.DoesNotExist as error:
            raise CommandError("No such workspace; name it with --workspace.") from error
        if options["action"] == "notifications":
            self.list_notifications(actor)
            return
        if options["action"] == "confirm-notification":
            self.confirm_notification(actor, options["id"])
            return
        if options["action"] == "federal-state":
            self.federal_state(actor, options["state"])
            return
        try:
            if options["action"] == "export":
                body = subject_export_by_email(
                    actor=actor, email=options["email"], fmt=options["format"], lang=options["lang"]
                )
                if options["out"]:
                    options["out"].write_bytes(body)
                else:
                    sys.stdout.buffer.write(body)
                    sys.stdout.flush()
                return
            result = subject_erase_by_email(actor=actor, email=options["email"], dry_run=options["dry_run"])
        except SubjectNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def federal_state(self, actor: Actor, state: str | None) -> None:
        workspace = actor.workspace
        if state is not None:
            workspace = workspace_federal_state_set(actor=actor, federal_state=state)
        self.stdout.write(
            _("Public holidays for deadlines: %(state)s") % {"state": workspace.get_federal_state_display()}
        )

    def list_notifications(self, actor: Actor) -> None:
        for row in recipient_notification_list(actor=actor, pending_only=True):
            request = f"request #{row.request_id}" if row.request_id else "-"
            self.stdout.write(
                f"{row.pk}\t{row.created_at.date().isoformat()}\t{row.recipient.name}\t{row.action}\t"
                f"subject #{row.subject_id}\t{request}"
            )

    def confirm_notification(self, actor: Actor, notification_id: int) -> None:
        try:
            notification = recipient_notification_get(actor=actor, notification_id=notification_id)
            confirmed = recipient_notification_confirm(actor=actor, notification=notification)
        except RecipientNotification.DoesNotExist as error:
            raise CommandError(f"No notification #{notification_id} in this workspace.") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        assert confirmed.confirmed_at is not None
        self.stdout.write(f"{confirmed.pk}\tconfirmed\t{confirmed.confirmed_at.isoformat()}")
