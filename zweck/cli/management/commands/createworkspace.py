from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.selectors import user_get_by_email
from zweck.accounts.services import user_create, workspace_create
from zweck.cli.arguments import FEDERAL_STATE_HELP, federal_state


class Command(BaseCommand):
    help = gettext_noop("Create a workspace with its owner (a new or an existing login).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=gettext_noop("The workspace's (company's) name."))
        parser.add_argument("--owner-email", required=True, help=gettext_noop("The owner's login email."))
        parser.add_argument(
            "--password",
            help=gettext_noop("The new owner's password; a random one is printed when omitted."),
        )
        parser.add_argument("--owner-name", default="", help=gettext_noop("The new owner's full name."))
        parser.add_argument("--slug", help=gettext_noop("Short name (default: derived from the name)."))
        parser.add_argument("--state", type=federal_state, default="", help=FEDERAL_STATE_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"]
        try:
            with transaction.atomic():
                owner = user_get_by_email(email=options["owner_email"])
                generated = None
                if owner is None:
                    generated = None if password else secrets.token_urlsafe(12)
                    owner = user_create(
                        email=options["owner_email"],
                        password=password or generated,
                        full_name=options["owner_name"],
                    )
                elif password:
                    raise CommandError(
                        _("%(email)s already has a login; its password is left unchanged.")
                        % {"email": owner.email}
                    )
                workspace = workspace_create(
                    name=options["name"], owner=owner, slug=options["slug"], federal_state=options["state"]
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            _("Workspace %(name)s created, short name %(slug)s.")
            % {"name": workspace.name, "slug": workspace.slug}
        )
        self.stdout.write(_("Owner: %(email)s") % {"email": owner.email})
        self.stdout.write(
            _("Public holidays for deadlines: %(state)s") % {"state": workspace.get_federal_state_display()}
        )
        if generated:
            self.stdout.write(_("Password (shown once): %(password)s") % {"password": generated})
