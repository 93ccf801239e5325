"""``zweck dsr``: data-subject requests from the command line (access export, erasure, lifting
a restriction, deciding an objection, the recipient notifications waiting for confirmation, the
possible mentions of a request's subject to confirm or dismiss)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config import env
from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.cli.arguments import FEDERAL_STATE_HELP, federal_state
from zweck.cli.refusal import refusal
from zweck.privacy.dsr import (
    SubjectNotFoundError,
    dsr_export,
    dsr_get,
    dsr_restriction_lift,
    objection_decide,
    subject_erase_by_email,
    subject_export_by_email,
)
from zweck.privacy.erasure_words import CONFIRMING_ANSWERS, plan_text, word
from zweck.privacy.exports import FORMATS, PORTABILITY_FORMATS
from zweck.privacy.labels import LANGUAGES, language_of
from zweck.privacy.mention_decisions import CONFIRM, DISMISS, mention_decide, request_possible_mentions
from zweck.privacy.models import DataSubjectRequest, RecipientNotification
from zweck.privacy.notifications import (
    recipient_notification_confirm,
    recipient_notification_get,
    recipient_notification_list,
)
from zweck.privacy.request_deadlines import workspace_federal_state_set
from zweck.privacy.selectors import workspace_by_slug
from zweck.privacy.transmission import transmission_link_create

# An objection is upheld (no compelling grounds) or rejected (compelling grounds override it).
OBJECTION_DECISIONS = ("upheld", "rejected")


class Command(BaseCommand):
    # Tests give the prompt its answers through ``call_command(..., stdin=...)``.
    stealth_options = ("stdin",)
    help = gettext_noop(
        "Data-subject requests: export a subject's data, erase a subject, lift a restriction, "
        "decide an objection, hand a portability export to another controller, list and confirm "
        "recipient notifications, set the federal state whose holidays end deadlines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        export = commands.add_parser(
            "export",
            help=gettext_noop(
                "A subject's access export (Art. 15 GDPR) by email address, or a request's own export "
                "(a portability request's in JSON or CSV, any other's as the access export)."
            ),
        )
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
        link = commands.add_parser(
            "transmission-link",
            help=gettext_noop(
                "A link that hands a portability request's export to another controller "
                "(Art. 20(2) GDPR); it works without an account until it expires."
            ),
        )
        link.add_argument("id", type=int, help=gettext_noop("The request's number."))
        link.add_argument("--format", choices=PORTABILITY_FORMATS, default="json")
        link.add_argument(
            "--base-url",
            required=True,
            help=gettext_noop("Where this installation is reached, e.g. https://crm.example.com."),
        )
        state = commands.add_parser(
            "federal-state",
            help=gettext_noop(
                "Show or set the federal state whose public holidays end the deadlines; setting it "
                "moves the deadlines of the open requests."
            ),
        )
        state.add_argument("state", nargs="?", type=federal_state, default=None, help=FEDERAL_STATE_HELP)
        lift = commands.add_parser(
            "lift-restriction",
            help=gettext_noop(
                "Lift the restriction of a request's person records; the subject is told first "
                "(Art. 18(3) GDPR)."
            ),
        )
        objection = commands.add_parser(
            "decide-objection",
            help=gettext_noop("Decide an objection to processing on legitimate interests (Art. 21(1) GDPR)."),
        )
        objection.add_argument(
            "--decision",
            required=True,
            choices=OBJECTION_DECISIONS,
            help=gettext_noop(
                "upheld: no compelling grounds, the processing stops; rejected: compelling grounds "
                "override it, the restriction is lifted."
            ),
        )
        for command in (lift, objection):
            command.add_argument("request_id", type=int, help=gettext_noop("The request's number."))
            command.add_argument("--reason", required=True, help=gettext_noop("The reasons, as recorded."))
        whose = export.add_mutually_exclusive_group(required=True)
        whose.add_argument("--email", help=gettext_noop("The subject's email address."))
        whose.add_argument("--request", type=int, help=gettext_noop("The request's number."))
        erase.add_argument("--email", required=True, help=gettext_noop("The subject's email address."))
        for command in (
            export,
            erase,
            notifications,
            confirm,
            lift,
            objection,
            link,
            state,
            mentions,
            decide,
        ):
            command.add_argument(
                "--workspace",
                default=None,
                help=gettext_noop("The workspace's short name (default: the only one)."),
            )
        export.add_argument(
            "--format",
            choices=sorted({*FORMATS, *PORTABILITY_FORMATS}),
            default="json",
            help=gettext_noop("By email: json, html, pdf or zip. A request offers the formats of its kind."),
        )
        export.add_argument("--lang", choices=("en", "de"), default="en")
        export.add_argument("--out", type=Path, default=None, help=gettext_noop("Write to this file."))
        erase.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_noop("Show the erasure plan without changing anything."),
        )
        erase.add_argument(
            "--yes",
            action="store_true",
            help=gettext_noop("Erase without asking for confirmation (for scripts)."),
        )
        erase.add_argument(
            "--language",
            "--lang",
            choices=LANGUAGES,
            default=None,
            help=gettext_noop("The language of the plan (default: from LANG, else English)."),
        )
        erase.add_argument(
            "--json",
            action="store_true",
            help=gettext_noop("Write the plan as JSON (machine-readable) instead of words."),
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
        if options["action"] in ("lift-restriction", "decide-objection"):
            self.request_step(actor, options)
            return
        if options["action"] in ("mentions", "decide-mention"):
            self.possible_mentions(actor, options["request"], options.get("key"), options.get("decision"))
            return
        try:
            if options["action"] == "federal-state":
                self.federal_state(actor, options["state"])
                return
            if options["action"] == "export":
                self.export(actor, options)
                return
            if options["action"] == "transmission-link":
                self.transmission_link(actor, options)
                return
            self.erase(actor, options)
        except SubjectNotFoundError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def erase(self, actor: Actor, options: dict[str, Any]) -> None:
        """Show the plan; erase once confirmed at the prompt or by ``--yes``. Without a terminal
        to ask at and without ``--yes`` nothing is erased."""
        lang = options["language"] or language_of(env.locale_language())
        plan = subject_erase_by_email(actor=actor, email=options["email"], dry_run=True, lang=lang)
        if options["json"]:
            if options["dry_run"] or not options["yes"]:
                self.stdout.write(json.dumps(plan, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(plan_text(plan["readable"]), ending="")
        if options["dry_run"]:
            return
        if not options["yes"]:
            stdin = options.get("stdin") or sys.stdin
            if not stdin.isatty():
                raise CommandError(word("no_terminal", lang))
            self.stdout.write(word("prompt", lang), ending="")
            self.stdout.flush()
            if stdin.readline().strip().lower() not in CONFIRMING_ANSWERS:
                raise CommandError(word("not_confirmed", lang))
        result = subject_erase_by_email(actor=actor, email=options["email"], dry_run=False)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(word("erased", lang))

    def export(self, actor: Actor, options: dict[str, Any]) -> None:
        fmt, lang = options["format"], options["lang"]
        if options["request"] is not None:
            request = self.request_of(actor, options["request"])
            body = dsr_export(actor=actor, request=request, fmt=fmt, lang=lang)
        else:
            body = subject_export_by_email(actor=actor, email=options["email"], fmt=fmt, lang=lang)
        if options["out"]:
            options["out"].write_bytes(body)
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()

    def transmission_link(self, actor: Actor, options: dict[str, Any]) -> None:
        request = self.request_of(actor, options["id"])
        link = transmission_link_create(actor=actor, request=request, fmt=options["format"])
        path = reverse("public:transmission_download", args=[link.token])
        self.stdout.write(options["base_url"].rstrip("/") + path)
        self.stdout.write(
            _("Valid until %(moment)s.")
            % {"moment": timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M %Z")}
        )

    def request_of(self, actor: Actor, request_id: int) -> DataSubjectRequest:
        try:
            return dsr_get(actor=actor, request_id=request_id)
        except DataSubjectRequest.DoesNotExist as error:
            raise CommandError(_("No request #%(id)s in this workspace.") % {"id": request_id}) from error

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

    def request_step(self, actor: Actor, options: dict[str, Any]) -> None:
        request_id = options["request_id"]
        try:
            request = dsr_get(actor=actor, request_id=request_id)
            if options["action"] == "lift-restriction":
                dsr_restriction_lift(actor=actor, request=request, reason=options["reason"])
            else:
                objection_decide(
                    actor=actor,
                    request=request,
                    compelling_grounds=options["decision"] == "rejected",
                    reason=options["reason"],
                )
        except DataSubjectRequest.DoesNotExist as error:
            raise CommandError(f"No request #{request_id} in this workspace.") from error
        except ValidationError as error:
            raise refusal(error, {"reason": "--reason", "decision_reason": "--reason"}) from error
        request = dsr_get(actor=actor, request_id=request_id)
        restricted = sum(1 for person in request.persons.all() if person.restricted_at)
        self.stdout.write(
            f"{request.pk}\t{request.status}\t{request.decision or '-'}\trestricted records: {restricted}"
        )

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
