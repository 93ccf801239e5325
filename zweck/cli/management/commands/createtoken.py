from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.selectors import actor_for, user_get_by_email, workspace_get_by_slug
from zweck.accounts.services import token_create


class Command(BaseCommand):
    help = gettext_noop("Create a personal API token for a member of a workspace and print it once.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help=gettext_noop("The member's login email."))
        parser.add_argument("--workspace", required=True, help=gettext_noop("The workspace's short name."))
        parser.add_argument("--name", required=True, help=gettext_noop("What the token is for."))
        parser.add_argument(
            "--expires-in-days", type=int, default=None, help=gettext_noop("Expire after this many days.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = workspace_get_by_slug(slug=options["workspace"])
        user = user_get_by_email(email=options["email"])
        actor = actor_for(user=user, workspace=workspace) if user and workspace else None
        if actor is None:
            raise CommandError(_("No active member with that email in that workspace."))
        days = options["expires_in_days"]
        expires_at = timezone.now() + timedelta(days=days) if days else None
        token, plain = token_create(actor=actor, name=options["name"], expires_at=expires_at)
        self.stdout.write(_("Token %(name)s created (shown once, store it now):") % {"name": token.name})
        self.stdout.write(plain)
