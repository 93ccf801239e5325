"""``zweck dsr``: data-subject requests from the command line (access export, erasure, the
recipient notifications waiting for confirmation, the possible mentions of a request's
subject to confirm or dismiss)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.privacy.dsr import SubjectNotFoundError, dsr_get, subject_erase_by_email, subject_export_by_email
from zweck.privacy.exports import FORMATS
from zweck.privacy.mention_decisions import CONFIRM, DISMISS, mention_decide, request_possible_mentions
from zweck.privacy.models import DataSubjectRequest, RecipientNotification
from zweck.privacy.notifications import (
    recipient_notification_confirm,
    recipient_notification_get,
    recipient_notification_list,
)
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
        mentions = commands.add_parser(
            "mentions",
            help=gettext_noop("The possible mentions of a request's subject, with the decisions taken."),
        )
        decide = commands.add_parser(
            "decide-mention",
            help=gettext_noop("Confirm or dismiss a possible mention of a request's subject."),
        )
        for command in (mentions, decide):
            command.add_argument("request", type=int, help=gettext_noop("The request's number."))
        decide.add_argument("key", help=gettext_noop("The mention's key, as `mentions` lists it."))
        choice = decide.add_mutually_exclusive_group(required=True)
        choice.add_argument("--confirm", action="store_const", const=CONFIRM, dest="decision")
        choice.add_argument("--dismiss", action="store_const", const=DISMISS, dest="decision")
        for command in (export, erase):
            command.add_argument("--email", required=True, help=gettext_noop("The subject's email address."))
        for command in (export, erase, notifications, confirm, mentions, decide):
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
        if options["action"] in ("mentions", "decide-mention"):
            self.possible_mentions(actor, options["request"], options.get("key"), options.get("decision"))
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

    def possible_mentions(self, actor: Actor, request_id: int, key: str | None, decision: str | None) -> None:
        """List the possible mentions (key, decision, record, field, reason, term), or decide one."""
        try:
            request = dsr_get(actor=actor, request_id=request_id)
            if key is not None and decision is not None:
                mention_decide(actor=actor, request=request, key=key, decision=decision)
            listed = request_possible_mentions(actor=actor, request=request)
        except DataSubjectRequest.DoesNotExist as error:
            raise CommandError(f"No request #{request_id} in this workspace.") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for reviewed in listed:
            if key is not None and reviewed.mention.key != key:
                continue
            row = reviewed.as_dict()
            self.stdout.write(
                f"{row['key']}\t{row['decision'] or 'undecided'}\t{row['data_set']} #{row['id']}\t"
                f"{row['field']}\t{row['reason']}\t{row['term']}"
            )
